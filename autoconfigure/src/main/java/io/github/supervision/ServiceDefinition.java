package io.github.supervision;

import java.util.EnumSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A declared service: its name, which backend supervises it, what the backend calls it,
 * and what may be done to it.
 *
 * @param name the declared name
 * @param backend the id of the backend that supervises it
 * @param target the backend's own name for it
 * @param actions the actions that may be performed on it
 * @param critical whether health is {@code DOWN} when the service is not running
 * @param description a description for people, or {@code null}
 * @author Supervision contributors
 */
public record ServiceDefinition(String name, String backend, String target, Set<ServiceAction> actions,
		boolean critical, @Nullable String description) {

	/**
	 * Create a new definition.
	 */
	public ServiceDefinition {
		ServiceNames.validate(name);
		Assert.notNull(backend, "'backend' must not be null");
		Assert.notNull(target, "'target' must not be null");
		actions = (actions != null) ? Set.copyOf(actions) : Set.copyOf(EnumSet.allOf(ServiceAction.class));
	}

}
