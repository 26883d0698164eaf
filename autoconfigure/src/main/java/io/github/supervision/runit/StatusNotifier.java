package io.github.supervision.runit;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import io.github.supervision.ServiceStatus;
import io.github.supervision.ServiceStatusListener;
import io.github.supervision.support.DaemonThreadFactory;
import io.github.supervision.support.Listeners;
import org.jspecify.annotations.Nullable;

/**
 * Tells listeners when the status of a runit service differs from the last one they were
 * told: a service is read again when its watch sees a change and, for every service, on
 * each poll, which also tells about a supervisor that died (its death changes no file).
 * <p>
 * Listening starts with the first listener: the current status of every service is taken
 * as the baseline, then polling starts ({@code runit-poll-1}). Listeners are called one
 * at a time on a thread of their own ({@code runit-listeners-1}).
 *
 * @author Supervision contributors
 */
final class StatusNotifier implements AutoCloseable {

	private final Duration pollInterval;

	private final Supplier<Collection<String>> targets;

	private final BiFunction<String, LockTable, ServiceStatus> reader;

	private final Listeners<ServiceStatusListener> listeners = new Listeners<>();

	private final Map<String, Last> lasts = new ConcurrentHashMap<>();

	private final Object monitor = new Object();

	private volatile boolean listening;

	private volatile boolean closed;

	private @Nullable ScheduledExecutorService poller;

	private volatile @Nullable ExecutorService dispatcher;

	/**
	 * Create a notifier, not listening yet.
	 * @param pollInterval the time between two polls
	 * @param targets every service known now
	 * @param reader what reads the status of a service
	 */
	StatusNotifier(Duration pollInterval, Supplier<Collection<String>> targets,
			BiFunction<String, LockTable, ServiceStatus> reader) {
		this.pollInterval = pollInterval;
		this.targets = targets;
		this.reader = reader;
	}

	/**
	 * Add a listener.
	 * @param listener the listener
	 * @return what removes it when run
	 */
	Runnable add(ServiceStatusListener listener) {
		return this.listeners.add(listener);
	}

	/**
	 * Start listening, unless listening or closed: take every service's status as the
	 * baseline, and start polling.
	 */
	void listen() {
		synchronized (this.monitor) {
			if (this.listening || this.closed) {
				return;
			}
			this.dispatcher = Executors.newSingleThreadExecutor(new DaemonThreadFactory("runit-listeners-"));
			this.listening = true;
			refreshAll();
			ScheduledExecutorService scheduler = Executors
				.newSingleThreadScheduledExecutor(new DaemonThreadFactory("runit-poll-"));
			long millis = Math.max(this.pollInterval.toMillis(), 10);
			scheduler.scheduleWithFixedDelay(this::pollAll, millis, millis, TimeUnit.MILLISECONDS);
			this.poller = scheduler;
		}
	}

	/**
	 * Read services that changed and tell listeners, when listening.
	 * @param changed the services
	 */
	void refresh(Collection<String> changed) {
		if (this.listening && !changed.isEmpty()) {
			LockTable locks = LockTable.read();
			for (String target : changed) {
				refresh(target, locks);
			}
		}
	}

	private void pollAll() {
		if (this.closed || this.listeners.isEmpty()) {
			return;
		}
		try {
			refreshAll();
		}
		catch (RuntimeException ex) {
			// Keep polling: one bad read must not end the schedule
		}
	}

	private void refreshAll() {
		LockTable locks = LockTable.read();
		for (String target : this.targets.get()) {
			refresh(target, locks);
		}
	}

	private void refresh(String target, LockTable locks) {
		Last last = this.lasts.computeIfAbsent(target, (key) -> new Last());
		ServiceStatus status;
		synchronized (last) {
			try {
				status = this.reader.apply(target, locks);
			}
			catch (RuntimeException ex) {
				return;
			}
			ServiceStatus previous = last.status;
			last.status = status;
			if (previous == null || same(previous, status)) {
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

	/**
	 * Stop polling and telling, and forget the listeners.
	 */
	@Override
	public void close() {
		synchronized (this.monitor) {
			this.closed = true;
			if (this.poller != null) {
				this.poller.shutdownNow();
			}
			ExecutorService executor = this.dispatcher;
			if (executor != null) {
				executor.shutdownNow();
			}
		}
		this.listeners.clear();
	}

	/**
	 * The last status told of one service.
	 */
	private static final class Last {

		@Nullable ServiceStatus status;

	}

}
