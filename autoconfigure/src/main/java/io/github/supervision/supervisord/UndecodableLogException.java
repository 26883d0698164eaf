package io.github.supervision.supervisord;

/**
 * Thrown when supervisord cannot send a part of a program's log: it decodes the bytes it
 * read as strict UTF-8 and answers HTTP 500 when they are not (bytes that are not UTF-8,
 * or a character cut at the start of the part). supervisord did answer, so it stays
 * available.
 */
public class UndecodableLogException extends MalformedAnswerException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create a new exception.
	 * @param message which log could not be read
	 */
	public UndecodableLogException(String message) {
		super(message);
	}

}
