package io.github.supervision.registration;

/**
 * Generates the definition of the application as a service of one supervisor.
 *
 * @author Supervision contributors
 */
public interface RegistrationGenerator {

	/**
	 * Return the supervisor this generator writes for: {@code systemd}, {@code runit} or
	 * {@code supervisord}.
	 * @return the supervisor id
	 */
	String supervisor();

	/**
	 * Generate the definition.
	 * @param spec what to run and how
	 * @return the files
	 * @throws RegistrationException if a value cannot be written in the supervisor's
	 * syntax
	 */
	Registration generate(RegistrationSpec spec);

}
