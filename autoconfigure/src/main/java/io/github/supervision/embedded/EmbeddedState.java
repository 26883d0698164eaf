package io.github.supervision.embedded;

import io.github.supervision.ServiceState;
import org.jspecify.annotations.Nullable;

/**
 * The raw states of an embedded service, as supervisord names them, and what each means
 * in the normalized {@link ServiceState}.
 *
 * @author Supervision contributors
 */
enum EmbeddedState {

	/**
	 * Not running, by intent (never started, or stopped).
	 */
	STOPPED,

	/**
	 * Started, and not yet running for start-seconds.
	 */
	STARTING,

	/**
	 * Running for longer than start-seconds.
	 */
	RUNNING,

	/**
	 * Exited (or could not be spawned), and waiting out the back-off delay before it is
	 * run again.
	 */
	BACKOFF,

	/**
	 * Being stopped.
	 */
	STOPPING,

	/**
	 * Exited after it had been running, and not restarted (yet).
	 */
	EXITED,

	/**
	 * Exited within its healthy run, or could not be spawned, start-retries + 1 times in
	 * a row; given up.
	 */
	FATAL;

	/**
	 * Return the normalized state.
	 * @param exitStatus the last exit status, if any
	 * @return the state
	 */
	ServiceState normalize(@Nullable Integer exitStatus) {
		return switch (this) {
			case STOPPED -> ServiceState.STOPPED;
			case STARTING, BACKOFF -> ServiceState.STARTING;
			case RUNNING -> ServiceState.RUNNING;
			case STOPPING -> ServiceState.STOPPING;
			case EXITED -> (exitStatus != null && exitStatus == 0) ? ServiceState.STOPPED : ServiceState.FAILED;
			case FATAL -> ServiceState.FAILED;
		};
	}

}
