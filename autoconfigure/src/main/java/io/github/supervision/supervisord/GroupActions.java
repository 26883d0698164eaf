package io.github.supervision.supervisord;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import io.github.supervision.ActionResult;
import io.github.supervision.ActionResult.Outcome;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceSignal;
import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import io.github.supervision.SupervisionTimeoutException;
import io.github.supervision.UnknownServiceException;
import org.jspecify.annotations.Nullable;

/**
 * Performs one action on a whole supervisord group ({@code group:*}) in one call:
 * {@code startProcessGroup}, {@code stopProcessGroup}, both for a restart, and
 * {@code signalProcessGroup} for the signals. supervisord answers a group call with one
 * result per member, so the outcome is judged by the group read back afterwards (one
 * {@code getAllProcessInfo}), by {@link ProcessGroups}' rule.
 *
 * @author Supervision contributors
 */
final class GroupActions {

	private final SupervisordContact contact;

	private final Duration readTimeout;

	private final Runnable afterCalls;

	GroupActions(SupervisordContact contact, Duration readTimeout, Runnable afterCalls) {
		this.contact = contact;
		this.readTimeout = readTimeout;
		this.afterCalls = afterCalls;
	}

	ActionResult perform(String target, ServiceAction action, @Nullable ServiceSignal signal, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		String group = ProcessGroups.groupOf(target);
		ServiceStatus before = readBack(target, deadline);
		if ((action == ServiceAction.START && before.state() == ServiceState.RUNNING)
				|| (action == ServiceAction.STOP && before.state() == ServiceState.STOPPED)) {
			return new ActionResult(action, Outcome.NO_CHANGE,
					"Every member of group '" + group + "' is already " + before.rawState(), null, before);
		}
		String what = (signal != null) ? signal.signalName() : action.id();
		try {
			switch (action) {
				case START -> start(group, deadline);
				case STOP -> stop(group, deadline);
				case RESTART -> {
					stop(group, deadline);
					start(group, deadline);
				}
				case RELOAD -> signal(group, "HUP", deadline);
				case KILL -> signal(group, "KILL", deadline);
				case PAUSE -> signal(group, "STOP", deadline);
				case CONTINUE -> signal(group, "CONT", deadline);
				case SIGNAL -> signal(group, Objects.requireNonNull(signal).name(), deadline);
				default -> throw new IllegalArgumentException("supervisord has no '" + action.id() + "' action");
			}
		}
		catch (SupervisionTimeoutException ex) {
			this.afterCalls.run();
			return new ActionResult(action, Outcome.TIMEOUT, "supervisord did not confirm the " + what + " of group '"
					+ group + "' within " + timeout.toMillis() + " ms; it may still complete", null, null);
		}
		catch (SupervisordFaultException ex) {
			this.afterCalls.run();
			if (ex.getFault() == SupervisordFault.BAD_NAME) {
				throw new UnknownServiceException(target, "supervisord has no group '" + group + "'");
			}
			return new ActionResult(action, Outcome.FAILED, "supervisord refused the " + what + " of group '" + group
					+ "' (" + ex.getFaultName() + "): " + ex.getFaultString(), ex.getFaultName(), null);
		}
		this.afterCalls.run();
		ServiceStatus after = readBack(target, deadline);
		List<ServiceState> wanted = switch (action) {
			case START, RESTART -> List.of(ServiceState.RUNNING);
			case STOP -> List.of(ServiceState.STOPPED);
			default -> List.of();
		};
		if (!wanted.isEmpty() && !wanted.contains(after.state())) {
			return new ActionResult(action, Outcome.FAILED, "After the " + what + " of group '" + group + "', it is "
					+ after.rawState() + ": " + after.details().get("members"), null, after);
		}
		return new ActionResult(action, Outcome.DONE, "supervisord completed the " + what + " of group '" + group
				+ "' in one call: " + after.details().get("members"), null, after);
	}

	private void start(String group, long deadline) {
		this.contact.run(SupervisordMethod.START_PROCESS_GROUP, SupervisordContact.remaining(deadline),
				(client, left) -> client.startProcessGroup(group, true, left));
	}

	private void stop(String group, long deadline) {
		this.contact.run(SupervisordMethod.STOP_PROCESS_GROUP, SupervisordContact.remaining(deadline),
				(client, left) -> client.stopProcessGroup(group, true, left));
	}

	private void signal(String group, String signal, long deadline) {
		this.contact.run(SupervisordMethod.SIGNAL_PROCESS_GROUP, SupervisordContact.remaining(deadline),
				(client, left) -> client.signalProcessGroup(group, signal, left));
	}

	private ServiceStatus readBack(String target, long deadline) {
		long left = deadline - System.nanoTime();
		Duration timeout = SupervisordContact.min((left > 0) ? Duration.ofNanos(left) : Duration.ofMillis(200),
				this.readTimeout);
		List<ProcessInfo> all = this.contact.call(SupervisordMethod.GET_ALL_PROCESS_INFO, timeout,
				SupervisordClient::getAllProcessInfo);
		ServiceStatus status = ProcessSnapshot.of(all).find(target);
		if (status == null) {
			throw new UnknownServiceException(target,
					"supervisord has no group '" + ProcessGroups.groupOf(target) + "'");
		}
		return status;
	}

}
