package io.github.supervision;

/**
 * Thrown when a backend cannot be reached (daemon not running, socket missing, bus gone).
 *
 * @author Supervision contributors
 */
public class BackendUnavailableException extends SupervisionException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create a new exception.
	 * @param message what is unavailable and why
	 */
	public BackendUnavailableException(String message) {
		super(message);
	}

	/**
	 * Create a new exception.
	 * @param message what is unavailable and why
	 * @param cause the cause, kept for logs at debug level
	 */
	public BackendUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
