package io.github.supervision.embedded;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.github.supervision.ActionResult;
import io.github.supervision.ActionResult.Outcome;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceSignal;
import io.github.supervision.ServiceStatus;
import org.jspecify.annotations.Nullable;

/**
 * The state machine of one embedded service: it owns the service's state and makes its
 * transitions (starting, running, back-off, stopping, exited, fatal) on process exits,
 * timers and actions.
 * <p>
 * Every method but {@link #status()}, {@link #tail()} and the accessors runs on the
 * supervisor thread (see {@link SupervisorThreads}), which is what keeps a service from
 * being spawned twice. {@code START}, {@code STOP} and {@code RESTART} run one after the
 * other.
 * <p>
 * A process that exits and is to run again waits a back-off delay first: the service's
 * {@code restartDelay}, doubled for each quick failure in a row (a run shorter than
 * {@link EmbeddedServiceSpec#healthyRun()}) up to {@code restartDelayMax}. After
 * {@code startRetries} retries of quick failures the service is given up ({@code FATAL});
 * a healthy run or a {@code START} clears the count.
 *
 * @author Supervision contributors
 */
final class SupervisedService {

	private static final Set<EmbeddedState> STARTED_OR_GIVEN_UP = EnumSet.of(EmbeddedState.RUNNING, EmbeddedState.FATAL,
			EmbeddedState.STOPPED);

	private final EmbeddedServiceSpec spec;

	private final OutputTail tail;

	private final SupervisorThreads threads;

	private final ProcessLauncher launcher;

	private final Clock clock;

	private final Consumer<ServiceStatus> changes;

	private final BooleanSupplier closed;

	private final List<Waiter> waiters = new ArrayList<>();

	private EmbeddedState state = EmbeddedState.STOPPED;

	private @Nullable Process process;

	private @Nullable Object launch;

	private CompletableFuture<Integer> exited = CompletableFuture.completedFuture(-1);

	private Instant since;

	private int restarts;

	private @Nullable Integer exitStatus;

	private @Nullable String message;

	private int failures;

	private Duration delay = Duration.ZERO;

	private long spawnedAt;

	private @Nullable ScheduledFuture<?> timer;

	private boolean startAfterStop;

	private CompletableFuture<?> queue = CompletableFuture.completedFuture(null);

	private volatile ServiceStatus status;

	/**
	 * Create a stopped service.
	 * @param spec how it runs
	 * @param threads the supervisor's threads
	 * @param launcher what starts and stops its processes
	 * @param clock the clock that stamps state changes
	 * @param changes called with each new status, on the supervisor thread
	 * @param closed whether the backend is shutting down, so that nothing is spawned
	 */
	SupervisedService(EmbeddedServiceSpec spec, SupervisorThreads threads, ProcessLauncher launcher, Clock clock,
			Consumer<ServiceStatus> changes, BooleanSupplier closed) {
		this.spec = spec;
		this.tail = new OutputTail(spec.tailBytes());
		this.threads = threads;
		this.launcher = launcher;
		this.clock = clock;
		this.changes = changes;
		this.closed = closed;
		this.since = clock.instant();
		this.status = currentStatus();
	}

	String name() {
		return this.spec.name();
	}

	EmbeddedServiceSpec spec() {
		return this.spec;
	}

	/**
	 * Return the service's latest status; any thread.
	 * @return the status
	 */
	ServiceStatus status() {
		return this.status;
	}

