package io.github.supervision.systemd;

/**
 * Which systemd manager a unit belongs to: the one the backend talks to, and the one a
 * registered unit is installed for. The one scope type, shared by the backend, the
 * registration generators and both groups of properties.
 *
 * @author Supervision contributors
 */
public enum SystemdScope {

	/**
	 * The system manager (PID 1), on the system bus: units in
	 * {@code /etc/systemd/system}, wanted by {@code multi-user.target}.
	 */
	SYSTEM,

	/**
	 * The calling user's manager ({@code systemctl --user}), on the user's session bus:
	 * units in {@code ~/.config/systemd/user}, wanted by {@code default.target}.
	 */
	USER

}
