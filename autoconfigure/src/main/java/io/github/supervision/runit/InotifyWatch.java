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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.github.supervision.support.DaemonThreadFactory;
import org.jspecify.annotations.Nullable;

/**
 * Sees the changes of services' files as they happen, with one {@link WatchService}
 * (inotify) on each service's {@code supervise/} directory, its service directory (the
 * {@code down} file), its {@code log/} and {@code log/supervise/} directories, and
 * reports which services changed.
 * <p>
 * Events are taken on a thread of their own ({@code runit-watch-1}), or on a reader's
 * thread by {@link #takePendingEvents()}. For each watch that fires, the snapshots of its
 * services are dropped first ({@link Changes#dropped}); after the events at hand,
 * {@link Changes#changed} is told which services changed. An overflow drops every
 * snapshot. A service whose watch could not be made (not supervised yet, no inotify watch
 * left) or went (a directory removed or made anew) is watched again on its next read, at
 * most once per poll interval.
 *
 * @author Supervision contributors
 */
final class InotifyWatch implements AutoCloseable {

	private final WatchService service;

	private final SuperviseReader reader;

	private final Duration retryInterval;

	private final Changes changes;

	private final Map<String, Target> targets = new ConcurrentHashMap<>();

	private final Map<WatchKey, Set<String>> targetsByKey = new ConcurrentHashMap<>();

	private volatile boolean closed;

	private @Nullable Thread thread;

	private InotifyWatch(WatchService service, SuperviseReader reader, Duration retryInterval, Changes changes) {
		this.service = service;
		this.reader = reader;
		this.retryInterval = retryInterval;
		this.changes = changes;
	}

	/**
	 * Open a watch, not receiving events yet.
	 * @param reader where the directories of a service come from
	 * @param retryInterval the least time between two attempts to watch a service
	 * @param changes what to tell about changes
	 * @return the watch, or {@code null} when the file system cannot watch
	 */
	static @Nullable InotifyWatch open(SuperviseReader reader, Duration retryInterval, Changes changes) {
		try {
			return new InotifyWatch(FileSystems.getDefault().newWatchService(), reader, retryInterval, changes);
		}
		catch (IOException | UnsupportedOperationException ex) {
			return null;
		}
	}

	/**
	 * Start receiving events on a thread of its own.
	 */
	void start() {
		Thread thread = new DaemonThreadFactory("runit-watch-").newThread(this::receiveEvents);
		this.thread = thread;
		thread.start();
	}

	/**
	 * Watch a service's directories now.
	 * @param target the service
	 */
	void watch(String target) {
		register(target, target(target));
	}

	/**
	 * Watch a service's directories if it is not watched and the poll interval has passed
	 * since the last attempt.
	 * @param target the service
	 * @return whether it tried
	 */
	boolean watchIfDue(String target) {
		Target state = target(target);
		if (!state.watched && System.nanoTime() - state.nextAttempt >= 0) {
			register(target, state);
			return true;
		}
		return false;
	}

	/**
	 * Whether a service's changes are seen as they happen.
	 * @param target the service
	 * @return whether it is watched
	 */
	boolean isWatched(String target) {
		Target state = this.targets.get(target);
		return state != null && state.watched && !this.closed;
	}

	private Target target(String target) {
		return this.targets.computeIfAbsent(target, (key) -> new Target());
	}

	private void register(String target, Target state) {
		if (this.closed) {
			return;
		}
		synchronized (state) {
			state.nextAttempt = System.nanoTime() + this.retryInterval.toNanos();
			List<WatchKey> keys = new ArrayList<>();
			try {
				List<Path> directories = this.reader.directories(target);
				if (directories.isEmpty()) {
					state.watched = false;
					return;
				}
				for (Path directory : directories) {
					WatchKey key = directory.register(this.service, StandardWatchEventKinds.ENTRY_CREATE,
							StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
					this.targetsByKey.computeIfAbsent(key, (k) -> ConcurrentHashMap.newKeySet()).add(target);
					keys.add(key);
				}
			}
			catch (IOException | RuntimeException ex) {
				// Not there yet, not readable, or no inotify watch left: read it every
				// time, and poll it
				state.watched = false;
				return;
			}
			state.superviseKey = keys.get(0);
			// A directory removed meanwhile: its key is invalid and its event may
			// already have been seen
			state.watched = keys.stream().allMatch(WatchKey::isValid);
		}
	}

	private void receiveEvents() {
		try {
			while (!this.closed) {
				handle(this.service.take());
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
	 * Handle on the calling thread the events that inotify has delivered and the watch
	 * thread has not taken yet: a status call then does not answer from a snapshot whose
	 * change is already known, only because that thread has not run.
	 */
	void takePendingEvents() {
		if (this.closed) {
			return;
		}
		try {
			WatchKey key = this.service.poll();
			if (key != null) {
				handle(key);
			}
		}
		catch (ClosedWatchServiceException ex) {
			// closed: nothing to take
		}
	}

	private void handle(WatchKey first) {
		Set<String> changed = new HashSet<>();
		WatchKey key = first;
		while (key != null) {
			collect(key, changed);
			key = this.service.poll();
		}
		if (!changed.isEmpty()) {
			this.changes.changed(changed);
		}
	}

	private void collect(WatchKey key, Set<String> changed) {
		Set<String> targets = this.targetsByKey.getOrDefault(key, Set.of());
		// Drop the snapshots before anything else
		this.changes.dropped(targets);
		boolean overflow = false;
		for (WatchEvent<?> event : key.pollEvents()) {
			overflow |= event.kind() == StandardWatchEventKinds.OVERFLOW;
		}
		if (overflow) {
			changed.addAll(this.changes.droppedAll());
		}
		changed.addAll(targets);
		boolean valid = key.reset();
		if (!valid) {
			this.targetsByKey.remove(key);
		}
		for (String target : targets) {
			Target state = this.targets.get(target);
			// Watch again on the next read: a directory went (service removed,
			// supervise made anew), or one to watch may have come (log/, log/supervise/)
			if (state != null && (!valid || !key.equals(state.superviseKey))) {
				state.watched = false;
				state.nextAttempt = System.nanoTime();
			}
		}
	}

	/**
	 * Stop watching: close the watch service and end the thread.
	 */
	@Override
	public void close() {
		this.closed = true;
		try {
			this.service.close();
		}
		catch (IOException ex) {
			// closing: nothing more to do
		}
		Thread thread = this.thread;
		if (thread != null) {
			thread.interrupt();
		}
		this.targets.values().forEach((state) -> state.watched = false);
	}

	/**
	 * What a watch tells about the changes it sees.
	 */
	interface Changes {

		/**
		 * Drop the snapshots of services whose files changed; the first thing done on an
		 * event, so that no read that races with the change is kept.
		 * @param targets the services
		 */
		void dropped(Set<String> targets);

		/**
		 * Drop every snapshot: events were lost.
		 * @return every service known
		 */
		Set<String> droppedAll();

		/**
		 * Tell that services changed, after the events at hand were handled.
		 * @param targets the services
		 */
		void changed(Set<String> targets);

	}

	/**
	 * How one service is watched.
	 */
	private static final class Target {

		volatile boolean watched;

		volatile long nextAttempt = System.nanoTime();

		volatile @Nullable WatchKey superviseKey;

	}

}
