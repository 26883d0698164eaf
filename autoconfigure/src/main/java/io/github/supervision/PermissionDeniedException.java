package io.github.supervision;

/**
 * Thrown when the operating system or the supervisor refuses an operation to this
 * process. The message says how to grant it.
 *
 * @author Supervision contributors
 */
public class PermissionDeniedException extends SupervisionException {

	private static final long serialVersionUID = 1L;

	private final String hint;

	/**
	 * Create a new exception.
	 * @param message what was refused
	 * @param hint how to grant it, for a person
	 */
	public PermissionDeniedException(String message, String hint) {
		super(message + ". " + hint);
		this.hint = hint;
	}

	/**
	 * Return how to grant the refused operation.
	 * @return the hint
	 */
	public String getHint() {
		return this.hint;
	}

}
