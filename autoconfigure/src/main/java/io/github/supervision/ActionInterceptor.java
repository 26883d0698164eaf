package io.github.supervision;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * Wraps each action the {@link ServiceCatalog} performs on a declared service, so that it
 * can be timed, traced or recorded without the catalog knowing how. Registered with
 * {@link ServiceCatalog#intercept(ActionInterceptor)}.
 * <p>
 * An interceptor sees every action on a declared service, from the catalog's policy
 * checks to the result read back, including those the policy refuses. It never sees a
 * name that is not declared, so its records stay as few as the declared services.
 *
 * @author Supervision contributors
 */
@FunctionalInterface
public interface ActionInterceptor {

	/**
	 * Perform the action by calling {@code proceed} exactly once, on the calling thread,
	 * and return what it returns. What {@code proceed} throws (a
	 * {@link SupervisionException}) must be thrown on unchanged.
	 * @param service the service's declared name
	 * @param backend the id of the backend the service is declared on
	 * @param action the action
	 * @param proceed performs the action and returns its result
	 * @return the result of {@code proceed}
	 */
	ActionResult intercept(ServiceName service, String backend, ServiceAction action, Supplier<ActionResult> proceed);

	/**
	 * Perform an action that may carry a signal, as
	 * {@link #intercept(ServiceName, String, ServiceAction, Supplier)} does. The catalog
	 * calls this method; the default ignores the signal and calls the other.
	 * @param service the service's declared name
	 * @param backend the id of the backend the service is declared on
	 * @param action the action
	 * @param signal the signal of a {@link ServiceAction#SIGNAL}, else {@code null}
	 * @param proceed performs the action and returns its result
	 * @return the result of {@code proceed}
	 */
	default ActionResult intercept(ServiceName service, String backend, ServiceAction action,
			@Nullable ServiceSignal signal, Supplier<ActionResult> proceed) {
		return intercept(service, backend, action, proceed);
	}

}
