package io.github.supervision.embedded;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.github.supervision.ActionResult;
import io.github.supervision.ActionResult.Outcome;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceSignal;
import org.jspecify.annotations.Nullable;

/**
 * Carries out the actions on one embedded service through its state machine
 * ({@link SupervisedService}), on the supervisor thread: {@code START}, {@code STOP} and
 * {@code RESTART} run one after the other, each answered when the state it waits for is
 * reached; {@code RELOAD}, {@code KILL} and {@code SIGNAL} go to the process at once.
 *
 * @author Supervision contributors
 */
final class ServiceActions {

	private static final Set<EmbeddedState> STARTED_OR_GIVEN_UP = EnumSet.of(EmbeddedState.RUNNING, EmbeddedState.FATAL,
			EmbeddedState.STOPPED);

	private final SupervisedService service;

	private final SupervisorThreads threads;

	private final ProcessLauncher launcher;

	private CompletableFuture<?> queue = CompletableFuture.completedFuture(null);

	ServiceActions(SupervisedService service, SupervisorThreads threads, ProcessLauncher launcher) {
		this.service = service;
		this.threads = threads;
		this.launcher = launcher;
	}

	/**
	 * Carry out an action, and complete its result when done. {@code START}, {@code STOP}
	 * and {@code RESTART} wait for those before them; {@code RELOAD} and {@code KILL} do
	 * not.
	 * @param action the action
	 * @param result what to complete
	 */
	void perform(ServiceAction action, CompletableFuture<ActionResult> result) {
		perform(action, null, result);
	}

	/**
	 * Carry out an action that may carry a signal; {@code SIGNAL} does not wait for the
	 * actions before it.
	 * @param action the action
	 * @param signal the signal of {@code SIGNAL}, else {@code null}
	 * @param result what to complete
	 */
	void perform(ServiceAction action, @Nullable ServiceSignal signal, CompletableFuture<ActionResult> result) {
		switch (action) {
			case SIGNAL -> this.threads.forward(signal(Objects.requireNonNull(signal)), result);
			case KILL -> this.threads.forward(kill(), result);
			case RELOAD -> this.threads.forward(reload(), result);
			default -> enqueue(action, result);
		}
	}

	private void enqueue(ServiceAction action, CompletableFuture<ActionResult> result) {
		CompletableFuture<?> previous = this.queue;
		this.queue = result.handle((r, ex) -> null);
		previous.whenComplete((r, ex) -> this.threads.post(() -> {
			if (!result.isDone()) {
				this.threads.forward(act(action), result);
			}
		}));
	}

	private CompletableFuture<ActionResult> act(ServiceAction action) {
		return switch (action) {
			case START -> startAction();
			case STOP -> stopAction(ServiceAction.STOP);
			case RESTART -> restartAction();
			default -> throw new IllegalStateException("Not a queued action: " + action);
		};
	}

	private CompletableFuture<ActionResult> startAction() {
		switch (this.service.state()) {
			case RUNNING -> {
				return done(ServiceAction.START, Outcome.NO_CHANGE, "'" + this.service.name() + "' is running");
			}
			case STOPPING -> this.service.startAfterStop(true);
			case STARTING -> {
				// already starting: wait for the outcome
			}
			default -> this.service.start();
		}
		return this.service.awaitState(STARTED_OR_GIVEN_UP).thenApply((reached) -> switch (reached) {
			case RUNNING -> result(ServiceAction.START, Outcome.DONE, "Started '" + this.service.name() + "'");
			case FATAL -> result(ServiceAction.START, Outcome.FAILED,
					"'" + this.service.name() + "' failed to start: " + this.service.message());
			default -> result(ServiceAction.START, Outcome.CANCELED,
					"'" + this.service.name() + "' was stopped before it started");
		});
	}

