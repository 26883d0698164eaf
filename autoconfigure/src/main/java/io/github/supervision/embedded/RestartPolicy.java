package io.github.supervision.embedded;

/**
 * When the embedded supervisor restarts a process that exited.
 *
 * @author Supervision contributors
 */
public enum RestartPolicy {

	/**
	 * Restart after every exit.
	 */
	ALWAYS,

	/**
	 * Restart after an exit with a non-zero status or by a signal.
	 */
	ON_FAILURE,

	/**
	 * Never restart.
	 */
	NEVER

}
