package io.github.supervision;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * An action that can be performed on a service. The first five are understood by every
 * backend; the others only where the backend has them (a backend answers
 * {@link ActionResult.Outcome#UNSUPPORTED} otherwise).
 *
 * @author Supervision contributors
 */
public enum ServiceAction {

	/**
	 * Start the service.
	 */
	START,

	/**
	 * Stop the service.
	 */
	STOP,

	/**
	 * Stop, then start the service.
	 */
	RESTART,

	/**
	 * Ask the running service to reload its configuration (usually SIGHUP).
	 */
	RELOAD,

	/**
	 * Kill the service's processes at once (SIGKILL).
	 */
	KILL,

	/**
	 * Start the service once, without restarting it when it exits (runit, daemontools,
	 * s6).
	 */
	ONCE,

	/**
	 * Pause the service's process (SIGSTOP; runit, daemontools, s6).
	 */
	PAUSE,

	/**
	 * Continue a paused service (SIGCONT; runit, daemontools, s6).
	 */
	CONTINUE;

	/**
	 * Return the action named by the given text, ignoring case.
	 * @param text the action's name, such as {@code restart}
	 * @return the action
	 * @throws InvalidActionException if no action has that name
	 */
	public static ServiceAction of(@Nullable String text) {
		if (text != null) {
			String normalized = text.strip().toUpperCase(Locale.ROOT);
			for (ServiceAction action : values()) {
				if (action.name().equals(normalized)) {
					return action;
				}
			}
		}
		throw new InvalidActionException(text);
	}

	/**
	 * Return the action's name as written in requests and configuration.
	 * @return the lower-case name, such as {@code restart}
	 */
	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

}
