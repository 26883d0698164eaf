package io.github.supervision;

/**
 * Thrown when an action is not allowed on a service by configuration
 * ({@code supervision.services.<name>.actions}).
 *
 * @author Supervision contributors
 */
public class ActionNotAllowedException extends SupervisionException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create a new exception.
	 * @param serviceName the service
	 * @param action the action that was refused
	 */
	public ActionNotAllowedException(String serviceName, ServiceAction action) {
		super("Action '" + action.id() + "' is not allowed on service '" + serviceName + "'; see supervision.services."
				+ serviceName + ".actions");
	}

}
