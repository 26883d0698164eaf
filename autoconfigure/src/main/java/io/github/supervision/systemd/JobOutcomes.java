package io.github.supervision.systemd;

import java.util.concurrent.TimeoutException;

import io.github.supervision.ActionResult;
import io.github.supervision.ActionResult.Outcome;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import io.github.supervision.SupervisionException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * Says what an action on a unit came to: maps the result of its job (or systemd's refusal
 * to queue one), with the unit's status read back, to an {@link ActionResult}. Pure: it
 * makes no call and keeps no state.
 * <p>
 * A job that ended {@code done} is not proof: a start whose unit is not up afterwards
 * failed, whatever the job says.
 *
 * @author Supervision contributors
 */
final class JobOutcomes {

	private JobOutcomes() {
	}

	/**
	 * Map the result of an action's job, as {@code JobRemoved} gave it.
	 * @param action the action
	 * @param target the unit
	 * @param jobResult the job result, such as {@code done}, {@code failed},
	 * {@code canceled}, {@code timeout}, {@code dependency} or {@code skipped}
	 * @param status the unit's status read back after the job, or {@code null} when it
	 * could not be read
	 * @return the action's result
	 */
	static ActionResult jobEnded(ServiceAction action, String target, String jobResult,
			@Nullable ServiceStatus status) {
		ServiceState state = (status != null) ? status.state() : ServiceState.UNKNOWN;
		return switch (jobResult) {
			case "done" -> done(action, target, status, state);
			case "canceled" -> new ActionResult(action, Outcome.CANCELED,
					"The " + action.id() + " job of " + target + " was canceled by a later job", jobResult, status);
			case "skipped" -> new ActionResult(action, Outcome.NO_CHANGE,
					"systemd skipped the " + action.id() + " job of " + target + ": it did not apply to its state",
					jobResult, status);
			case "timeout" -> new ActionResult(action, Outcome.FAILED,
					"systemd's own timeout for " + target
							+ " expired (TimeoutStartSec/TimeoutStopSec); see 'journalctl -u " + target + "'",
					jobResult, status);
			case "dependency" -> new ActionResult(action, Outcome.FAILED,
					"A unit that " + target + " depends on failed; see 'systemctl list-dependencies " + target + "'",
					jobResult, status);
			default -> new ActionResult(action, Outcome.FAILED, "The " + action.id() + " job of " + target + " ended '"
					+ jobResult + "'; see 'journalctl -u " + target + "'", jobResult, status);
		};
	}

	private static ActionResult done(ServiceAction action, String target, @Nullable ServiceStatus status,
			ServiceState state) {
		boolean startLike = action == ServiceAction.START || action == ServiceAction.RESTART
				|| action == ServiceAction.TRY_RESTART || action == ServiceAction.RELOAD_OR_RESTART;
		if (startLike && status != null && !state.isUp() && state != ServiceState.STARTING) {
			if (status.details().containsKey("conditionResult")) {
				return new ActionResult(action, Outcome.FAILED, target
						+ " was not started: a Condition...= setting of the unit was not met (systemd's job still "
						+ "ended 'done')", "done", status);
			}
			return new ActionResult(action, Outcome.FAILED,
					target + " is " + status.rawState() + " after the start job; see 'journalctl -u " + target + "'",
					"done", status);
		}
		return new ActionResult(action, Outcome.DONE, "systemd completed the " + action.id() + " job of " + target,
				"done", status);
	}

	/**
	 * Map the failure of the call that was to queue an action's job.
	 * @param action the action
	 * @param target the unit
	 * @param cause what the call failed with
	 * @param status the unit's status as known
	 * @return the action's result
	 * @throws SupervisionException when systemd refused the caller the right to act
	 */
	static ActionResult refused(ServiceAction action, String target, Throwable cause, ServiceStatus status) {
		String type = (cause instanceof DBusExecutionException dbus) ? SystemdErrors.name(dbus) : null;
		String message = (cause instanceof DBusExecutionException dbus) ? dbus.getMessage() : null;
		SupervisionException refusal = SystemdErrors.refusal(type, message, target, action.id(),
				SystemdErrors.MANAGE_UNITS);
		if (refusal != null) {
			throw refusal;
		}
		if (cause instanceof TimeoutException) {
			return new ActionResult(action, Outcome.TIMEOUT, "systemd did not answer the " + action.id()
					+ " request for " + target + " in time; it may still act on it", null, status);
		}
		if (cause instanceof BusLostException) {
			return unfinished(action, target, cause, status);
		}
		String dependency = SystemdErrors.causedByAnotherUnit(type, message, target, action.id());
		if (dependency != null) {
			return new ActionResult(action, Outcome.FAILED, dependency, type, status);
		}
		String words = SystemdErrors.quoted(message);
		if (SystemdErrors.UNIT_MASKED.equals(type)) {
			return new ActionResult(action, Outcome.FAILED,
					target + " is masked; unmask it first ('systemctl unmask " + target + "')" + words, "masked",
					status);
		}
		if (SystemdErrors.LOAD_FAILED.equals(type) || SystemdErrors.BAD_UNIT_SETTING.equals(type)) {
			return new ActionResult(action, Outcome.FAILED, "systemd could not load " + target
					+ "; fix the unit file and run daemon-reload (see 'systemctl status " + target + "')" + words,
					"load-failed", status);
		}
		if (SystemdErrors.JOB_TYPE_NOT_APPLICABLE.equals(type)) {
			return new ActionResult(action, Outcome.UNSUPPORTED,
					target + " does not support '" + action.id() + "'" + words, "not-applicable", status);
		}
		if (SystemdErrors.ONLY_BY_DEPENDENCY.equals(type)) {
			return new ActionResult(action, Outcome.UNSUPPORTED,
					target + " may only be started or stopped as a dependency (RefuseManualStart/Stop)" + words,
					"only-by-dependency", status);
		}
		if (SystemdErrors.UNIT_INACTIVE.equals(type)) {
			return new ActionResult(action, Outcome.FAILED,
					target + " is not running, so it cannot be " + action.id() + "ed" + words, "inactive", status);
		}
		return new ActionResult(action, Outcome.FAILED,
				"systemd refused to " + action.id() + " " + target + ((message != null) ? ": " + message : ""), type,
				status);
	}

	/**
	 * Map a job whose end was not seen: the deadline passed, or the bus dropped.
	 * @param action the action
	 * @param target the unit
	 * @param cause why the end was not seen
	 * @param status the unit's status as known
	 * @return the action's result
	 */
	static ActionResult unfinished(ServiceAction action, String target, Throwable cause, ServiceStatus status) {
		if (cause instanceof BusLostException) {
			return new ActionResult(action, Outcome.TIMEOUT, "The bus connection dropped while the " + action.id()
					+ " job of " + target + " ran; it may have completed and was not repeated", null, status);
		}
		return new ActionResult(action, Outcome.TIMEOUT,
				"The " + action.id() + " job of " + target + " did not finish in time; systemd may still complete it",
				null, status);
	}

}
