package io.github.supervision.systemd;

import io.github.supervision.SupervisionException;

/**
 * Thrown when systemd refuses a manager operation (enable, disable, daemon-reload) for a
 * reason other than permissions or an unknown unit. The message is systemd's own.
 *
 * @author Supervision contributors
 */
public class SystemdOperationException extends SupervisionException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create a new exception.
	 * @param message what systemd refused and why
	 * @param cause the D-Bus error, kept for logs at debug level
	 */
	public SystemdOperationException(String message, Throwable cause) {
		super(message, cause);
	}

}
