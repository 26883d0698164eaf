package io.github.supervision.supervisord;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.github.supervision.ActionResult;
import io.github.supervision.ActionResult.Outcome;
import io.github.supervision.BackendUnavailableException;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceSignal;
import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import io.github.supervision.SupervisionException;
import io.github.supervision.SupervisionTimeoutException;
import io.github.supervision.UnknownServiceException;
import org.jspecify.annotations.Nullable;

/**
 * Performs one action on one supervisord program and judges it by reading the program
 * back: an action whose answer was lost or late is judged by that read alone.
 */
final class ProcessActions {

	private static final Duration MIN_READ_BACK = Duration.ofMillis(200);

	private final SupervisordContact contact;

	private final Duration readTimeout;

	private final Runnable afterCalls;

	private final GroupActions groups;

	/**
	 * Create a new instance.
	 * @param contact the calls to supervisord
	 * @param readTimeout the most the read-back may take
	 * @param afterCalls what to run once an action's calls are done, before its read-back
	 */
	ProcessActions(SupervisordContact contact, Duration readTimeout, Runnable afterCalls) {
		this.contact = contact;
		this.readTimeout = readTimeout;
		this.afterCalls = afterCalls;
		this.groups = new GroupActions(contact, readTimeout, afterCalls);
	}

	/**
	 * Perform an action and read the program back.
	 * @param target the program, {@code name} or {@code group:name}
	 * @param action the action, any but {@link ServiceAction#ONCE}
	 * @param timeout the deadline for the calls and the read-back
	 * @return the outcome, with the status read back when the read succeeded
	 * @throws UnknownServiceException if supervisord has no such program
	 * @throws BackendUnavailableException if supervisord is shutting down
	 */
	ActionResult perform(String target, ServiceAction action, Duration timeout) {
		return perform(target, action, null, timeout);
	}

