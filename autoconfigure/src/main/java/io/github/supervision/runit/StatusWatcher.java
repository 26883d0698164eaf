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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.supervision.ServiceStatus;
import io.github.supervision.ServiceStatusListener;
import io.github.supervision.Subscription;
import org.jspecify.annotations.Nullable;

/**
 * Pushes status changes to listeners. Each supervisor renames a new
 * {@code supervise/status} into place on every change; a {@link WatchService} (inotify)
 * on each {@code supervise/} directory sees the rename at once. Directories that cannot
 * be watched (not there yet, no inotify watches left) are polled, and every tracked
 * service is also re-read on each poll, which catches a supervisor that died (its death
 * does not touch the status file). Nothing runs until the first listener subscribes.
 *
 * @author Supervision contributors
 */
final class StatusWatcher implements AutoCloseable {

	static final String INOTIFY = "inotify";

	static final String POLL = "poll";

	private final Reader reader;

	private final Duration pollInterval;

	private final boolean useEvents;

	private final Map<String, Entry> entries = new ConcurrentHashMap<>();

	private final Map<WatchKey, Set<String>> targetsByKey = new ConcurrentHashMap<>();

	private final List<ServiceStatusListener> listeners = new CopyOnWriteArrayList<>();

	private final Object monitor = new Object();

	private volatile boolean started;

	private volatile boolean closed;

	private @Nullable WatchService watchService;

	private @Nullable Thread eventThread;

	private @Nullable ScheduledExecutorService poller;

	private @Nullable ExecutorService dispatcher;

	StatusWatcher(Reader reader, Duration pollInterval, boolean useEvents) {
		this.reader = reader;
		this.pollInterval = pollInterval;
		this.useEvents = useEvents;
	}

	/**
	 * Watch a target from now on (or from the start, when not started yet).
	 * @param target the target, valid
	 */
	void track(String target) {
		if (this.entries.containsKey(target)) {
			return;
		}
		Entry entry = new Entry();
		if (this.entries.putIfAbsent(target, entry) == null && this.started) {
			start(target, entry, LockTable.read());
		}
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
		if (entry == null || !this.started || this.closed) {
			return null;
		}
		return (entry.key != null) ? INOTIFY : POLL;
	}

	/**
	 * Add a listener, starting the watcher if needed.
	 * @param listener the listener
	 * @return the handle that removes it
	 */
	Subscription subscribe(ServiceStatusListener listener) {
		this.listeners.add(listener);
		start();
		return () -> this.listeners.remove(listener);
	}

	private void start() {
		synchronized (this.monitor) {
			if (this.started || this.closed) {
				return;
			}
			this.dispatcher = Executors.newSingleThreadExecutor(daemon("runit-listeners"));
			if (this.useEvents) {
				try {
					this.watchService = FileSystems.getDefault().newWatchService();
				}
				catch (IOException | UnsupportedOperationException ex) {
					this.watchService = null;
				}
			}
			this.started = true;
			LockTable locks = LockTable.read();
			this.entries.forEach((target, entry) -> start(target, entry, locks));
			if (this.watchService != null) {
				Thread thread = daemon("runit-watch").newThread(this::receiveEvents);
				this.eventThread = thread;
				thread.start();
			}
			ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(daemon("runit-poll"));
			long millis = Math.max(this.pollInterval.toMillis(), 10);
			scheduler.scheduleWithFixedDelay(this::pollAll, millis, millis, TimeUnit.MILLISECONDS);
			this.poller = scheduler;
		}
	}

	private void start(String target, Entry entry, LockTable locks) {
		register(target, entry);
		refresh(target, entry, locks);
	}

	private void register(String target, Entry entry) {
		WatchService service = this.watchService;
		if (service == null || this.closed) {
			return;
		}
		try {
			Path directory = this.reader.superviseDirectory(target);
			WatchKey key = directory.register(service, StandardWatchEventKinds.ENTRY_CREATE,
					StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
			this.targetsByKey.computeIfAbsent(key, (k) -> ConcurrentHashMap.newKeySet()).add(target);
			entry.key = key;
		}
		catch (IOException | RuntimeException ex) {
			// Not there yet, not readable, or no inotify watch left: poll it
			entry.key = null;
		}
	}

	private void receiveEvents() {
		WatchService service = this.watchService;
		if (service == null) {
			return;
		}
		try {
			while (!this.closed) {
				WatchKey key = service.take();
				Set<String> changed = new HashSet<>();
				while (key != null) {
					collect(key, changed);
					key = service.poll();
				}
				LockTable locks = LockTable.read();
				for (String target : changed) {
					Entry entry = this.entries.get(target);
					if (entry != null) {
						refresh(target, entry, locks);
					}
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ClosedWatchServiceException ex) {
			// closed: stop
		}
	}

	private void collect(WatchKey key, Set<String> changed) {
		Set<String> targets = this.targetsByKey.getOrDefault(key, Set.of());
		for (WatchEvent<?> event : key.pollEvents()) {
			if (event.kind() == StandardWatchEventKinds.OVERFLOW
					|| (event.context() instanceof Path name && name.toString().equals("status"))) {
				changed.addAll(targets);
			}
		}
		if (!key.reset()) {
			// The directory is gone (service removed, supervise recreated): poll until it
			// can be watched again
			this.targetsByKey.remove(key);
			for (String target : targets) {
				Entry entry = this.entries.get(target);
				if (entry != null && entry.key == key) {
					entry.key = null;
				}
				changed.add(target);
			}
		}
	}

	private void pollAll() {
		if (this.closed) {
			return;
		}
		try {
			LockTable locks = LockTable.read();
			this.entries.forEach((target, entry) -> {
				if (entry.key == null) {
					register(target, entry);
				}
				refresh(target, entry, locks);
			});
		}
		catch (RuntimeException ex) {
			// Keep polling: one bad read must not end the schedule
		}
	}

	private void refresh(String target, Entry entry, LockTable locks) {
		ServiceStatus status;
		synchronized (entry) {
			status = this.reader.read(target, locks);
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
		for (ServiceStatusListener listener : this.listeners) {
			try {
				executor.execute(() -> notify(listener, status));
			}
			catch (RuntimeException ex) {
				return;
			}
		}
	}

	private static void notify(ServiceStatusListener listener, ServiceStatus status) {
		try {
			listener.statusChanged(status);
		}
		catch (RuntimeException ex) {
			// A failing listener must not stop the others
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
			if (this.dispatcher != null) {
				this.dispatcher.shutdownNow();
			}
			Thread thread = this.eventThread;
			if (thread != null) {
				thread.interrupt();
			}
		}
		this.listeners.clear();
	}

	private static ThreadFactory daemon(String name) {
		AtomicInteger count = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	/**
	 * Reads the status of a target for the watcher.
	 */
	interface Reader {

		/**
		 * Read a target's status.
		 * @param target the target
		 * @param locks the current locks
		 * @return the status
		 */
		ServiceStatus read(String target, LockTable locks);

		/**
		 * Return a target's {@code supervise/} directory.
		 * @param target the target
		 * @return the directory
		 */
		Path superviseDirectory(String target);

	}

	private static final class Entry {

		volatile @Nullable WatchKey key;

		@Nullable ServiceStatus last;

	}

}
