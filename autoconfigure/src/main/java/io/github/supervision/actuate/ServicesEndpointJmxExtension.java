package io.github.supervision.actuate;

import io.github.supervision.actuate.ServicesEndpoint.ActionDescriptor;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.jmx.annotation.EndpointJmxExtension;

/**
 * {@link EndpointJmxExtension @EndpointJmxExtension} that lets the
 * {@link ServicesEndpoint} act on services over JMX. It exists only when the application
 * opts in with {@code supervision.jmx.writes-enabled=true}: JMX bypasses the web security
 * that guards the HTTP writes, so anyone who can reach the MBean server could otherwise
 * stop services.
 *
 * @author Supervision contributors
 */
@EndpointJmxExtension(endpoint = ServicesEndpoint.class)
public class ServicesEndpointJmxExtension {

	private final ServicesEndpoint delegate;

	/**
	 * Create a new extension.
	 * @param delegate the endpoint
	 */
	public ServicesEndpointJmxExtension(ServicesEndpoint delegate) {
		this.delegate = delegate;
	}

	/**
	 * Perform an action on a declared service.
	 * @param name the service's name
	 * @param action the action's name
	 * @param signal the signal's name for the {@code signal} action, such as {@code USR1}
	 * @return the outcome
	 */
	@WriteOperation
	public ActionDescriptor perform(@Selector String name, @Nullable String action, @Nullable String signal) {
		return this.delegate.perform(name, action, signal, "JMX");
	}

}
