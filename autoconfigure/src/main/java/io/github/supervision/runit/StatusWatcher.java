package io.github.supervision.runit;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.supervision.ServiceStatus;
import io.github.supervision.ServiceStatusListener;
import io.github.supervision.Subscription;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the last status read of each service while nothing has changed. Each supervisor
 * renames a new {@code supervise/status} into place on every change, which an
 * {@link InotifyWatch} sees at once. A snapshot of a service's files is served from
 * memory for as long as no watch has seen an event since the snapshot was read: every
 * event first bumps the service's generation, and a read only becomes the snapshot of the
 * generation it started in, so a read that races with a change is never kept. An overflow
 * drops every snapshot. An action waiting for its service's wanted state is woken by the
 * same bump rather than polling the files. Whether the supervisor still runs is not in
 * the snapshot (its death changes no file): the caller checks it on each read from
 * {@code /proc/locks}.
 * <p>
 * Services that cannot be watched (not supervised yet, no inotify watch left, watching
 * turned off) are read from their files on every call. Changes reach listeners through a
 * {@link StatusNotifier}, which also polls every service. Watching starts with the
 * backend (or its first read); polling starts with the first listener.
 *
 * @author Supervision contributors
 */
final class StatusWatcher implements AutoCloseable {

	static final String INOTIFY = "inotify";

	static final String POLL = "poll";

	private final SuperviseReader reader;

	private final Duration pollInterval;

	private final boolean useEvents;

	private final Map<String, Entry> entries = new ConcurrentHashMap<>();

	private final StatusNotifier notifier;

	private final Object monitor = new Object();

	private volatile boolean started;

	private volatile boolean closed;

	private volatile @Nullable InotifyWatch watch;

	StatusWatcher(SuperviseReader reader, Duration pollInterval, boolean useEvents) {
		this.reader = reader;
		this.pollInterval = pollInterval;
		this.useEvents = useEvents;
		this.notifier = new StatusNotifier(pollInterval, this.entries::keySet, this::status);
	}

	/**
	 * Watch a target from now on (or from the start, when not started yet).
	 * @param target the target, valid
	 */
	void track(String target) {
		entry(target);
	}

	private Entry entry(String target) {
		Entry entry = this.entries.get(target);
		if (entry != null) {
			return entry;
		}
		Entry created = new Entry();
		entry = this.entries.putIfAbsent(target, created);
		if (entry != null) {
			return entry;
		}
		InotifyWatch watch = this.watch;
		if (watch != null) {
			watch.watch(target);
		}
		return created;
	}

	/**
	 * Whether every target known so far is an absolute path (and there is at least one).
	 * @return {@code true} if no known target needs the scan directory
	 */
	boolean tracksOnlyAbsoluteTargets() {
		return !this.entries.isEmpty() && this.entries.keySet().stream().allMatch((target) -> target.startsWith("/"));
	}

	/**
	 * Return how a target's changes are seen.
	 * @param target the target
	 * @return {@link #INOTIFY}, {@link #POLL}, or {@code null} while nothing watches
	 */
	@Nullable String mode(String target) {
		if (!this.entries.containsKey(target) || !this.started || this.closed) {
			return null;
		}
		return isWatched(target) ? INOTIFY : POLL;
	}

	/**
	 * Return the status of a target: from its snapshot when no watch has seen a change
	 * since it was read, else from its files. Whether the supervisor runs is checked
	 * either way.
	 * @param target the target
	 * @param locks the current locks
	 * @return the status
	 * @throws io.github.supervision.InvalidServiceNameException if the target is not
	 * valid
	 */
	ServiceStatus status(String target, LockTable locks) {
		start();
		Entry entry = this.entries.get(target);
		if (entry == null) {
			this.reader.validate(target);
			entry = entry(target);
		}
		Cached cached = entry.cached;
		// The generation is read before the snapshot is used or the files are read: an
		// event that comes later bumps it and drops what is read now
		long generation = entry.generation.get();
		if (cached != null && cached.generation == generation) {
			return live(target, cached.snapshot, locks);
		}
		if (watchIfDue(target)) {
			generation = entry.generation.get();
		}
		boolean watched = isWatched(target);
		SuperviseReader.Snapshot snapshot = this.reader.read(target, mode(target));
		if (watched && snapshot.isCacheable()) {
			entry.cached = new Cached(generation, snapshot);
		}
		return live(target, snapshot, locks);
	}

	/**
	 * Read a target's status from its files now (after an action), dropping its snapshot.
	 * @param target the target
	 * @param locks the current locks
	 * @return the status
	 */
	ServiceStatus read(String target, LockTable locks) {
		invalidate(target);
		return live(target, this.reader.read(target, mode(target)), locks);
	}

