package io.github.supervision;

/**
 * Thrown when a service's log is read while reading it is off: logs may hold secrets, so
 * the application must turn reading on ({@code supervision.logs.enabled}, or
 * {@code supervision.services.<name>.logs} for one service).
 *
 * @author Supervision contributors
 */
public class LogsNotEnabledException extends SupervisionException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create a new exception.
	 * @param serviceName the service
	 */
	public LogsNotEnabledException(String serviceName) {
		super("Reading the log of service '" + serviceName + "' is off; set supervision.logs.enabled=true, or "
				+ "supervision.services." + serviceName + ".logs=true for this service only");
	}

}
