package io.github.supervision;

/**
 * Normalized state of a supervised service, the same words for every backend. The
 * backend's own word for the state is kept verbatim in {@link ServiceStatus#rawState()}.
 *
 * @author Supervision contributors
 */
public enum ServiceState {

	/**
	 * The service is being started and has not yet proven that it runs.
	 */
	STARTING,

	/**
	 * The service runs.
	 */
	RUNNING,

	/**
	 * The service runs and is reloading its configuration.
	 */
	RELOADING,

	/**
	 * The service is being stopped.
	 */
	STOPPING,

	/**
	 * The service is not running, by intent or after a clean exit.
	 */
	STOPPED,

	/**
	 * The service is not running because it failed (crashed, or could not be started).
	 */
	FAILED,

	/**
	 * The state could not be read (backend unreachable, service unknown to the backend).
	 */
	UNKNOWN;

	/**
	 * Whether the service has a live process in this state.
	 * @return {@code true} for {@link #RUNNING} and {@link #RELOADING}
	 */
	public boolean isUp() {
		return this == RUNNING || this == RELOADING;
	}

}
