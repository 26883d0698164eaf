package io.github.supervision.supervisord;

/**
 * Thrown when an answer is not a valid XML-RPC response. The message says what was wrong
 * and never quotes the answer.
 */
class XmlRpcResponseException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	XmlRpcResponseException(String message) {
		super(message);
	}

	XmlRpcResponseException(String message, Throwable cause) {
		super(message, cause);
	}

}
