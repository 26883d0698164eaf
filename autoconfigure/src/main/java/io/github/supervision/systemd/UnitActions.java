package io.github.supervision.systemd;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import io.github.supervision.ActionResult;
import io.github.supervision.ActionResult.Outcome;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceState;
import io.github.supervision.UnknownServiceException;
import io.github.supervision.systemd.SystemdConnection.Session;
import io.github.supervision.systemd.dbus.Manager;
import io.github.supervision.systemd.dbus.UnitListEntry;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;

/**
 * Acts on units: queues the job of an action, waits for its {@code JobRemoved} signal
 * within the caller's deadline, then reads the unit back; {@link JobOutcomes} says what
 * it came to. An action in flight when the bus drops is reported, never replayed.
 *
 * @author Supervision contributors
 */
final class UnitActions {

	private static final String MODE = "replace";

	private static final int SIGKILL = 9;

	private static final Duration KILL_SETTLE = Duration.ofSeconds(5);

	private final SystemdConnection connection;

	private final UnitRegistry units;

	private final Executor workers;

	private final JobTracker jobs = new JobTracker();

	/**
	 * Create the actions.
	 * @param connection the bus connection
	 * @param units the units, to read before and after an action
	 * @param workers where replies are handled
	 */
	UnitActions(SystemdConnection connection, UnitRegistry units, Executor workers) {
		this.connection = connection;
		this.units = units;
		this.workers = workers;
	}

	/**
	 * Perform an action on a unit.
	 * @param target the unit
	 * @param action the action
	 * @param timeout the most the action may take
	 * @return the result
	 * @see SystemdBackend#perform(String, ServiceAction, Duration)
	 */
	CompletableFuture<ActionResult> perform(String target, ServiceAction action, Duration timeout) {
		UnitNames.validate(target);
		long deadline = Futures.deadline(timeout);
		String method = switch (action) {
			case START -> "StartUnit";
			case STOP -> "StopUnit";
			case RESTART -> "RestartUnit";
			case RELOAD -> "ReloadUnit";
			case KILL -> "KillUnit";
			case TRY_RESTART -> "TryRestartUnit";
			case RELOAD_OR_RESTART -> "ReloadOrRestartUnit";
			default -> throw new IllegalArgumentException("systemd has no '" + action.id() + "' action");
		};
		return Futures.bounded(this.connection.session(), deadline)
			.exceptionallyCompose((ex) -> CompletableFuture.failedFuture(this.connection.unavailable(ex)))
			.thenComposeAsync((opened) -> perform(opened, target, action, method, deadline), this.workers);
	}

	private CompletableFuture<ActionResult> perform(Session session, String target, ServiceAction action, String method,
			long deadline) {
		UnitCache cache = this.units.track(target);
		long sentAt = this.units.clock();
		return Futures
			.bounded(this.connection.<List<UnitListEntry>>call(session, session.manager(), "ListUnitsByNames",
					List.of(target)), deadline)
			.exceptionallyCompose((ex) -> CompletableFuture.failedFuture(this.connection.unavailable(ex)))
			.thenComposeAsync((entries) -> {
				UnitListEntry before = entries.get(0);
				this.units.seen(cache, before, sentAt);
				if ("not-found".equals(before.getLoadState())) {
					return CompletableFuture.failedFuture(new UnknownServiceException(target,
							"systemd has no unit named '" + target + "' (no unit file found)"));
				}
				ServiceState state = UnitStatusMapper.state(before.getLoadState(), before.getActiveState(),
						before.getSubState());
				boolean idle = "/".equals(before.getJobPath());
				if (idle && action == ServiceAction.START && state.isUp()) {
					return CompletableFuture.completedFuture(new ActionResult(action, Outcome.NO_CHANGE,
							target + " is already running", null, cache.status()));
				}
				if (idle && (action == ServiceAction.STOP || action == ServiceAction.KILL)
						&& (state == ServiceState.STOPPED || state == ServiceState.FAILED)) {
					return CompletableFuture.completedFuture(new ActionResult(action, Outcome.NO_CHANGE,
							target + " is not running", null, cache.status()));
				}
				if (idle && action == ServiceAction.TRY_RESTART && !state.isUp()) {
					return CompletableFuture.completedFuture(new ActionResult(action, Outcome.NO_CHANGE,
							target + " is not running; try-restart leaves it stopped", null, cache.status()));
				}
				if (action == ServiceAction.KILL) {
					return kill(session, cache, deadline);
				}
				return runJob(session, cache, action, method, deadline);
			}, this.workers);
	}