	private CompletableFuture<ActionResult> stopAction(ServiceAction action) {
		switch (this.service.state()) {
			case STOPPED, EXITED, FATAL -> {
				return done(action, Outcome.NO_CHANGE, "'" + this.service.name() + "' is not running");
			}
			case BACKOFF -> this.service.stopBackoff("Stopped while waiting to run it again");
			case STARTING, RUNNING -> this.service.beginStop();
			default -> this.service.startAfterStop(false);
		}
		return this.service.awaitState(EmbeddedState.STOPPED)
			.thenApply((reached) -> result(action, Outcome.DONE, "Stopped '" + this.service.name() + "'"
					+ ((this.service.message() != null) ? ": " + this.service.message() : "")));
	}

	private CompletableFuture<ActionResult> restartAction() {
		if (this.service.state() == EmbeddedState.STOPPED || this.service.state() == EmbeddedState.EXITED
				|| this.service.state() == EmbeddedState.FATAL) {
			return startAction().thenApply(this::relabel);
		}
		return stopAction(ServiceAction.RESTART).thenCompose((stopped) -> startAction().thenApply(this::relabel));
	}

	private ActionResult relabel(ActionResult started) {
		String message = (started.outcome() == Outcome.DONE) ? "Restarted '" + this.service.name() + "'"
				: started.message();
		Outcome outcome = (started.outcome() == Outcome.NO_CHANGE) ? Outcome.DONE : started.outcome();
		return new ActionResult(ServiceAction.RESTART, outcome, message, started.backendResult(),
				this.service.status());
	}

	private CompletableFuture<ActionResult> reload() {
		Process process = this.service.process();
		if (process == null
				|| (this.service.state() != EmbeddedState.RUNNING && this.service.state() != EmbeddedState.STARTING)) {
			return done(ServiceAction.RELOAD, Outcome.FAILED, "'" + this.service.name() + "' is not running ("
					+ this.service.state() + "); start it before reloading it");
		}
		long pid = process.pid();
		return this.launcher.hangUp(pid)
			.thenApplyAsync(
					(sent) -> sent
							? new ActionResult(ServiceAction.RELOAD, Outcome.DONE,
									"Sent SIGHUP to '" + this.service.name() + "' (pid " + pid + ")", "SIGHUP",
									this.service.status())
							: result(ServiceAction.RELOAD, Outcome.FAILED,
									"Could not send SIGHUP to '" + this.service.name() + "'; it may have exited"),
					this.threads.supervisor());
	}

	private CompletableFuture<ActionResult> signal(ServiceSignal signal) {
		Process process = this.service.process();
		if (process == null) {
			return done(ServiceAction.SIGNAL, Outcome.NO_CHANGE,
					"'" + this.service.name() + "' is not running; no process to send " + signal.signalName() + " to");
		}
		long pid = process.pid();
		return this.launcher.signalGroup(pid, signal.name())
			.thenApplyAsync(
					(sent) -> sent
							? new ActionResult(ServiceAction.SIGNAL, Outcome.DONE,
									"Sent " + signal.signalName() + " to '" + this.service.name() + "' (process group "
											+ pid + ")",
									signal.name(), this.service.status())
							: result(ServiceAction.SIGNAL, Outcome.FAILED, "Could not send " + signal.signalName()
									+ " to '" + this.service.name() + "'; it may have exited"),
					this.threads.supervisor());
	}

	private CompletableFuture<ActionResult> kill() {
		Process process = this.service.process();
		if (process == null) {
			return done(ServiceAction.KILL, Outcome.NO_CHANGE, "'" + this.service.name() + "' is not running");
		}
		CompletableFuture<Integer> exited = this.service.exited();
		this.launcher.kill(process);
		return exited.thenApply((status) -> result(ServiceAction.KILL, Outcome.DONE,
				"Killed '" + this.service.name() + "' (pid " + process.pid() + "); restart policy "
						+ this.service.spec().restart().name().toLowerCase(Locale.ROOT) + " applies"));
	}

	private CompletableFuture<ActionResult> done(ServiceAction action, Outcome outcome, String message) {
		return CompletableFuture.completedFuture(result(action, outcome, message));
	}

	private ActionResult result(ServiceAction action, Outcome outcome, String message) {
		return new ActionResult(action, outcome, message, this.service.state().name(), this.service.status());
	}

}
