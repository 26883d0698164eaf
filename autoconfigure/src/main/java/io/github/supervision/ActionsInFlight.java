package io.github.supervision;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * Keeps one action at a time in flight on each declared service, for every backend alike:
 * a caller asking for the action already in flight joins it and gets its result, and one
 * asking for another action is refused with an {@link ActionInProgressException}. Without
 * it each backend would decide: runit refuses, the embedded supervisor queues, and
 * systemd lets a later job replace an earlier one, whose caller then reads back a state
 * the other action made.
 *
 * @author Supervision contributors
 */
final class ActionsInFlight {

	private final ConcurrentMap<ServiceName, InFlight> running = new ConcurrentHashMap<>();

	/**
	 * Perform an action unless another one is in flight on the same service.
	 * @param name the service
	 * @param action the action
	 * @param signal the signal of a {@link ServiceAction#SIGNAL} (only the same signal
	 * joins), else {@code null}
	 * @param timeout the most a joining caller waits, beyond which it answers
	 * {@link ActionResult.Outcome#TIMEOUT}
	 * @param perform performs the action and returns its result
	 * @return the result, this caller's or the one it joined
	 * @throws ActionInProgressException if another action is in flight on the service
	 */
	ActionResult perform(ServiceName name, ServiceAction action, @Nullable ServiceSignal signal, Duration timeout,
			Supplier<ActionResult> perform) {
		InFlight own = new InFlight(action, signal, new CompletableFuture<>());
		InFlight other = this.running.putIfAbsent(name, own);
		if (other != null) {
			if (other.action() != action || other.signal() != signal) {
				throw new ActionInProgressException(name.value(), action, other.action());
			}
			return join(other.result(), action, timeout);
		}
		try {
			ActionResult result = perform.get();
			own.result().complete(result);
			return result;
		}
		catch (RuntimeException ex) {
			own.result().completeExceptionally(ex);
			throw ex;
		}
		finally {
			this.running.remove(name, own);
		}
	}

	private static ActionResult join(CompletableFuture<ActionResult> result, ServiceAction action, Duration timeout) {
		try {
			return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			return new ActionResult(action, ActionResult.Outcome.TIMEOUT, "No result within " + timeout.toMillis()
					+ " ms from the " + action.id() + " already in flight; it may still complete", null, null);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new ActionResult(action, ActionResult.Outcome.CANCELED, "Interrupted while waiting", null, null);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException(ex.getCause());
		}
	}

	private record InFlight(ServiceAction action, @Nullable ServiceSignal signal,
			CompletableFuture<ActionResult> result) {
	}

}