	private ServiceStatus live(String target, SuperviseReader.Snapshot snapshot, LockTable locks) {
		ServiceStatus status = this.reader.live(target, snapshot, locks);
		if (status != null) {
			return status;
		}
		invalidate(target);
		return this.reader.read(target, mode(target)).status();
	}

	/**
	 * Drop a target's snapshot, after the backend changed something itself: the next read
	 * of it reads its files.
	 * @param target the target
	 */
	void invalidate(String target) {
		Entry entry = this.entries.get(target);
		if (entry != null) {
			entry.changed();
		}
	}

	/**
	 * Return a target's generation, to wait for its next change with
	 * {@link #awaitChange(String, long, long)}, watching it first when it can be.
	 * @param target the target, valid
	 * @return the generation
	 */
	long generation(String target) {
		start();
		Entry entry = entry(target);
		watchIfDue(target);
		return entry.generation.get();
	}

	/**
	 * Whether a target's changes are seen as they happen, so that
	 * {@link #awaitChange(String, long, long)} returns on a change rather than at its
	 * timeout.
	 * @param target the target
	 * @return whether the target is watched
	 */
	boolean isWatched(String target) {
		InotifyWatch watch = this.watch;
		return watch != null && !this.closed && watch.isWatched(target);
	}

	private boolean watchIfDue(String target) {
		InotifyWatch watch = this.watch;
		return watch != null && !this.closed && watch.watchIfDue(target);
	}

	/**
	 * Wait until a watch sees a change of a target's files (or the backend drops its
	 * snapshot), or the timeout passes.
	 * @param target the target
	 * @param generation the generation the caller last saw, from
	 * {@link #generation(String)}
	 * @param timeoutNanos the most to wait
	 * @throws InterruptedException if interrupted while waiting
	 */
	void awaitChange(String target, long generation, long timeoutNanos) throws InterruptedException {
		Entry entry = entry(target);
		long deadline = System.nanoTime() + timeoutNanos;
		synchronized (entry.changes) {
			long remaining = timeoutNanos;
			while (entry.generation.get() == generation && remaining > 0) {
				TimeUnit.NANOSECONDS.timedWait(entry.changes, remaining);
				remaining = deadline - System.nanoTime();
			}
		}
	}

	/**
	 * Add a listener, starting the watcher if needed.
	 * @param listener the listener
	 * @return the handle that removes it
	 */
	Subscription subscribe(ServiceStatusListener listener) {
		Runnable remove = this.notifier.add(listener);
		start();
		this.notifier.listen();
		return remove::run;
	}

	/**
	 * Start watching every target known so far, and those added later. Does nothing when
	 * started or closed.
	 */
	void start() {
		if (this.started) {
			return;
		}
		synchronized (this.monitor) {
			if (this.started || this.closed) {
				return;
			}
			InotifyWatch watch = this.useEvents ? InotifyWatch.open(this.reader, this.pollInterval, new Changes())
					: null;
			this.watch = watch;
			this.started = true;
			if (watch != null) {
				this.entries.keySet().forEach(watch::watch);
				watch.start();
			}
		}
	}

	/**
	 * Handle on the calling thread the events that inotify has delivered and the watcher
	 * thread has not taken yet: a status call then does not answer from a snapshot whose
	 * change is already known, only because that thread has not run.
	 */
	void takePendingEvents() {
		InotifyWatch watch = this.watch;
		if (watch != null && !this.closed) {
			watch.takePendingEvents();
		}
	}

	@Override
	public void close() {
		synchronized (this.monitor) {
			this.closed = true;
			InotifyWatch watch = this.watch;
			if (watch != null) {
				watch.close();
			}
		}
		this.notifier.close();
		this.entries.values().forEach(Entry::changed);
	}

	private record Cached(long generation, SuperviseReader.Snapshot snapshot) {

	}

	private static final class Entry {

		final AtomicLong generation = new AtomicLong();

		final Object changes = new Object();

		volatile @Nullable Cached cached;

		void changed() {
			this.generation.incrementAndGet();
			synchronized (this.changes) {
				this.changes.notifyAll();
			}
		}

	}

	/**
	 * What the watch's events do: drop snapshots, and tell listeners.
	 */
	private final class Changes implements InotifyWatch.Changes {

		@Override
		public void dropped(Set<String> targets) {
			targets.forEach(StatusWatcher.this::invalidate);
		}

		@Override
		public Set<String> droppedAll() {
			StatusWatcher.this.entries.values().forEach(Entry::changed);
			return StatusWatcher.this.entries.keySet();
		}

		@Override
		public void changed(Set<String> targets) {
			StatusWatcher.this.notifier.refresh(targets);
		}

	}

}
