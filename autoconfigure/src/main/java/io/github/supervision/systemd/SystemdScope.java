package io.github.supervision.systemd;

/**
 * Which systemd manager the backend talks to.
 *
 * @author Supervision contributors
 */
public enum SystemdScope {

	/**
	 * The system manager (PID 1), on the system bus.
	 */
	SYSTEM,

	/**
	 * The calling user's manager ({@code systemctl --user}), on the user's session bus.
	 */
	USER

}