	/**
	 * Return the latest output; any thread.
	 * @return the output's tail
	 */
	OutputTail tail() {
		return this.tail;
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

	/**
	 * Stop the service with the application: it is not started again.
	 * @return a future that completes when it is stopped
	 */
	CompletableFuture<?> stopWithApplication() {
		this.startAfterStop = false;
		switch (this.state) {
			case BACKOFF -> {
				cancelTimer();
				transition(EmbeddedState.STOPPED, "Stopped with the application");
			}
			case STARTING, RUNNING -> {
				beginStop();
				return awaitState(EmbeddedState.STOPPED);
			}
			case STOPPING -> {
				return awaitState(EmbeddedState.STOPPED);
			}
			default -> {
			}
		}
		return CompletableFuture.completedFuture(null);
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
		switch (this.state) {
			case RUNNING -> {
				return done(ServiceAction.START, Outcome.NO_CHANGE, "'" + name() + "' is running");
			}
			case STOPPING -> this.startAfterStop = true;
			case STARTING -> {
				// already starting: wait for the outcome
			}
			default -> {
				// an operator's start is a new series of attempts, without waiting out a
				// back-off
				this.failures = 0;
				spawn();
			}
		}
		return awaitState(STARTED_OR_GIVEN_UP).thenApply((reached) -> switch (reached) {
			case RUNNING -> result(ServiceAction.START, Outcome.DONE, "Started '" + name() + "'");
			case FATAL ->
				result(ServiceAction.START, Outcome.FAILED, "'" + name() + "' failed to start: " + this.message);
			default -> result(ServiceAction.START, Outcome.CANCELED, "'" + name() + "' was stopped before it started");
		});
	}

	private CompletableFuture<ActionResult> stopAction(ServiceAction action) {
		switch (this.state) {
			case STOPPED, EXITED, FATAL -> {
				return done(action, Outcome.NO_CHANGE, "'" + name() + "' is not running");
			}
			case BACKOFF -> {
				cancelTimer();
				transition(EmbeddedState.STOPPED, "Stopped while waiting to run it again");
			}
			case STARTING, RUNNING -> beginStop();
			default -> this.startAfterStop = false;
		}
		return awaitState(EmbeddedState.STOPPED).thenApply((reached) -> result(action, Outcome.DONE,
				"Stopped '" + name() + "'" + ((this.message != null) ? ": " + this.message : "")));
	}

	private CompletableFuture<ActionResult> restartAction() {
		if (this.state == EmbeddedState.STOPPED || this.state == EmbeddedState.EXITED
				|| this.state == EmbeddedState.FATAL) {
			return startAction().thenApply(this::relabel);
		}
		return stopAction(ServiceAction.RESTART).thenCompose((stopped) -> startAction().thenApply(this::relabel));
	}

	private ActionResult relabel(ActionResult started) {
		String message = (started.outcome() == Outcome.DONE) ? "Restarted '" + name() + "'" : started.message();
		Outcome outcome = (started.outcome() == Outcome.NO_CHANGE) ? Outcome.DONE : started.outcome();
		return new ActionResult(ServiceAction.RESTART, outcome, message, started.backendResult(), this.status);
	}

	private CompletableFuture<ActionResult> reload() {
		Process process = this.process;
		if (process == null || (this.state != EmbeddedState.RUNNING && this.state != EmbeddedState.STARTING)) {
			return done(ServiceAction.RELOAD, Outcome.FAILED,
					"'" + name() + "' is not running (" + this.state + "); start it before reloading it");
		}
		long pid = process.pid();
		return this.launcher.hangUp(pid)
			.thenApplyAsync(
					(sent) -> sent
							? new ActionResult(ServiceAction.RELOAD, Outcome.DONE,
									"Sent SIGHUP to '" + name() + "' (pid " + pid + ")", "SIGHUP", this.status)
							: result(ServiceAction.RELOAD, Outcome.FAILED,
									"Could not send SIGHUP to '" + name() + "'; it may have exited"),
					this.threads.supervisor());
	}

	private CompletableFuture<ActionResult> signal(ServiceSignal signal) {
		Process process = this.process;
		if (process == null) {
			return done(ServiceAction.SIGNAL, Outcome.NO_CHANGE,
					"'" + name() + "' is not running; no process to send " + signal.signalName() + " to");
		}
		long pid = process.pid();
		return this.launcher.signalGroup(pid, signal.name())
			.thenApplyAsync((sent) -> sent
					? new ActionResult(ServiceAction.SIGNAL, Outcome.DONE,
							"Sent " + signal.signalName() + " to '" + name() + "' (process group " + pid + ")",
							signal.name(), this.status)
					: result(ServiceAction.SIGNAL, Outcome.FAILED,
							"Could not send " + signal.signalName() + " to '" + name() + "'; it may have exited"),
					this.threads.supervisor());
	}

	private CompletableFuture<ActionResult> kill() {
		Process process = this.process;
		if (process == null) {
			return done(ServiceAction.KILL, Outcome.NO_CHANGE, "'" + name() + "' is not running");
		}
		CompletableFuture<Integer> exited = this.exited;
		this.launcher.kill(process);
		return exited.thenApply(
				(status) -> result(ServiceAction.KILL, Outcome.DONE, "Killed '" + name() + "' (pid " + process.pid()
						+ "); restart policy " + this.spec.restart().name().toLowerCase(Locale.ROOT) + " applies"));
	}

	private void beginStop() {
		cancelTimer();
		Process process = this.process;
		if (process == null) {
			// a launch in flight, if any, is no longer wanted
			this.launch = null;
			transition(EmbeddedState.STOPPED, null);
			return;
		}
		transition(EmbeddedState.STOPPING, null);
		this.launcher.terminate(process, this.spec.stopTimeout())
			.thenAccept((termination) -> this.threads.post(() -> stopped(process, termination)));
	}

	private void stopped(Process process, ProcessTree.Termination termination) {
		if (this.process != process || this.state != EmbeddedState.STOPPING) {
			return;
		}
		this.process = null;
		if (!process.isAlive()) {
			this.exitStatus = process.exitValue();
		}
		String message = switch (termination) {
			case EXITED, NOTHING_LEFT -> null;
			case KILLED -> "Did not exit within " + describe(this.spec.stopTimeout()) + " of SIGTERM; killed";
			case SURVIVED ->
				"Some processes survived SIGKILL (uninterruptible, or escaped into a session of their own)";
		};
		transition(EmbeddedState.STOPPED, message);
		Integer status = this.exitStatus;
		this.exited.complete((status != null) ? status : -1);
		if (this.startAfterStop) {
			this.startAfterStop = false;
			this.failures = 0;
			spawn();
		}
	}

	private void spawn() {
		cancelTimer();
		if (this.closed.getAsBoolean()) {
			transition(EmbeddedState.STOPPED, "Not started: the application is shutting down");
			return;
		}
		if (ProcessLauncher.findExecutable(this.spec) == null) {
			transition(EmbeddedState.STARTING, null);
			runAgainLater(
					"Cannot run '" + Path.of(this.spec.command().get(0)).getFileName() + "': no such executable file",
					null, false);
			return;
		}
		Object launch = new Object();
		this.launch = launch;
		transition(EmbeddedState.STARTING, null);
		this.launcher.launch(this.spec, this.tail).whenComplete((started, ex) -> {
			if (!this.threads.post(() -> launched(launch, started, ex)) && started != null) {
				this.launcher.killNow(started);
			}
		});
	}

	// the launch that was asked for last, unless stopped meanwhile: an older one's
	// process is not the service's and is killed
	private void launched(Object launch, @Nullable Process process, @Nullable Throwable failure) {
		if (launch != this.launch || this.state != EmbeddedState.STARTING || this.closed.getAsBoolean()) {
			if (process != null) {
				this.launcher.kill(process);
			}
			return;
		}
		this.launch = null;
		if (process == null) {
			runAgainLater("Could not start the process: " + ProcessLauncher.reason(failure), null, false);
			return;
		}
		this.process = process;
		this.spawnedAt = System.nanoTime();
		this.exited = new CompletableFuture<>();
		process.onExit().whenComplete((p, ex) -> this.threads.post(() -> exited(process)));
		// still starting: readers see the pid, listeners hear of the next change
		this.status = currentStatus();
		if (this.spec.startSeconds().isZero()) {
			transition(EmbeddedState.RUNNING, null);
		}
		else {
			this.timer = this.threads.schedule(() -> startSecondsPassed(process), this.spec.startSeconds());
		}
	}

	private void startSecondsPassed(Process process) {
		if (this.process == process && this.state == EmbeddedState.STARTING) {
			this.timer = null;
			transition(EmbeddedState.RUNNING, null);
		}
	}

	private void exited(Process process) {
		if (this.process != process) {
			return;
		}
		CompletableFuture<Integer> exitedFuture = this.exited;
		int status = process.exitValue();
		this.exitStatus = status;
		if (this.state == EmbeddedState.STOPPING) {
			return;
		}
		this.process = null;
		cancelTimer();
		this.launcher.cleanUpGroup(name(), process.pid(), this.spec.stopTimeout());
		Duration ran = Duration.ofNanos(System.nanoTime() - this.spawnedAt);
		if (this.state == EmbeddedState.STARTING) {
			runAgainLater("Exited with status " + status + " within " + describe(this.spec.startSeconds()), ran, false);
		}
		else if (this.state == EmbeddedState.RUNNING) {
			RestartPolicy policy = this.spec.restart();
			boolean restart = policy == RestartPolicy.ALWAYS || (policy == RestartPolicy.ON_FAILURE && status != 0);
			String why = "Exited with status " + status + " after running " + describe(ran);
			transition(EmbeddedState.EXITED, why);
			if (restart) {
				runAgainLater(why, ran, true);
			}
		}
		exitedFuture.complete(status);
	}

	/**
	 * Wait out a back-off delay before the next run, or give the service up after too
	 * many quick failures in a row. Every run shorter than a healthy run counts, also one
	 * that passed start-seconds: with start-seconds of zero every run does.
	 * @param why what happened, for a person
	 * @param ran how long the process ran, or {@code null} when it could not be spawned
	 * @param restart whether the next run is a restart by the restart policy, which
	 * counts in the service's restarts
	 */
	private void runAgainLater(String why, @Nullable Duration ran, boolean restart) {
		Duration healthyRun = this.spec.healthyRun();
		this.failures = (ran == null || ran.compareTo(healthyRun) < 0) ? this.failures + 1 : 0;
		int retries = this.spec.startRetries();
		if (this.failures > retries) {
			String times = this.failures + " times in a row";
			String count = (ran != null) ? "exited " + times + " within " + describe(healthyRun) + " of its start"
					: "failed to start " + times;
			transition(EmbeddedState.FATAL, why + "; " + count + "; giving up until it is started again");
			return;
		}
		this.delay = (this.failures <= 1) ? this.spec.restartDelay() : doubled(this.delay, this.spec.restartDelayMax());
		String next = (this.failures == 0) ? "restart" : "retry " + this.failures + " of " + retries;
		transition(EmbeddedState.BACKOFF, why + "; " + next + " in " + describe(this.delay));
		this.timer = this.threads.schedule(() -> {
			if (this.state == EmbeddedState.BACKOFF) {
				this.timer = null;
				if (restart) {
					this.restarts++;
				}
				spawn();
			}
		}, this.delay);
	}

	private static Duration doubled(Duration delay, Duration max) {
		return (delay.compareTo(max.dividedBy(2)) >= 0) ? max : delay.multipliedBy(2);
	}

	private void transition(EmbeddedState state, @Nullable String message) {
		this.state = state;
		this.message = message;
		this.since = this.clock.instant();
		ServiceStatus status = currentStatus();
		this.status = status;
		this.changes.accept(status);
		for (Iterator<Waiter> iterator = this.waiters.iterator(); iterator.hasNext();) {
			Waiter waiter = iterator.next();
			if (waiter.states().contains(state)) {
				iterator.remove();
				this.threads.post(() -> waiter.future().complete(state));
			}
		}
	}

	private ServiceStatus currentStatus() {
		Process process = this.process;
		Long pid = (process != null && this.state != EmbeddedState.STOPPED) ? process.pid() : null;
		return new ServiceStatus(name(), EmbeddedBackend.ID, name(), this.state.normalize(this.exitStatus),
				this.state.name(), pid, this.since, this.restarts, this.exitStatus, null, this.message, Map.of());
	}

	private CompletableFuture<EmbeddedState> awaitState(EmbeddedState state) {
		return awaitState(EnumSet.of(state));
	}

	private CompletableFuture<EmbeddedState> awaitState(Set<EmbeddedState> states) {
		if (states.contains(this.state)) {
			return CompletableFuture.completedFuture(this.state);
		}
		CompletableFuture<EmbeddedState> future = new CompletableFuture<>();
		this.waiters.add(new Waiter(states, future));
		return future;
	}

	private void cancelTimer() {
		ScheduledFuture<?> timer = this.timer;
		if (timer != null) {
			timer.cancel(false);
			this.timer = null;
		}
	}

	private CompletableFuture<ActionResult> done(ServiceAction action, Outcome outcome, String message) {
		return CompletableFuture.completedFuture(result(action, outcome, message));
	}

	private ActionResult result(ServiceAction action, Outcome outcome, String message) {
		return new ActionResult(action, outcome, message, this.state.name(), this.status);
	}

	/**
	 * Return a duration for a person: whole seconds, or milliseconds below ten seconds.
	 * @param duration the duration
	 * @return the text
	 */
	static String describe(Duration duration) {
		long millis = duration.toMillis();
		if (millis % 1000 == 0 || millis >= 10_000) {
			return (millis / 1000) + " s";
		}
		return millis + " ms";
	}

	/**
	 * An action waiting for the service to reach one of some states.
	 *
	 * @param states the states
	 * @param future completed with the state reached
	 */
	private record Waiter(Set<EmbeddedState> states, CompletableFuture<EmbeddedState> future) {

	}

}
