package io.github.supervision;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads the catalog's backends: each read within the read deadline, a failed one turned
 * into {@code UNKNOWN} statuses with the reason, and concurrent reads of a backend's
 * declared services (or of its discovery) shared while one is in flight
 * ({@link SharedRead}). The catalog tells it when an action on a backend completed, so
 * that no read from before the action is shared after it.
 *
 * @author Supervision contributors
 */
final class BackendReads {

	private final Map<String, SupervisionBackend> backends;

	private final Duration readTimeout;

	private final ExecutorService executor;

	private final Map<String, AtomicLong> epochs = new HashMap<>();

	private final Map<String, SharedRead<Map<String, ServiceStatus>>> statusReads = new HashMap<>();

	private final Map<String, SharedRead<List<ServiceStatus>>> discoveryReads = new HashMap<>();

	BackendReads(Map<String, SupervisionBackend> backends, Duration readTimeout, ExecutorService executor) {
		this.backends = backends;
		this.readTimeout = readTimeout;
		this.executor = executor;
		long maxAge = readTimeout.toNanos();
		backends.keySet().forEach((id) -> {
			AtomicLong epoch = new AtomicLong();
			this.epochs.put(id, epoch);
			this.statusReads.put(id, new SharedRead<>(epoch, maxAge));
			this.discoveryReads.put(id, new SharedRead<>(epoch, maxAge));
		});
	}

	/**
	 * Read the status of a backend's targets. The newest read is left in {@code inline}
	 * for the caller to run on its own thread; the one it displaces moves to the
	 * executor.
	 * @param backendId the backend's id
	 * @param targets the targets
	 * @param shared whether to join (or start) the shared read of these targets: only for
	 * the backend's declared services as a whole
	 * @param inline the task the caller runs itself
	 * @return the statuses by target, empty for a missing backend
	 */
	CompletableFuture<Map<String, ServiceStatus>> status(String backendId, List<String> targets, boolean shared,
			List<Runnable> inline) {
		SupervisionBackend backend = this.backends.get(backendId);
		if (backend == null) {
			return CompletableFuture.completedFuture(Map.of());
		}
		SharedRead.Ticket<Map<String, ServiceStatus>> ticket = shared
				? Objects.requireNonNull(this.statusReads.get(backendId)).join()
				: new SharedRead.Ticket<>(new CompletableFuture<>(), true);
		if (ticket.leader()) {
			schedule(ticket.future(), () -> backend.status(targets, this.readTimeout),
					(ex) -> unknownAll(backend, targets, ex), inline);
		}
		return ticket.future();
	}

	/**
	 * Discover a backend's services, sharing the discovery in flight.
	 * @param backend the backend
	 * @param inline the task the caller runs itself
	 * @return the discovered statuses, empty if the discovery fails
	 */
	CompletableFuture<List<ServiceStatus>> discover(SupervisionBackend backend, List<Runnable> inline) {
		SharedRead.Ticket<List<ServiceStatus>> ticket = Objects.requireNonNull(this.discoveryReads.get(backend.id()))
			.join();
		if (ticket.leader()) {
			schedule(ticket.future(), () -> backend.discover(this.readTimeout), (ex) -> List.of(), inline);
		}
		return ticket.future();
	}

	/**
	 * Wait for a read within the read deadline and a second of grace.
	 * @param <T> the answer's type
	 * @param future the read
	 * @param fallback what to answer when it does not complete in time
	 * @return the answer or the fallback
	 */
	<T> T await(CompletableFuture<T> future, T fallback) {
		try {
			return future.get(this.readTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return fallback;
		}
		catch (ExecutionException | TimeoutException ex) {
			return fallback;
		}
	}

	/**
	 * Note that an action on a backend completed: no read that started before is shared
	 * from now on.
	 * @param backendId the backend's id
	 */
	void actionCompleted(String backendId) {
		AtomicLong epoch = this.epochs.get(backendId);
		if (epoch != null) {
			epoch.incrementAndGet();
		}
	}

	/**
	 * Return how many shared reads of a backend's declared services have started.
	 * @param backendId the backend's id
	 * @return the number of reads started, {@code 0} for an unknown backend
	 */
	long sharedReadsStarted(String backendId) {
		SharedRead<Map<String, ServiceStatus>> reads = this.statusReads.get(backendId);
		return (reads != null) ? reads.started() : 0;
	}

	private <T> void schedule(CompletableFuture<T> future, Supplier<T> task, Function<Throwable, T> fallback,
			List<Runnable> inline) {
		Runnable runnable = () -> {
			try {
				future.complete(task.get());
			}
			catch (RuntimeException ex) {
				future.complete(fallback.apply(ex));
			}
			finally {
				// An Error: the readers sharing this read must not wait for it
				future.completeExceptionally(new IllegalStateException("The read did not complete"));
			}
		};
		if (!inline.isEmpty()) {
			this.executor.execute(inline.remove(0));
		}
		inline.add(runnable);
	}

	private static Map<String, ServiceStatus> unknownAll(SupervisionBackend backend, List<String> targets,
			Throwable ex) {
		Throwable cause = (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
		String reason = (cause instanceof SupervisionException supervision) ? supervision.getMessage()
				: "The " + backend.id() + " backend failed: " + cause.getClass().getSimpleName();
		Map<String, ServiceStatus> result = new LinkedHashMap<>();
		targets.forEach((target) -> result.put(target, ServiceStatus.unknown(target, backend.id(), target, reason)));
		return result;
	}

}