	private CompletableFuture<ActionResult> runJob(Session session, UnitCache cache, ServiceAction action,
			String method, long deadline) {
		String target = cache.name();
		CompletableFuture<DBusPath> queued = Futures
			.bounded(this.connection.<DBusPath>call(session, session.manager(), method, target, MODE), deadline);
		return queued.handleAsync((job, ex) -> {
			if (ex != null) {
				return CompletableFuture
					.completedFuture(JobOutcomes.refused(action, target, Futures.unwrap(ex), cache.status()));
			}
			return Futures.bounded(this.jobs.await(job.getPath()), deadline).handleAsync((jobResult, jobEx) -> {
				if (jobEx != null) {
					return CompletableFuture
						.completedFuture(JobOutcomes.unfinished(action, target, Futures.unwrap(jobEx), cache.status()));
				}
				return this.units.readBack(session, cache, deadline)
					.thenApply((status) -> JobOutcomes.jobEnded(action, target, jobResult, status));
			}, this.workers).thenCompose((next) -> next);
		}, this.workers).thenCompose((next) -> next);
	}

	private CompletableFuture<ActionResult> kill(Session session, UnitCache cache, long deadline) {
		String target = cache.name();
		Object pidBefore = cache.properties().get("MainPID");
		CompletableFuture<Void> settled = cache
			.await((properties) -> !Objects.equals(properties.get("MainPID"), pidBefore)
					|| !"active".equals(properties.get("ActiveState")));
		return Futures
			.bounded(this.connection.<Object>call(session, session.manager(), "KillUnit", target, "all", SIGKILL),
					deadline)
			.handleAsync((ignored, ex) -> {
				if (ex != null) {
					settled.cancel(false);
					Throwable cause = Futures.unwrap(ex);
					if (cause instanceof DBusExecutionException dbus
							&& (SystemdErrors.NO_SUCH_PROCESS.equals(SystemdErrors.name(dbus))
									|| SystemdErrors.NO_SUCH_UNIT.equals(SystemdErrors.name(dbus)))) {
						return CompletableFuture.completedFuture(new ActionResult(ServiceAction.KILL, Outcome.NO_CHANGE,
								target + " has no process to kill", null, cache.status()));
					}
					return CompletableFuture
						.completedFuture(JobOutcomes.refused(ServiceAction.KILL, target, cause, cache.status()));
				}
				long settle = Math.min(deadline, System.nanoTime() + KILL_SETTLE.toNanos());
				return Futures.bounded(settled, settle)
					.handle((done, timeout) -> settled.cancel(false))
					.thenCompose((done) -> this.units.readBack(session, cache, deadline))
					.thenApply((status) -> new ActionResult(ServiceAction.KILL, Outcome.DONE,
							"Sent SIGKILL to the processes of " + target, null, status));
			}, this.workers)
			.thenCompose((next) -> next);
	}

	/**
	 * Add the handler of the signal that ends jobs.
	 * @param connection a new connection, not subscribed yet
	 * @throws DBusException when the handler cannot be added
	 */
	void subscribe(DBusConnection connection) throws DBusException {
		connection.addSigHandler(Manager.JobRemoved.class,
				(signal) -> this.jobs.jobRemoved(signal.getJob(), signal.getResult()));
	}

	/**
	 * Fail every job still waited for: its end can no longer be seen.
	 */
	void lost() {
		this.jobs.failAll(new BusLostException());
	}

	int pendingJobs() {
		return this.jobs.pending();
	}

}
