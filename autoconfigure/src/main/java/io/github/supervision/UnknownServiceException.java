package io.github.supervision;

/**
 * Thrown when a service is not known: not declared, not discovered, or unknown to its
 * backend.
 *
 * @author Supervision contributors
 */
public class UnknownServiceException extends SupervisionException {

	private static final long serialVersionUID = 1L;

	private final String serviceName;

	/**
	 * Create a new exception.
	 * @param serviceName the name that was asked for
	 */
	public UnknownServiceException(String serviceName) {
		this(serviceName, "No service named '" + serviceName + "' is declared");
	}

	/**
	 * Create a new exception with a message of its own.
	 * @param serviceName the name that was asked for
	 * @param message the message
	 */
	public UnknownServiceException(String serviceName, String message) {
		super(message);
		this.serviceName = serviceName;
	}

	/**
	 * Return the name that was asked for.
	 * @return the name
	 */
	public String getServiceName() {
		return this.serviceName;
	}

}
