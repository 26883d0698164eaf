package io.github.supervision;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import io.github.supervision.support.CallsInFlight;
import org.jspecify.annotations.Nullable;

/**
 * Decides for the {@link ServiceCatalog} whether an action on a declared service may be
 * tried, and holds the backend that carries it out to its deadline. An action must be
 * allowed by the service's definition and supported by its backend
 * ({@link ActionRoutes}); one action at a time is in flight on a service, for every
 * backend alike (a caller asking for the action already in flight joins it and gets its
 * result, one asking for another gets an {@link ActionInProgressException}: without this
 * each backend would decide, runit refusing, the embedded supervisor queueing, and
 * systemd letting a later job replace an earlier one, whose caller then reads back a
 * state the other action made); and the registered {@link ActionInterceptor}s wrap it.
 *
 * @author Supervision contributors
 */
final class ActionPolicy {

	private final Function<ServiceDefinition, SupervisionBackend> backendOf;

	private final Consumer<String> actionCompleted;

	private final List<ActionInterceptor> interceptors = new CopyOnWriteArrayList<>();

	private final CallsInFlight<ServiceName, Call, ActionResult> inFlight = new CallsInFlight<>();

	/**
	 * Create the policy of a catalog.
	 * @param backendOf the backend of a definition; throws
	 * {@link BackendUnavailableException} when it is missing
	 * @param actionCompleted told the id of a backend whose action completed
	 */
	ActionPolicy(Function<ServiceDefinition, SupervisionBackend> backendOf, Consumer<String> actionCompleted) {
		this.backendOf = backendOf;
		this.actionCompleted = actionCompleted;
	}

	/**
	 * Return the actions that may be performed on a declared service: those its
	 * definition allows that its backend supports.
	 * @param definition the service's definition
	 * @param backend its backend, or {@code null} when it is missing
	 * @return the actions, in {@link ServiceAction} order
	 */
	static Set<ServiceAction> allowed(ServiceDefinition definition, @Nullable SupervisionBackend backend) {
		if (backend == null) {
			return Set.of();
		}
		Set<ServiceAction> actions = EnumSet.noneOf(ServiceAction.class);
		definition.actions().stream().filter((action) -> ActionRoutes.supports(backend, action)).forEach(actions::add);
		return Collections.unmodifiableSet(actions);
	}

	/**
	 * Register an interceptor that wraps every action from now on. Interceptors
	 * registered later wrap those registered earlier.
	 * @param interceptor the interceptor
	 * @return a handle that removes the interceptor when closed
	 */
	Subscription intercept(ActionInterceptor interceptor) {
		this.interceptors.add(interceptor);
		return () -> this.interceptors.remove(interceptor);
	}

	/**
	 * Perform an action on a declared service, inside the interceptors.
	 * @param definition the service's definition
	 * @param action the action
	 * @param signal the signal of {@link ServiceAction#SIGNAL}, else {@code null}
	 * @param timeout the deadline
	 * @return the result, named by the service's declared name
	 */
	ActionResult perform(ServiceDefinition definition, ServiceAction action, @Nullable ServiceSignal signal,
			Duration timeout) {
		Supplier<ActionResult> proceed = () -> performAllowed(definition, action, signal, timeout);
		for (ActionInterceptor interceptor : this.interceptors) {
			Supplier<ActionResult> next = proceed;
			proceed = () -> interceptor.intercept(definition.name(), definition.backend(), action, signal, next);
		}
		return proceed.get();
	}

	private ActionResult performAllowed(ServiceDefinition definition, ServiceAction action,
			@Nullable ServiceSignal signal, Duration timeout) {
		ServiceName name = definition.name();
		if (!definition.actions().contains(action)) {
			throw new ActionNotAllowedException(name.value(), action);
		}
		SupervisionBackend backend = this.backendOf.apply(definition);
		Supplier<CompletableFuture<ActionResult>> call = ActionRoutes.call(backend, definition.target(), action, signal,
				timeout);
		if (call == null) {
			return new ActionResult(action, ActionResult.Outcome.UNSUPPORTED, ActionRoutes.unsupported(backend, action),
					null, null);
		}
		CompletableFuture<ActionResult> result = this.inFlight.call(name, new Call(action, signal),
				() -> CompletableFuture.completedFuture(execute(definition, action, call, timeout)),
				(other) -> new ActionInProgressException(name.value(), action, other.action()));
		return join(result, action, timeout);
	}

	private ActionResult execute(ServiceDefinition definition, ServiceAction action,
			Supplier<CompletableFuture<ActionResult>> call, Duration timeout) {
		ServiceName name = definition.name();
		CompletableFuture<ActionResult> future = call.get();
		// A read in flight that started before the action completes is not shared with
		// readers that come after it (the backend's own cache drops what the action
		// changed). The bump on completion covers an action that outlives its deadline;
		// the one before returning covers a caller that reads at once, before the
		// completion's callbacks have run.
		future.whenComplete((result, ex) -> this.actionCompleted.accept(definition.backend()));
		ActionResult timedOut = new ActionResult(action, ActionResult.Outcome.TIMEOUT,
				"No result within " + timeout.toMillis() + " ms; the action may still complete", null, null);
		try {
			// Each backend keeps its own deadline; this grace is the one guard against a
			// backend that breaks it (or a joined action whose deadline is later), so
			// that no request thread waits forever.
			ActionResult result = future.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
			this.actionCompleted.accept(definition.backend());
			return result.withServiceName(name.value());
		}
		catch (TimeoutException ex) {
			return timedOut;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new ActionResult(action, ActionResult.Outcome.CANCELED, "Interrupted while waiting", null, null);
		}
		catch (ExecutionException ex) {
			this.actionCompleted.accept(definition.backend());
			if (ex.getCause() instanceof SupervisionException supervisionException) {
				throw supervisionException;
			}
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			return new ActionResult(action, ActionResult.Outcome.FAILED,
					"The backend failed: " + cause.getClass().getSimpleName(), null, null);
		}
	}

	// This caller's own result is complete already; a caller that joined the action in
	// flight waits for it up to its own deadline
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

	/**
	 * An action in flight: a signal in flight is joined only by the same signal.
	 */
	private record Call(ServiceAction action, @Nullable ServiceSignal signal) {

	}

}
