package io.github.supervision.embedded;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.github.supervision.ActionResult;
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
 * being spawned twice. The actions are carried out by its {@link ServiceActions}; a
 * process that exits and is to run again waits the back-off its {@link RestartBackoff}
 * says first, or the service is given up ({@code FATAL}).
 *
 * @author Supervision contributors
 */
final class SupervisedService {

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

	private final RestartBackoff backoff;

	private final ServiceActions actions;

	private long spawnedAt;

	private @Nullable ScheduledFuture<?> timer;

	private boolean startAfterStop;

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
		this.backoff = new RestartBackoff(spec);
		this.actions = new ServiceActions(this, threads, launcher);
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
	 * Carry out an action, and complete its result when done ({@link ServiceActions}).
	 * @param action the action
	 * @param result what to complete
	 */
	void perform(ServiceAction action, CompletableFuture<ActionResult> result) {
		this.actions.perform(action, result);
	}

	/**
	 * Carry out an action that may carry a signal ({@link ServiceActions}).
	 * @param action the action
	 * @param signal the signal of {@code SIGNAL}, else {@code null}
	 * @param result what to complete
	 */
	void perform(ServiceAction action, @Nullable ServiceSignal signal, CompletableFuture<ActionResult> result) {
		this.actions.perform(action, signal, result);
	}

	EmbeddedState state() {
		return this.state;
	}

	@Nullable String message() {
		return this.message;
	}

	@Nullable Process process() {
		return this.process;
	}

	/**
	 * Return what completes with the exit status of the current process.
	 * @return the exit, complete when no process runs
	 */
	CompletableFuture<Integer> exited() {
		return this.exited;
	}

	/**
	 * Start a new series of attempts, without waiting out a back-off.
	 */
	void start() {
		this.backoff.reset();
		spawn();
	}

	/**
	 * Whether to start the service once the stop in progress is done.
	 * @param start whether to
	 */
	void startAfterStop(boolean start) {
		this.startAfterStop = start;
	}

	/**
	 * Stop a service that waits out a back-off.
	 * @param message why, for a person
	 */
	void stopBackoff(String message) {
		cancelTimer();
		transition(EmbeddedState.STOPPED, message);
	}

	/**
	 * Stop the service with the application: it is not started again.
	 * @return a future that completes when it is stopped
	 */
	CompletableFuture<?> stopWithApplication() {
		this.startAfterStop = false;
		switch (this.state) {
			case BACKOFF -> stopBackoff("Stopped with the application");
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

	/**
	 * Stop the process, or drop the launch in flight.
	 */
	void beginStop() {
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
			start();
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
	 * Wait out a back-off delay before the next run, or give the service up, as the
	 * {@link RestartBackoff} says.
	 * @param why what happened, for a person
	 * @param ran how long the process ran, or {@code null} when it could not be spawned
	 * @param restart whether the next run is a restart by the restart policy, which
	 * counts in the service's restarts
	 */
	private void runAgainLater(String why, @Nullable Duration ran, boolean restart) {
		RestartBackoff.Next next = this.backoff.next(ran);
		Duration delay = next.delay();
		if (delay == null) {
			transition(EmbeddedState.FATAL, why + "; " + next.reason());
			return;
		}
		transition(EmbeddedState.BACKOFF, why + "; " + next.reason());
		this.timer = this.threads.schedule(() -> {
			if (this.state == EmbeddedState.BACKOFF) {
				this.timer = null;
				if (restart) {
					this.restarts++;
				}
				spawn();
			}
		}, delay);
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

	/**
	 * Return what completes when the service is in a state.
	 * @param state the state
	 * @return the state reached
	 */
	CompletableFuture<EmbeddedState> awaitState(EmbeddedState state) {
		return awaitState(EnumSet.of(state));
	}

	/**
	 * Return what completes when the service is in one of some states.
	 * @param states the states
	 * @return the state reached
	 */
	CompletableFuture<EmbeddedState> awaitState(Set<EmbeddedState> states) {
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
