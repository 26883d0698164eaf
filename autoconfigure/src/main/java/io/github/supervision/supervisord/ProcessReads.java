package io.github.supervision.supervisord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import io.github.supervision.BackendAvailability;
import io.github.supervision.ServiceStatus;
import io.github.supervision.ServiceStatusListener;
import io.github.supervision.Subscription;
import io.github.supervision.SupervisionException;
import io.github.supervision.SupervisionTimeoutException;
import io.github.supervision.support.DaemonThreadFactory;
import io.github.supervision.support.Listeners;
import org.jspecify.annotations.Nullable;

/**
 * Reads every supervisord process with one {@code getAllProcessInfo} call, kept for a
 * poll interval, and pushes what changed to the listeners: while any is registered it
 * polls at that interval. Concurrent readers share the call in flight; a read never waits
 * behind an action, and an answer to a call sent before an action completed is not kept
 * as fresh after it ({@link #invalidate()}).
 *
 * @author Supervision contributors
 */
final class ProcessReads implements AutoCloseable {

	private final SupervisordContact contact;

	private final Duration readTimeout;

	private final Duration pollInterval;

	private final Listeners<ServiceStatusListener> listeners = new Listeners<>();

	private final ReentrantLock refreshLock = new ReentrantLock();

	private final ScheduledExecutorService scheduler;

	private final ExecutorService notifier;

	private final Object pollerLock = new Object();

	private @Nullable ScheduledFuture<?> poller;

	private volatile @Nullable ProcessSnapshot snapshot;

	// Bumped by every action: an answer to a call sent before it is not kept as fresh
	private final AtomicLong generation = new AtomicLong();

	private final AtomicBoolean probing = new AtomicBoolean();

	/**
	 * Create the reads of a backend. Nothing is contacted until the first call.
	 * @param contact the calls to supervisord
	 * @param readTimeout the most a read may take
	 * @param pollInterval how long a read is reused, and how often to poll while
	 * listeners are registered
	 */
	ProcessReads(SupervisordContact contact, Duration readTimeout, Duration pollInterval) {
		this.contact = contact;
		this.readTimeout = readTimeout;
		this.pollInterval = pollInterval;
		this.scheduler = Executors.newSingleThreadScheduledExecutor(new DaemonThreadFactory("supervisord-poll-"));
		this.notifier = Executors.newSingleThreadExecutor(new DaemonThreadFactory("supervisord-events-"));
	}

	/**
	 * Return what the last call to supervisord showed. When that is older than the poll
	 * interval (and at least a second), a call is made in the background so that the next
	 * answer is fresh; this method never waits for it.
	 * @return the availability
	 */
	BackendAvailability availability() {
		long age = System.nanoTime() - this.contact.observedAt();
		if (age > Math.max(this.pollInterval.toNanos(), TimeUnit.SECONDS.toNanos(1))
				&& this.probing.compareAndSet(false, true)) {
			try {
				this.scheduler.execute(() -> {
					try {
						probe();
					}
					finally {
						this.probing.set(false);
					}
				});
			}
			catch (RejectedExecutionException ex) {
				this.probing.set(false);
			}
		}
		return this.contact.availability();
	}

	/**
	 * Read supervisord in the background, soon.
	 */
	void probeSoon() {
		try {
			this.scheduler.execute(this::probe);
		}
		catch (RejectedExecutionException ex) {
			// closed
		}
	}

	private void probe() {
		try {
			refresh(this.readTimeout);
		}
		catch (RuntimeException ex) {
			// recorded in the availability
		}
	}

	/**
	 * Return the processes, read again when the last read is older than the poll
	 * interval.
	 * @param timeout the most the read may take
	 * @return the processes
	 * @throws SupervisionException if supervisord cannot be read
	 */
	ProcessSnapshot fresh(Duration timeout) {
		ProcessSnapshot current = this.snapshot;
		if (current != null && current.isFresh(this.pollInterval)) {
			return current;
		}
		return refresh(timeout);
	}

