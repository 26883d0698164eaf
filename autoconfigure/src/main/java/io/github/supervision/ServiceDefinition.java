package io.github.supervision;

import java.util.EnumSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A declared service: its name, which backend supervises it, what the backend calls it,
 * and what may be done to it.
 *
 * @param name the declared name, checked when it was made
 * @param backend the id of the backend that supervises it
 * @param target the backend's own name for it
 * @param actions the actions that may be performed on it, or {@code null} for
 * {@link #DEFAULT_ACTIONS}
 * @param critical whether health is {@code DOWN} when the service is not running
 * @param description a description for people, or {@code null}
 * @param logs whether its log may be read ({@code supervision.logs.enabled}, or
 * {@code supervision.services.<name>.logs} for this service); off unless set, because
 * logs may hold secrets
 * @author Supervision contributors
 */
public record ServiceDefinition(ServiceName name, String backend, String target, Set<ServiceAction> actions,
		boolean critical, @Nullable String description, boolean logs) {

	/**
	 * The actions allowed on a service whose definition lists none: those that leave it
	 * running or stopped as an operator would with the supervisor's own tool. Killing,
	 * pausing and one-shot runs must be listed per service.
	 */
	public static final Set<ServiceAction> DEFAULT_ACTIONS = Set
		.copyOf(EnumSet.of(ServiceAction.START, ServiceAction.STOP, ServiceAction.RESTART, ServiceAction.RELOAD));

	/**
	 * Create a new definition.
	 */
	public ServiceDefinition {
		Assert.notNull(name, "'name' must not be null");
		Assert.notNull(backend, "'backend' must not be null");
		Assert.notNull(target, "'target' must not be null");
		actions = (actions != null) ? Set.copyOf(actions) : DEFAULT_ACTIONS;
	}

	/**
	 * Create a new definition whose log may not be read.
	 * @param name the declared name
	 * @param backend the id of the backend that supervises it
	 * @param target the backend's own name for it
	 * @param actions the actions that may be performed on it, or {@code null} for
	 * {@link #DEFAULT_ACTIONS}
	 * @param critical whether health is {@code DOWN} when the service is not running
	 * @param description a description for people, or {@code null}
	 */
	public ServiceDefinition(ServiceName name, String backend, String target, Set<ServiceAction> actions,
			boolean critical, @Nullable String description) {
		this(name, backend, target, actions, critical, description, false);
	}

	/**
	 * Return this definition with its log readable or not.
	 * @param logs whether its log may be read
	 * @return the definition
	 */
	public ServiceDefinition withLogs(boolean logs) {
		return new ServiceDefinition(this.name, this.backend, this.target, this.actions, this.critical,
				this.description, logs);
	}

}
