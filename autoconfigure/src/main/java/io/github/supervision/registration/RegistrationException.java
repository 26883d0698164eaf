package io.github.supervision.registration;

import io.github.supervision.SupervisionException;

/**
 * Thrown when a registration cannot be generated or installed: a value that the target
 * syntax cannot carry, an unknown directive, a file we did not generate. The message
 * names the property or file involved and never carries the value itself.
 *
 * @author Supervision contributors
 */
public class RegistrationException extends SupervisionException {

	private static final long serialVersionUID = 1L;

	private final String property;

	/**
	 * Create a new exception.
	 * @param property the property, argument or file the problem is about
	 * @param message what is wrong and what to do about it
	 */
	public RegistrationException(String property, String message) {
		super("'" + property + "': " + message);
		this.property = property;
	}

	/**
	 * Return the property, argument or file the problem is about.
	 * @return the property
	 */
	public String getProperty() {
		return this.property;
	}

}