	// Reads every process with one getAllProcessInfo call, unless another thread is
	// doing so: then it waits for that answer. Changes since the previous read are
	// pushed to the listeners.
	private ProcessSnapshot refresh(Duration timeout) {
		long started = System.nanoTime();
		Duration effective = SupervisordContact.min(timeout, this.readTimeout);
		boolean locked;
		try {
			locked = this.refreshLock.tryLock(effective.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SupervisionTimeoutException("Reading supervisord's processes", effective);
		}
		if (!locked) {
			throw new SupervisionTimeoutException("Reading supervisord's processes", effective);
		}
		try {
			ProcessSnapshot current = this.snapshot;
			if (current != null && current.takenAt() >= started) {
				return current;
			}
			Duration remaining = effective.minusNanos(System.nanoTime() - started);
			long sentIn = this.generation.get();
			List<ProcessInfo> answer;
			try {
				answer = this.contact.call(SupervisordMethod.GET_ALL_PROCESS_INFO, remaining,
						SupervisordClient::getAllProcessInfo);
			}
			catch (SupervisionException ex) {
				lost(ex);
				throw ex;
			}
			ProcessSnapshot next = ProcessSnapshot.of(answer);
			// An action completed while the call was out: its caller (who asked before
			// the action) gets this answer, but the next read asks again
			this.snapshot = (this.generation.get() == sentIn) ? next : next.stale();
			changed(current, next);
			return next;
		}
		finally {
			this.refreshLock.unlock();
		}
	}

	// Makes the next read ask supervisord again, while keeping the last answer to tell
	// the listeners only what changed.
	void invalidate() {
		this.generation.incrementAndGet();
		ProcessSnapshot current = this.snapshot;
		if (current != null) {
			this.snapshot = current.stale();
		}
	}

	private void lost(SupervisionException ex) {
		ProcessSnapshot previous = this.snapshot;
		if (!(ex instanceof SupervisionTimeoutException)) {
			this.snapshot = null;
		}
		if (previous != null && this.snapshot == null && !this.listeners.isEmpty()) {
			String reason = ex.getMessage();
			List<ServiceStatus> unknown = previous.all()
				.stream()
				.map((status) -> ServiceStatus.unknown(status.target(), SupervisordBackend.ID, status.target(), reason))
				.toList();
			notifyListeners(unknown);
		}
	}

	private void changed(@Nullable ProcessSnapshot previous, ProcessSnapshot next) {
		if (this.listeners.isEmpty()) {
			return;
		}
		List<ServiceStatus> changes = new ArrayList<>();
		for (ServiceStatus status : next.all()) {
			ServiceStatus before = (previous != null) ? previous.find(status.target()) : null;
			if (before == null || before.state() != status.state() || !before.rawState().equals(status.rawState())
					|| !Objects.equals(before.pid(), status.pid())) {
				changes.add(status);
			}
		}
		if (previous != null) {
			for (ServiceStatus status : previous.all()) {
				if (next.find(status.target()) == null) {
					changes.add(ServiceStatus.unknown(status.target(), SupervisordBackend.ID, status.target(),
							"supervisord no longer has program '" + status.target() + "'"));
				}
			}
		}
		notifyListeners(changes);
	}

	private void notifyListeners(List<ServiceStatus> changes) {
		if (changes.isEmpty()) {
			return;
		}
		try {
			this.notifier.execute(() -> changes
				.forEach((change) -> this.listeners.forEach((listener) -> listener.statusChanged(change))));
		}
		catch (RejectedExecutionException ex) {
			// closed
		}
	}

	/**
	 * Register a listener, and poll while any is registered.
	 * @param listener the listener
	 * @return a handle that removes it when closed
	 */
	Subscription watch(ServiceStatusListener listener) {
		Runnable remove = this.listeners.add(listener);
		startPolling();
		return remove::run;
	}

	private void startPolling() {
		synchronized (this.pollerLock) {
			if (this.poller != null) {
				return;
			}
			long period = Math.max(this.pollInterval.toMillis(), 100);
			try {
				this.poller = this.scheduler.scheduleWithFixedDelay(() -> {
					if (!this.listeners.isEmpty()) {
						probe();
					}
				}, 0, period, TimeUnit.MILLISECONDS);
			}
			catch (RejectedExecutionException ex) {
				// closed
			}
		}
	}

	/**
	 * Read supervisord again soon if a listener is registered, to tell it what an action
	 * changed.
	 */
	void pollIfWatched() {
		if (!this.listeners.isEmpty()) {
			probeSoon();
		}
	}

	@Override
	public void close() {
		this.listeners.clear();
		this.scheduler.shutdownNow();
		this.notifier.shutdownNow();
	}

}
