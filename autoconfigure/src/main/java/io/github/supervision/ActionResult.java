package io.github.supervision;

import org.jspecify.annotations.Nullable;

/**
 * The result of an action on a service.
 *
 * @param action the action that was asked for
 * @param outcome what came of it
 * @param message a sentence a person can act on
 * @param backendResult the backend's own word for the result (a systemd job result such
 * as {@code done} or {@code dependency}, a supervisord fault name such as
 * {@code SPAWN_ERROR}), or {@code null}
 * @param status the service's status read back after the action, or {@code null} when it
 * could not be read
 * @author Supervision contributors
 */
public record ActionResult(ServiceAction action, Outcome outcome, String message, @Nullable String backendResult,
		@Nullable ServiceStatus status) {

	/**
	 * Create a new result.
	 */
	public ActionResult {
		Assert.notNull(action, "'action' must not be null");
		Assert.notNull(outcome, "'outcome' must not be null");
		Assert.notNull(message, "'message' must not be null");
	}

	/**
	 * Return this result with the status under another name.
	 * @param name the name to give the status
	 * @return a copy whose status has the given name
	 */
	public ActionResult withServiceName(String name) {
		if (this.status == null) {
			return this;
		}
		return new ActionResult(this.action, this.outcome, this.message, this.backendResult,
				this.status.withName(name));
	}

	/**
	 * Whether the service ended up in the state the action asked for (the action was
	 * done, or nothing needed doing).
	 * @return {@code true} for {@link Outcome#DONE} and {@link Outcome#NO_CHANGE}
	 */
	public boolean isSuccessful() {
		return this.outcome == Outcome.DONE || this.outcome == Outcome.NO_CHANGE;
	}

	/**
	 * What came of an action.
	 */
	public enum Outcome {

		/**
		 * The action was carried out.
		 */
		DONE,

		/**
		 * Nothing needed doing: the service was already in the asked-for state.
		 */
		NO_CHANGE,

		/**
		 * The action was tried and failed.
		 */
		FAILED,

		/**
		 * The deadline passed before the action was seen to complete. It may still
		 * complete.
		 */
		TIMEOUT,

		/**
		 * The action was canceled before it completed (by another action, or by
		 * shutdown).
		 */
		CANCELED,

		/**
		 * The backend cannot perform this action.
		 */
		UNSUPPORTED

	}

}
