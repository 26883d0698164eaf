package io.github.supervision.runit;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.supervision.ServiceStatus;
import io.github.supervision.ServiceStatusListener;
import io.github.supervision.Subscription;
import io.github.supervision.support.DaemonThreadFactory;
import io.github.supervision.support.Listeners;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the last status read of each service while nothing has changed, and pushes
 * changes to listeners. Each supervisor renames a new {@code supervise/status} into place
 * on every change; a {@link WatchService} (inotify) on each service's {@code supervise/}
 * directory, its service directory (the {@code down} file), its {@code log/} and
 * {@code log/supervise/} directories sees every change at once. A snapshot of a service's
 * files is served from memory for as long as none of these watches has seen an event
 * since the snapshot was read: every event first bumps the service's generation, and a
 * read only becomes the snapshot of the generation it started in, so a read that races
 * with a change is never kept. An overflow drops every snapshot. An action waiting for
 * its service's wanted state is woken by the same bump rather than polling the files.
 * Whether the supervisor still runs is not in the snapshot (its death changes no file):
 * the caller checks it on each read from {@code /proc/locks}.
 * <p>
 * Services that cannot be watched (not supervised yet, no inotify watch left, watching
 * turned off) are read from their files on every call, and polled for listeners. Every
 * service is also re-read on each poll while listeners are registered, which tells them
 * about a supervisor that died. Watching starts with the backend (or its first read);
 * polling starts with the first listener.
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

	private final Map<WatchKey, Set<String>> targetsByKey = new ConcurrentHashMap<>();

	private final Listeners<ServiceStatusListener> listeners = new Listeners<>();

	private final Object monitor = new Object();

	private volatile boolean started;

	private volatile boolean listening;

	private volatile boolean closed;

	private volatile @Nullable WatchService watchService;

	private @Nullable Thread eventThread;

	private @Nullable ScheduledExecutorService poller;

	private volatile @Nullable ExecutorService dispatcher;

	StatusWatcher(SuperviseReader reader, Duration pollInterval, boolean useEvents) {
		this.reader = reader;
		this.pollInterval = pollInterval;
		this.useEvents = useEvents;
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
		if (this.started) {
			register(target, created);
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
		Entry entry = this.entries.get(target);
		return (entry != null) ? mode(entry) : null;
	}

	private @Nullable String mode(Entry entry) {
		if (!this.started || this.closed) {
			return null;
		}
		return (entry.watched) ? INOTIFY : POLL;
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
		if (!entry.watched && this.started && !this.closed && System.nanoTime() - entry.nextAttempt >= 0) {
			register(target, entry);
			generation = entry.generation.get();
		}
		boolean watched = entry.watched && !this.closed;
		SuperviseReader.Snapshot snapshot = this.reader.read(target, mode(entry));
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
		if (!entry.watched && this.started && !this.closed && System.nanoTime() - entry.nextAttempt >= 0) {
			register(target, entry);
		}
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
		Entry entry = this.entries.get(target);
		return entry != null && entry.watched && !this.closed;
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
		Runnable remove = this.listeners.add(listener);
		start();
		listen();
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
			if (this.useEvents) {
				try {
					this.watchService = FileSystems.getDefault().newWatchService();
				}
				catch (IOException | UnsupportedOperationException ex) {
					this.watchService = null;
				}
			}
			this.started = true;
			this.entries.forEach(this::register);
			if (this.watchService != null) {
				Thread thread = new DaemonThreadFactory("runit-watch-").newThread(this::receiveEvents);
				this.eventThread = thread;
				thread.start();
			}
		}
	}

	private void listen() {
		synchronized (this.monitor) {
			if (this.listening || this.closed) {
				return;
			}
			this.dispatcher = Executors.newSingleThreadExecutor(new DaemonThreadFactory("runit-listeners-"));
			this.listening = true;
			LockTable locks = LockTable.read();
			this.entries.forEach((target, entry) -> refresh(target, entry, locks));
			ScheduledExecutorService scheduler = Executors
				.newSingleThreadScheduledExecutor(new DaemonThreadFactory("runit-poll-"));
			long millis = Math.max(this.pollInterval.toMillis(), 10);
			scheduler.scheduleWithFixedDelay(this::pollAll, millis, millis, TimeUnit.MILLISECONDS);
			this.poller = scheduler;
		}
	}

	private void register(String target, Entry entry) {
		WatchService service = this.watchService;
		if (service == null || this.closed) {
			return;
		}
		synchronized (entry) {
			entry.nextAttempt = System.nanoTime() + this.pollInterval.toNanos();
			List<WatchKey> keys = new ArrayList<>();
			try {
				List<Path> directories = this.reader.directories(target);
				if (directories.isEmpty()) {
					entry.watched = false;
					return;
				}
				for (Path directory : directories) {
					WatchKey key = directory.register(service, StandardWatchEventKinds.ENTRY_CREATE,
							StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
					this.targetsByKey.computeIfAbsent(key, (k) -> ConcurrentHashMap.newKeySet()).add(target);
					keys.add(key);
				}
			}
			catch (IOException | RuntimeException ex) {
				// Not there yet, not readable, or no inotify watch left: read it every
				// time, and poll it
				entry.watched = false;
				return;
			}
			entry.superviseKey = keys.get(0);
			entry.watched = true;
			// A directory removed meanwhile: its key is invalid and its event may
			// already have been seen
			if (!keys.stream().allMatch(WatchKey::isValid)) {
				entry.watched = false;
			}
		}
	}

	private void receiveEvents() {
		WatchService service = this.watchService;
		if (service == null) {
			return;
		}
		try {
			while (!this.closed) {
				handle(service, service.take());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ClosedWatchServiceException ex) {
			// closed: stop
		}
	}

	/**
	 * Handle on the calling thread the events that inotify has delivered and the watcher
	 * thread has not taken yet: a status call then does not answer from a snapshot whose
	 * change is already known, only because that thread has not run.
	 */
	void takePendingEvents() {
		WatchService service = this.watchService;
		if (service == null || this.closed) {
			return;
		}
		try {
			WatchKey key = service.poll();
			if (key != null) {
				handle(service, key);
			}
		}
		catch (ClosedWatchServiceException ex) {
			// closed: nothing to take
		}
	}

	private void handle(WatchService service, @Nullable WatchKey first) {
		Set<String> changed = new HashSet<>();
		WatchKey key = first;
		while (key != null) {
			collect(key, changed);
			key = service.poll();
		}
		if (this.listening && !changed.isEmpty()) {
			LockTable locks = LockTable.read();
			for (String target : changed) {
				Entry entry = this.entries.get(target);
				if (entry != null) {
					refresh(target, entry, locks);
				}
			}
		}
	}

	private void collect(WatchKey key, Set<String> changed) {
		Set<String> targets = this.targetsByKey.getOrDefault(key, Set.of());
		// Drop the snapshots before anything else
		for (String target : targets) {
			invalidate(target);
		}
		boolean overflow = false;
		for (WatchEvent<?> event : key.pollEvents()) {
			overflow |= event.kind() == StandardWatchEventKinds.OVERFLOW;
		}
		if (overflow) {
			this.entries.values().forEach(Entry::changed);
			changed.addAll(this.entries.keySet());
		}
		changed.addAll(targets);
		boolean valid = key.reset();
		if (!valid) {
			this.targetsByKey.remove(key);
		}
		for (String target : targets) {
			Entry entry = this.entries.get(target);
			// Watch again on the next read: a directory went (service removed,
			// supervise made anew), or one to watch may have come (log/, log/supervise/)
			if (entry != null && (!valid || !key.equals(entry.superviseKey))) {
				entry.watched = false;
				entry.nextAttempt = System.nanoTime();
			}
		}
	}

	private void pollAll() {
		if (this.closed || this.listeners.isEmpty()) {
			return;
		}
		try {
			LockTable locks = LockTable.read();
			this.entries.forEach((target, entry) -> refresh(target, entry, locks));
		}
		catch (RuntimeException ex) {
			// Keep polling: one bad read must not end the schedule
		}
	}

	private void refresh(String target, Entry entry, LockTable locks) {
		ServiceStatus status;
		synchronized (entry.lastMonitor) {
			try {
				status = status(target, locks);
			}
			catch (RuntimeException ex) {
				return;
			}
			ServiceStatus last = entry.last;
			entry.last = status;
			if (last == null || same(last, status)) {
				return;
			}
		}
		ExecutorService executor = this.dispatcher;
		if (executor == null || this.closed) {
			return;
		}
		try {
			executor.execute(() -> this.listeners.forEach((listener) -> listener.statusChanged(status)));
		}
		catch (RuntimeException ex) {
			// Closed meanwhile: nobody to tell
		}
	}

	private static boolean same(ServiceStatus a, ServiceStatus b) {
		return a.state() == b.state() && a.rawState().equals(b.rawState()) && Objects.equals(a.pid(), b.pid())
				&& Objects.equals(a.since(), b.since()) && Objects.equals(a.message(), b.message());
	}

	@Override
	public void close() {
		synchronized (this.monitor) {
			this.closed = true;
			WatchService service = this.watchService;
			if (service != null) {
				try {
					service.close();
				}
				catch (IOException ex) {
					// closing: nothing more to do
				}
			}
			if (this.poller != null) {
				this.poller.shutdownNow();
			}
			ExecutorService executor = this.dispatcher;
			if (executor != null) {
				executor.shutdownNow();
			}
			Thread thread = this.eventThread;
			if (thread != null) {
				thread.interrupt();
			}
		}
		this.listeners.clear();
		this.entries.values().forEach((entry) -> {
			entry.watched = false;
			entry.changed();
		});
	}

	private record Cached(long generation, SuperviseReader.Snapshot snapshot) {

	}

	private static final class Entry {

		final AtomicLong generation = new AtomicLong();

		final Object changes = new Object();

		final Object lastMonitor = new Object();

		volatile @Nullable Cached cached;

		volatile boolean watched;

		volatile long nextAttempt = System.nanoTime();

		volatile @Nullable WatchKey superviseKey;

		@Nullable ServiceStatus last;

		void changed() {
			this.generation.incrementAndGet();
			synchronized (this.changes) {
				this.changes.notifyAll();
			}
		}

	}

}
