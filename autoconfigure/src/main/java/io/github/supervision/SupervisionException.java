package io.github.supervision;

/**
 * Base of the exceptions thrown by the supervision API. Messages are written for a person
 * and never carry secrets, environment values or full command lines, so they may be shown
 * to clients.
 *
 * @author Supervision contributors
 */
public abstract class SupervisionException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	protected SupervisionException(String message) {
		super(message);
	}

	protected SupervisionException(String message, Throwable cause) {
		super(message, cause);
	}

	/**
	 * Return the message, which every supervision exception has.
	 * @return the message
	 */
	@Override
	public String getMessage() {
		String message = super.getMessage();
		return (message != null) ? message : getClass().getSimpleName();
	}

}