	/**
	 * Perform an action that may carry a signal and read the program back.
	 * @param target the program, {@code name} or {@code group:name}
	 * @param action the action, any but {@link ServiceAction#ONCE}
	 * @param signal the signal of {@link ServiceAction#SIGNAL}, else {@code null}
	 * @param timeout the deadline for the calls and the read-back
	 * @return the outcome, with the status read back when the read succeeded
	 */
	ActionResult perform(String target, ServiceAction action, @Nullable ServiceSignal signal, Duration timeout) {
		if (ProcessGroups.isGroup(target)) {
			return this.groups.perform(target, action, signal, timeout);
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		// the calls end early enough to leave time for reading the process back
		long reserve = readBackReserve(timeout);
		long callDeadline = deadline - reserve;
		Attempt attempt;
		try {
			attempt = switch (action) {
				case START -> start(target, callDeadline);
				case STOP -> stop(target, callDeadline);
				case RESTART -> restart(target, callDeadline, reserve, timeout);
				case RELOAD -> signal(target, "HUP", "reload", callDeadline);
				case KILL -> signal(target, "KILL", "kill", callDeadline);
				case PAUSE -> signal(target, "STOP", "pause", callDeadline);
				case CONTINUE -> signal(target, "CONT", "continue", callDeadline);
				case SIGNAL -> signal(target, Objects.requireNonNull(signal).name(), "signal", callDeadline);
				default -> throw new IllegalArgumentException("supervisord has no '" + action.id() + "' action");
			};
		}
		catch (SupervisionTimeoutException ex) {
			attempt = Attempt.unconfirmed(Outcome.TIMEOUT, "supervisord did not confirm the " + action.id() + " of '"
					+ target + "' within " + timeout.toMillis() + " ms", wanted(action));
		}
		catch (AnswerLostException ex) {
			attempt = Attempt.unconfirmed(Outcome.FAILED, "supervisord's answer to the " + action.id() + " of '"
					+ target + "' was lost (" + ex.getMessage() + ")", wanted(action));
		}
		this.afterCalls.run();
		return finish(action, target, attempt, deadline);
	}

	// A quarter of the deadline, at most a second: a getProcessInfo answers in
	// milliseconds, even beside actions in flight, as reads have slots of their own.
	private static long readBackReserve(Duration timeout) {
		return Math.min(timeout.toNanos() / 4, TimeUnit.SECONDS.toNanos(1));
	}

	// The states that show an action took effect when its answer was lost or late; a
	// signal leaves none that tells.
	private static Set<ServiceState> wanted(ServiceAction action) {
		return switch (action) {
			case START, RESTART -> EnumSet.of(ServiceState.RUNNING);
			case STOP -> EnumSet.of(ServiceState.STOPPED, ServiceState.FAILED);
			default -> Set.of();
		};
	}

	// Reads the process back. An action whose answer was lost or late is judged by what
	// the read shows; when the read fails too, supervisord is taken to be unreachable.
	private ActionResult finish(ServiceAction action, String target, Attempt attempt, long deadline) {
		ServiceStatus status;
		try {
			status = readBack(target, deadline);
		}
		catch (SupervisionException ex) {
			if (!attempt.unconfirmed()) {
				return new ActionResult(action, attempt.outcome(), attempt.message(), attempt.fault(), null);
			}
			if (ex instanceof SupervisionTimeoutException) {
				this.contact.notAnswering(
						"supervisord at " + this.contact.description() + " does not answer: " + ex.getMessage());
			}
			return new ActionResult(action, attempt.outcome(),
					attempt.message() + "; it may or may not have happened, and reading '" + target
							+ "' back failed too: " + ex.getMessage(),
					attempt.fault(), null);
		}
		if (stoppedWhileStarting(attempt, status)) {
			return new ActionResult(action, Outcome.CANCELED,
					"'" + target + "' was stopped before its start completed: "
							+ "a stop of it came in meanwhile; read back, it is " + status.rawState(),
					attempt.fault(), status);
		}
		if (!attempt.unconfirmed()) {
			return new ActionResult(action, attempt.outcome(), attempt.message(), attempt.fault(), status);
		}
		Outcome outcome = attempt.wanted().contains(status.state()) ? Outcome.DONE : attempt.outcome();
		return new ActionResult(action, outcome,
				attempt.message() + "; read back, '" + target + "' is " + status.rawState(), attempt.fault(), status);
	}

	// supervisord answers a start whose process left STARTING with ABNORMAL_TERMINATION:
	// a process that dies by itself goes on to BACKOFF (then STARTING again), EXITED or
	// FATAL; one that reads back STOPPING or STOPPED was ended by a stop (a concurrent
	// action, or supervisorctl), and RUNNING means another start has run it again since
	private static boolean stoppedWhileStarting(Attempt attempt, ServiceStatus status) {
		return SupervisordFault.ABNORMAL_TERMINATION.name().equals(attempt.fault())
				&& List.of("STOPPING", "STOPPED", "RUNNING").contains(status.rawState());
	}

	private Attempt start(String target, long deadline) {
		try {
			this.contact.run(SupervisordMethod.START_PROCESS, SupervisordContact.remaining(deadline),
					(client, left) -> client.startProcess(target, true, left));
			return new Attempt(Outcome.DONE, "Started '" + target + "'", null);
		}
		catch (SupervisordFaultException ex) {
			return switch (ex.getFault()) {
				case ALREADY_STARTED ->
					new Attempt(Outcome.NO_CHANGE, "'" + target + "' is already running", ex.getFaultName());
				default -> failed(target, "start", ex);
			};
		}
	}

	private Attempt stop(String target, long deadline) {
		try {
			this.contact.run(SupervisordMethod.STOP_PROCESS, SupervisordContact.remaining(deadline),
					(client, left) -> client.stopProcess(target, true, left));
			return new Attempt(Outcome.DONE, "Stopped '" + target + "'", null);
		}
		catch (SupervisordFaultException ex) {
			return switch (ex.getFault()) {
				case NOT_RUNNING ->
					new Attempt(Outcome.NO_CHANGE, "'" + target + "' is not running", ex.getFaultName());
				default -> failed(target, "stop", ex);
			};
		}
	}

	// One deadline covers both legs: a start is not sent when the stop left less time
	// than the read-back gets, since it could not be confirmed.
	private Attempt restart(String target, long deadline, long reserve, Duration timeout) {
		Attempt stopped;
		try {
			stopped = stop(target, deadline);
		}
		catch (SupervisionTimeoutException ex) {
			return Attempt.unconfirmed(Outcome.TIMEOUT,
					"Restart of '" + target + "': supervisord did not confirm the stop within " + timeout.toMillis()
							+ " ms; start not attempted",
					Set.of());
		}
		catch (AnswerLostException ex) {
			return Attempt.unconfirmed(Outcome.FAILED, "Restart of '" + target + "': supervisord's answer to the stop "
					+ "was lost (" + ex.getMessage() + "); start not attempted", Set.of());
		}
		if (!isSuccessful(stopped.outcome())) {
			return new Attempt(stopped.outcome(),
					"Restart of '" + target + "' did not start it again: " + lowerFirst(stopped.message()),
					stopped.fault());
		}
		long left = deadline - System.nanoTime();
		if (left < reserve) {
			String done = (stopped.outcome() == Outcome.DONE) ? "stopped" : "was not running";
			return new Attempt(Outcome.TIMEOUT,
					"Restart of '" + target + "': " + done + "; start not attempted, as only "
							+ TimeUnit.NANOSECONDS.toMillis(Math.max(left + reserve, 0)) + " ms of the "
							+ timeout.toMillis() + " ms deadline were left",
					null);
		}
		Attempt started = start(target, deadline);
		if (started.outcome() == Outcome.FAILED) {
			String before = (stopped.outcome() == Outcome.DONE) ? "was stopped" : "was not running";
			return new Attempt(Outcome.FAILED,
					"'" + target + "' " + before + ", then the start failed: " + lowerFirst(started.message()),
					started.fault());
		}
		return new Attempt(Outcome.DONE, "Restarted '" + target + "'", null);
	}

	private Attempt signal(String target, String signal, String verb, long deadline) {
		try {
			this.contact.run(SupervisordMethod.SIGNAL_PROCESS, SupervisordContact.remaining(deadline),
					(client, left) -> client.signalProcess(target, signal, left));
			return new Attempt(Outcome.DONE, "Sent SIG" + signal + " to '" + target + "'", null);
		}
		catch (SupervisordFaultException ex) {
			return switch (ex.getFault()) {
				case NOT_RUNNING -> new Attempt(Outcome.NO_CHANGE,
						"'" + target + "' is not running; there is nothing to " + verb, ex.getFaultName());
				default -> failed(target, verb, ex);
			};
		}
	}

	private static boolean isSuccessful(Outcome outcome) {
		return outcome == Outcome.DONE || outcome == Outcome.NO_CHANGE;
	}

	private Attempt failed(String target, String verb, SupervisordFaultException ex) {
		throwIfNotTried(target, ex);
		String why = switch (ex.getFault()) {
			case SPAWN_ERROR -> "it could not be spawned or exited before startsecs";
			case NO_FILE -> "its command does not exist";
			case NOT_EXECUTABLE -> "its command is not executable";
			case ABNORMAL_TERMINATION -> "it ended abnormally";
			case BAD_SIGNAL -> "supervisord does not know the signal";
			default -> "supervisord said " + ex.getFaultString();
		};
		return new Attempt(Outcome.FAILED, "Could not " + verb + " '" + target + "' (" + ex.getFaultName() + "): " + why
				+ "; 'supervisorctl tail " + target + " stderr' shows its output", ex.getFaultName());
	}

	// A program supervisord does not know and a supervisord shutting down are not a
	// failed action: the caller named the wrong program, or there is no one to ask.
	void throwIfNotTried(String target, SupervisordFaultException ex) {
		if (ex.getFault() == SupervisordFault.BAD_NAME) {
			throw new UnknownServiceException(target, "supervisord has no program '" + target
					+ "'; check the name against 'supervisorctl status', or apply 'update'");
		}
		if (ex.getFault() == SupervisordFault.SHUTDOWN_STATE) {
			throw new BackendUnavailableException("supervisord at " + this.contact.description() + " is shutting down");
		}
	}

	private ServiceStatus readBack(String target, long deadline) {
		long left = deadline - System.nanoTime();
		Duration timeout = SupervisordContact.min((left > 0) ? Duration.ofNanos(left) : MIN_READ_BACK,
				this.readTimeout);
		ProcessInfo info = this.contact.call(SupervisordMethod.GET_PROCESS_INFO, timeout,
				(client, remaining) -> client.getProcessInfo(target, remaining));
		return ProcessInfoMapper.toStatus(info).withName(target);
	}

	private static String lowerFirst(String text) {
		return text.isEmpty() ? text : Character.toLowerCase(text.charAt(0)) + text.substring(1);
	}

	/**
	 * What an action came to before its read-back.
	 *
	 * @param outcome the outcome
	 * @param message what happened
	 * @param fault supervisord's fault name, if any
	 * @param unconfirmed whether supervisord's answer was lost or late, so that only the
	 * read-back tells what happened
	 * @param wanted the states that show an unconfirmed action took effect
	 */
	private record Attempt(Outcome outcome, String message, @Nullable String fault, boolean unconfirmed,
			Set<ServiceState> wanted) {

		Attempt(Outcome outcome, String message, @Nullable String fault) {
			this(outcome, message, fault, false, Set.of());
		}

		static Attempt unconfirmed(Outcome outcome, String message, Set<ServiceState> wanted) {
			return new Attempt(outcome, message, null, true, wanted);
		}

	}

}
