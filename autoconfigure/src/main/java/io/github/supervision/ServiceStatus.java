package io.github.supervision;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What a backend reports about one service at one moment.
 *
 * @param name the service's name: the name it was declared under, or for a backend's own
 * answer and for discovered services, the backend's name for it ({@code target})
 * @param backend id of the backend that supervises the service, such as {@code systemd}
 * @param target the backend's own name for the service: a systemd unit, a runit service
 * directory, a supervisord program, or the embedded service's name
 * @param state the normalized state
 * @param rawState the backend's own words for the state, verbatim (systemd
 * {@code active/running}, runit {@code run, want down}, supervisord {@code BACKOFF})
 * @param pid the main process id, or {@code null} when no process runs. For systemd in a
 * container this is the pid inside the manager's namespace
 * @param since when the service entered its current state, or {@code null} when the
 * backend does not know
 * @param restarts how often the supervisor restarted the service, or {@code null} when
 * the backend does not count
 * @param exitStatus the exit status of the last process that ended, or {@code null} when
 * none ended or the backend does not know
 * @param description a description of the service, or {@code null}
 * @param message a sentence that explains the state to a person (why it is
 * {@code UNKNOWN}, the spawn error of a failed start), or {@code null}
 * @param details further backend-specific facts (systemd load state, runit flavour),
 * never {@code null}
 * @author Supervision contributors
 */
public record ServiceStatus(String name, String backend, String target, ServiceState state, String rawState,
		@Nullable Long pid, @Nullable Instant since, @Nullable Integer restarts, @Nullable Integer exitStatus,
		@Nullable String description, @Nullable String message, Map<String, String> details) {

	/**
	 * Create a new status.
	 */
	public ServiceStatus {
		Assert.notNull(name, "'name' must not be null");
		Assert.notNull(backend, "'backend' must not be null");
		Assert.notNull(target, "'target' must not be null");
		Assert.notNull(state, "'state' must not be null");
		Assert.notNull(rawState, "'rawState' must not be null");
		details = (details != null) ? Map.copyOf(details) : Map.of();
	}

	/**
	 * Return a status for a service whose state cannot be read.
	 * @param name the service's name
	 * @param backend the backend's id
	 * @param target the backend's name for the service
	 * @param reason why the state cannot be read, for a person
	 * @return an {@link ServiceState#UNKNOWN} status
	 */
	public static ServiceStatus unknown(String name, String backend, String target, String reason) {
		return new ServiceStatus(name, backend, target, ServiceState.UNKNOWN, "unknown", null, null, null, null, null,
				reason, Map.of());
	}

	/**
	 * Return this status under another name.
	 * @param name the new name
	 * @return a copy with the given name
	 */
	public ServiceStatus withName(String name) {
		if (this.name.equals(name)) {
			return this;
		}
		return new ServiceStatus(name, this.backend, this.target, this.state, this.rawState, this.pid, this.since,
				this.restarts, this.exitStatus, this.description, this.message, this.details);
	}

	/**
	 * Return how long the service has been in its current state.
	 * @param now the current instant
	 * @return the time since {@link #since()}, or {@code null} when that is unknown
	 */
	public @Nullable Duration uptime(Instant now) {
		if (this.since == null) {
			return null;
		}
		Duration duration = Duration.between(this.since, now);
		return duration.isNegative() ? Duration.ZERO : duration;
	}

}
