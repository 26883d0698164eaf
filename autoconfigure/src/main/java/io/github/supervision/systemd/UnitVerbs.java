package io.github.supervision.systemd;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.github.supervision.ActionResult;
import io.github.supervision.ActionResult.Outcome;
import io.github.supervision.BackendUnavailableException;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceSignal;
import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import io.github.supervision.UnknownServiceException;
import io.github.supervision.systemd.SystemdConnection.Session;
import io.github.supervision.systemd.dbus.UnitListEntry;
import org.jspecify.annotations.Nullable;

/**
 * Carries out the verbs systemd has beyond jobs: enabling and disabling unit files (with
 * their {@code [Install]} result), {@code ResetFailedUnit}, and {@code KillUnit} with a
 * named signal; each one call, then the unit read back.
 *
 * @author Supervision contributors
 */
final class UnitVerbs {

	private final SystemdConnection connection;

	private final UnitRegistry units;

	private final UnitFiles unitFiles;

	private final Executor workers;

	private final KillWhom killWhom;

	UnitVerbs(SystemdConnection connection, UnitRegistry units, UnitFiles unitFiles, Executor workers,
			KillWhom killWhom) {
		this.connection = connection;
		this.units = units;
		this.unitFiles = unitFiles;
		this.workers = workers;
		this.killWhom = killWhom;
	}

	CompletableFuture<ActionResult> enable(String target, boolean enable, Duration timeout) {
		ServiceAction action = enable ? ServiceAction.ENABLE : ServiceAction.DISABLE;
		return run(target, action, timeout, (verb) -> {
			List<UnitFileChange> changes;
			boolean installInfo = true;
			if (enable) {
				EnableResult result = this.unitFiles.enable(List.of(target), false, false, verb.timeout());
				changes = result.changes();
				installInfo = result.carriesInstallInfo();
			}
			else {
				changes = this.unitFiles.disable(List.of(target), false, verb.timeout());
			}
			String state = this.unitFiles.unitFileState(target, verb.timeout());
			ServiceStatus status = verb.readBack();
			if (!changes.isEmpty()) {
				return new ActionResult(action, Outcome.DONE, target + " is " + state + ": " + describe(changes), state,
						status);
			}
			if (enable && !installInfo) {
				return new ActionResult(action, Outcome.FAILED,
						target + " has no [Install] section (unit file state '" + state
								+ "'): there is nothing to enable; it starts only as another unit's dependency",
						state, status);
			}
			return new ActionResult(action, Outcome.NO_CHANGE,
					target + " is already " + state + "; no unit file link changed", state, status);
		});
	}

	CompletableFuture<ActionResult> resetFailed(String target, Duration timeout) {
		return run(target, ServiceAction.RESET_FAILED, timeout, (verb) -> {
			ServiceState before = verb.before();
			try {
				verb.call("ResetFailedUnit", target);
			}
			catch (CallFailedException ex) {
				// a unit that is inactive and unreferenced is unloaded: it has nothing to
				// reset
				if (!SystemdErrors.NO_SUCH_UNIT.equals(SystemdErrors.name(ex.dbus()))) {
					throw ex;
				}
			}
			ServiceStatus status = verb.readBack();
			if (before != ServiceState.FAILED) {
				return new ActionResult(ServiceAction.RESET_FAILED, Outcome.NO_CHANGE,
						target + " had not failed; its restart counter was reset", null, status);
			}
			return new ActionResult(ServiceAction.RESET_FAILED, Outcome.DONE,
					"systemd cleared the failed state of " + target, null, status);
		});
	}

