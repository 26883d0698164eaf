package io.github.supervision.actuate.metrics;

import io.github.supervision.ActionResult;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceSignal;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Observation.Context} of an action on a declared service: which service, on
 * which backend, which action, and once it is done, its result.
 *
 * @author Supervision contributors
 */
public class ServiceActionContext extends Observation.Context {

	private final String service;

	private final String backend;

	private final ServiceAction action;

	private final @Nullable ServiceSignal signal;

	private @Nullable ActionResult result;

	/**
	 * Create a new context.
	 * @param service the service's declared name
	 * @param backend the backend's id
	 * @param action the action
	 */
	public ServiceActionContext(String service, String backend, ServiceAction action) {
		this(service, backend, action, null);
	}

	/**
	 * Create a new context for an action that may carry a signal.
	 * @param service the service's declared name
	 * @param backend the backend's id
	 * @param action the action
	 * @param signal the signal of a {@link ServiceAction#SIGNAL}, else {@code null}
	 */
	public ServiceActionContext(String service, String backend, ServiceAction action, @Nullable ServiceSignal signal) {
		this.service = service;
		this.backend = backend;
		this.action = action;
		this.signal = signal;
	}

	/**
	 * Return the signal of a {@link ServiceAction#SIGNAL}.
	 * @return the signal, or {@code null} for other actions
	 */
	public @Nullable ServiceSignal getSignal() {
		return this.signal;
	}

	/**
	 * Return the service's declared name.
	 * @return the name
	 */
	public String getService() {
		return this.service;
	}

	/**
	 * Return the id of the service's backend.
	 * @return the backend's id
	 */
	public String getBackend() {
		return this.backend;
	}

	/**
	 * Return the action.
	 * @return the action
	 */
	public ServiceAction getAction() {
		return this.action;
	}

	/**
	 * Return the action's result.
	 * @return the result, or {@code null} while the action runs or when it threw
	 */
	public @Nullable ActionResult getResult() {
		return this.result;
	}

	/**
	 * Set the action's result.
	 * @param result the result
	 */
	public void setResult(@Nullable ActionResult result) {
		this.result = result;
	}

}
