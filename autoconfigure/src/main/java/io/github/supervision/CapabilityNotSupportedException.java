package io.github.supervision;

/**
 * Thrown when a service's backend does not offer a {@link ServiceCapability capability},
 * such as reading a systemd service's log tail before the journal is supported.
 *
 * @author Supervision contributors
 */
public class CapabilityNotSupportedException extends SupervisionException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create a new exception.
	 * @param serviceName the service
	 * @param backend the id of its backend
	 * @param capability the capability that was asked for
	 */
	public CapabilityNotSupportedException(String serviceName, String backend, ServiceCapability<?> capability) {
		super("Service '" + serviceName + "' does not support '" + capability.id() + "': the " + backend
				+ " backend does not offer it");
	}

}
