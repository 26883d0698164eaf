package io.github.supervision.supervisord;

import io.github.supervision.BackendUnavailableException;

/**
 * Thrown when supervisord's answer is valid XML-RPC but not of the shape its method
 * returns. supervisord did answer, so the call itself went through.
 */
public class MalformedAnswerException extends BackendUnavailableException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create a new exception.
	 * @param message which method's answer was malformed, and how
	 */
	public MalformedAnswerException(String message) {
		super(message);
	}

}
