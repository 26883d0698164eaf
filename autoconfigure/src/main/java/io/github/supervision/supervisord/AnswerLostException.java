package io.github.supervision.supervisord;

import io.github.supervision.BackendUnavailableException;

/**
 * Thrown when a call was sent to supervisord but no usable answer came back: the
 * connection closed, or the answer was an HTTP error, not XML-RPC, or too large. The call
 * may or may not have taken effect.
 */
public class AnswerLostException extends BackendUnavailableException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create a new exception.
	 * @param message what was lost
	 */
	public AnswerLostException(String message) {
		super(message);
	}

	/**
	 * Create a new exception.
	 * @param message what was lost
	 * @param cause why
	 */
	public AnswerLostException(String message, Throwable cause) {
		super(message, cause);
	}

}
