package io.github.supervision;

import java.time.Duration;

/**
 * Thrown when a deadline passed before a backend answered.
 *
 * @author Supervision contributors
 */
public class SupervisionTimeoutException extends SupervisionException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create a new exception.
	 * @param what what was waited for
	 * @param timeout the deadline that passed
	 */
	public SupervisionTimeoutException(String what, Duration timeout) {
		super(what + " did not complete within " + timeout.toMillis() + " ms");
	}

}
