package io.github.supervision;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * An action that can be performed on a service. The first five are understood by every
 * backend; the others only where the backend has them (the catalog answers
 * {@link ActionResult.Outcome#UNSUPPORTED} otherwise). Those a backend performs itself
 * are listed by its {@link SupervisionBackend#supportedActions()}; {@link #ENABLE},
 * {@link #DISABLE}, {@link #RESET_FAILED} and {@link #SIGNAL} are carried out by an
 * optional {@linkplain #capability() capability} of the backend instead.
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
	CONTINUE,

	/**
	 * Start the service at boot: a systemd unit file's {@code [Install]} links, or no
	 * {@code down} file in a runit, daemontools or s6 service directory
	 * ({@link EnableCapability}).
	 */
	ENABLE,

	/**
	 * Do not start the service at boot ({@link EnableCapability}).
	 */
	DISABLE,

	/**
	 * Clear the failed state of a service (systemd's {@code ResetFailedUnit};
	 * {@link ResetFailedCapability}).
	 */
	RESET_FAILED,

	/**
	 * Send the service a named {@link ServiceSignal} ({@link SignalCapability}).
	 */
	SIGNAL,

	/**
	 * Restart the service if it runs, and leave it stopped otherwise (systemd).
	 */
	TRY_RESTART,

	/**
	 * Reload the service if it can reload, and restart it otherwise (systemd).
	 */
	RELOAD_OR_RESTART;

	/**
	 * The actions every backend that does not say otherwise performs itself: those before
	 * {@link #ENABLE}.
	 */
	static final Set<ServiceAction> CLASSIC = Collections
		.unmodifiableSet(EnumSet.of(START, STOP, RESTART, RELOAD, KILL, ONCE, PAUSE, CONTINUE));

	/**
	 * Return the action named by the given text, ignoring case.
	 * @param text the action's name, such as {@code restart}
	 * @return the action
	 * @throws InvalidActionException if no action has that name
	 */
	public static ServiceAction of(@Nullable String text) {
		if (text != null) {
			String normalized = text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
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
	 * @return the lower-case name, words joined by hyphens, such as {@code restart} or
	 * {@code reset-failed}
	 */
	public String id() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/**
	 * Return the optional capability that carries out this action, when a backend does
	 * not perform it itself.
	 * @return the capability, or {@code null} for an action the backend performs (one of
	 * its {@link SupervisionBackend#supportedActions()})
	 */
	public @Nullable ServiceCapability<?> capability() {
		return switch (this) {
			case ENABLE, DISABLE -> ServiceCapability.ENABLE;
			case RESET_FAILED -> ServiceCapability.RESET_FAILED;
			case SIGNAL -> ServiceCapability.SIGNAL;
			default -> null;
		};
	}

}
