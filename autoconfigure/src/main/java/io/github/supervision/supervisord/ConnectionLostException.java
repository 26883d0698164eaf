package io.github.supervision.supervisord;

/**
 * Thrown when supervisord closed the connection after the call was sent and before it
 * answered: the call may or may not have taken effect.
 */
public class ConnectionLostException extends AnswerLostException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create a new exception.
	 * @param message what was lost
	 */
	public ConnectionLostException(String message) {
		super(message);
	}

}