	CompletableFuture<ActionResult> signal(String target, ServiceSignal signal, Duration timeout) {
		return run(target, ServiceAction.SIGNAL, timeout, (verb) -> {
			String whom = this.killWhom.id();
			if (!verb.before().isUp()) {
				return new ActionResult(ServiceAction.SIGNAL, Outcome.NO_CHANGE,
						target + " is not running; no process to send " + signal.signalName() + " to", signal.name(),
						verb.known());
			}
			try {
				verb.call("KillUnit", target, whom, signal.number());
			}
			catch (CallFailedException ex) {
				String type = SystemdErrors.name(ex.dbus());
				if (SystemdErrors.NO_SUCH_PROCESS.equals(type) || SystemdErrors.NO_SUCH_UNIT.equals(type)) {
					return new ActionResult(ServiceAction.SIGNAL, Outcome.NO_CHANGE,
							target + " has no process to send " + signal.signalName() + " to", signal.name(),
							verb.readBack());
				}
				throw ex;
			}
			return new ActionResult(ServiceAction.SIGNAL, Outcome.DONE, "Sent " + signal.signalName() + " to "
					+ ((this.killWhom == KillWhom.MAIN) ? "the main process" : "every process") + " of " + target,
					signal.name(), verb.readBack());
		});
	}

	private CompletableFuture<ActionResult> run(String target, ServiceAction action, Duration timeout,
			Function<Verb, ActionResult> body) {
		UnitNames.validate(target);
		long deadline = Futures.deadline(timeout);
		try {
			return CompletableFuture.supplyAsync(() -> {
				Verb verb = new Verb(target, action, deadline);
				try {
					return body.apply(verb);
				}
				catch (CallFailedException ex) {
					return JobOutcomes.refused(action, target, ex.dbus(), verb.known());
				}
			}, this.workers);
		}
		catch (RejectedExecutionException ex) {
			return CompletableFuture.failedFuture(new BackendUnavailableException("The systemd backend is closed"));
		}
	}

	private static String describe(List<UnitFileChange> changes) {
		return changes.stream()
			.map((change) -> change.type() + " " + change.file()
					+ ((change.destination().isEmpty()) ? "" : " -> " + change.destination()))
			.collect(Collectors.joining(", "));
	}

	/**
	 * One verb on one unit: its connection, deadline, and the unit before and after.
	 */
	private final class Verb {

		private final String target;

		private final ServiceAction action;

		private final long deadline;

		private final Session session;

		private final UnitCache cache;

		private @Nullable ServiceState before;

		Verb(String target, ServiceAction action, long deadline) {
			this.target = target;
			this.action = action;
			this.deadline = deadline;
			this.session = Futures.await(UnitVerbs.this.connection.session(), deadline, "Connecting to systemd");
			this.cache = UnitVerbs.this.units.track(target);
		}

		Duration timeout() {
			return Duration.ofNanos(Math.max(1, this.deadline - System.nanoTime()));
		}

		// The unit as ListUnitsByNames shows it now; an unknown unit is refused
		ServiceState before() {
			long sentAt = UnitVerbs.this.units.clock();
			List<UnitListEntry> entries = Futures.await(UnitVerbs.this.connection.call(this.session,
					this.session.manager(), "ListUnitsByNames", List.of(this.target)), this.deadline,
					"systemd " + this.action.id());
			UnitListEntry entry = entries.get(0);
			UnitVerbs.this.units.seen(this.cache, entry, sentAt);
			if ("not-found".equals(entry.getLoadState())) {
				throw new UnknownServiceException(this.target,
						"systemd has no unit named '" + this.target + "' (no unit file found)");
			}
			this.before = UnitStatusMapper.state(entry.getLoadState(), entry.getActiveState(), entry.getSubState());
			return this.before;
		}

		void call(String method, Object... args) {
			Futures.await(UnitVerbs.this.connection.call(this.session, this.session.manager(), method, args),
					this.deadline, "systemd " + this.action.id());
		}

		ServiceStatus readBack() {
			ServiceStatus status = Futures.await(UnitVerbs.this.units.readBack(this.session, this.cache, this.deadline),
					this.deadline, "Reading " + this.target + " back");
			return (status != null) ? status : this.cache.status();
		}

		ServiceStatus known() {
			return this.cache.status();
		}

	}

}
