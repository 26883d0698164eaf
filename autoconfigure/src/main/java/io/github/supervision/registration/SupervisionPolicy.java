package io.github.supervision.registration;

import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * How the supervisor treats the service: whether it starts at boot, when it is restarted,
 * how long starting and stopping may take, and where its own log files go.
 *
 * @param restart when the supervisor restarts the service
 * @param autostart whether the service starts at boot (systemd enable, runit without a
 * {@code down} file, supervisord {@code autostart})
 * @param startSeconds how long the process must run to count as started (supervisord
 * {@code startsecs})
 * @param startTimeout how long start-up may take, or {@code null} for the supervisor's
 * default
 * @param stopTimeout how long the supervisor waits after SIGTERM before it kills, or
 * {@code null} for the supervisor's default
 * @param logDirectory absolute directory for the service's own log files (runit
 * {@code svlogd}, supervisord log files), or {@code null} for the supervisor's default
 * (systemd always uses the journal)
 * @author Supervision contributors
 */
public record SupervisionPolicy(Restart restart, boolean autostart, Duration startSeconds,
		@Nullable Duration startTimeout, @Nullable Duration stopTimeout, @Nullable Path logDirectory) {

	/**
	 * Prefix of the properties the policy comes from, named in errors.
	 */
	static final String PREFIX = RegistrationSpec.REGISTRATION_PREFIX + "policy.";

	/**
	 * The defaults: restart on failure, started at boot, started after one second, the
	 * supervisor's timeouts and log files.
	 */
	public static final SupervisionPolicy DEFAULT = new SupervisionPolicy(Restart.ON_FAILURE, true,
			Duration.ofSeconds(1), null, null, null);

	/**
	 * Validate the components.
	 * @param restart restart policy
	 * @param autostart whether the service starts at boot
	 * @param startSeconds time to count as started
	 * @param startTimeout start timeout or {@code null}
	 * @param stopTimeout stop timeout or {@code null}
	 * @param logDirectory log directory or {@code null}
	 */
	public SupervisionPolicy {
		if (restart == null) {
			throw new RegistrationException(PREFIX + "restart", "must be set");
		}
		if (startSeconds == null || startSeconds.isNegative()) {
			throw new RegistrationException(PREFIX + "start-seconds", "must not be negative");
		}
		positive(PREFIX + "start-timeout", startTimeout);
		positive(PREFIX + "stop-timeout", stopTimeout);
		if (logDirectory != null) {
			logDirectory = Values.absolute(RegistrationSpec.REGISTRATION_PREFIX + "<supervisor>.log-directory",
					logDirectory);
		}
	}

	static void positive(String property, @Nullable Duration duration) {
		if (duration != null && (duration.isNegative() || duration.isZero())) {
			throw new RegistrationException(property, "must be positive");
		}
	}

	/**
	 * When the supervisor restarts the service after its process exits.
	 */
	public enum Restart {

		/**
		 * Never restart.
		 */
		NO,

		/**
		 * Restart after an unclean exit (non-zero status other than 143, a signal other
		 * than TERM, a watchdog timeout).
		 */
		ON_FAILURE,

		/**
		 * Restart after every exit.
		 */
		ALWAYS

	}

}
