package io.github.supervision;

/**
 * Thrown when a name breaks the naming rules of the API or of a backend. It is thrown
 * before the name touches a path, a bus call or a configuration file.
 *
 * @author Supervision contributors
 */
public class InvalidServiceNameException extends SupervisionException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create a new exception.
	 * @param message why the name is invalid
	 */
	public InvalidServiceNameException(String message) {
		super(message);
	}

}
