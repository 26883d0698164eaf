package io.github.supervision.runit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.supervision.ActionResult;
import io.github.supervision.ActionResult.Outcome;
import io.github.supervision.BackendUnavailableException;
import io.github.supervision.PermissionDeniedException;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceSignal;
import io.github.supervision.UnknownServiceException;
import org.jspecify.annotations.Nullable;

/**
 * One action on one service, run on a worker thread: it writes the action's command
 * letters to the service's {@code supervise/control} FIFO, as {@code sv} does, and waits
 * for the wanted state like {@code sv -w}, woken by the {@link StatusWatcher} rather than
 * by polling. A stop sends KILL to a service still up after its stop timeout, as
 * {@code sv force-stop} does.
 *
 * @author Supervision contributors
 */
final class ControlAction {

	private static final long ACTION_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

	/**
	 * How often an action re-reads a service whose changes no watch sees.
	 */
	private static final long UNWATCHED_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(25);

	/**
	 * How often an action checks that the supervisor still runs: its death changes no
	 * file, so no watch sees it.
	 */
	private static final long LIVENESS_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

	private final SuperviseReader reader;

	private final StatusWatcher watcher;

	private final ExecutorService executor;

	private final @Nullable Duration stopTimeout;

	private final String target;

	private final ServiceAction action;

	private final @Nullable ServiceSignal signal;

	private final Duration timeout;

	private final long deadline;

	// s6 with a notification-fd: a start is done once the service said it is ready
	private boolean awaitReady;

	/**
	 * Create an action.
	 * @param reader reads the services' files
	 * @param watcher wakes the waiting action on a change
	 * @param executor runs the blocking writes to the FIFO
	 * @param stopTimeout how long a stop waits after TERM before it sends KILL, or
	 * {@code null} to never send KILL
	 * @param target the target
	 * @param action the action
	 * @param signal the signal of {@link ServiceAction#SIGNAL}, else {@code null}
	 * @param timeout the most the action may take
	 * @param deadline when it must be done, in {@link System#nanoTime()}
	 */
	ControlAction(SuperviseReader reader, StatusWatcher watcher, ExecutorService executor,
			@Nullable Duration stopTimeout, String target, ServiceAction action, @Nullable ServiceSignal signal,
			Duration timeout, long deadline) {
		this.reader = reader;
		this.watcher = watcher;
		this.executor = executor;
		this.stopTimeout = stopTimeout;
		this.target = target;
		this.action = action;
		this.signal = signal;
		this.timeout = timeout;
		this.deadline = deadline;
	}

	/**
	 * Run the action.
	 * @return its result, with the state read back
	 */
	ActionResult run() {
		Path directory = this.reader.serviceDirectory(this.target);
		Path supervise = directory.resolve("supervise");
		Path control = supervise.resolve("control");
		SuperviseRecord before = readRecord(directory, supervise);
		this.awaitReady = (this.action == ServiceAction.START || this.action == ServiceAction.RESTART)
				&& before.flavour() == SuperviseFlavour.S6 && Files.exists(directory.resolve("notification-fd"));
		checkControl(directory, control);
		LockTable locks = LockTable.read();
		if (Boolean.FALSE.equals(this.reader.isLive(supervise, locks))) {
			throw new BackendUnavailableException(SuperviseReader.notRunning(before.flavour(), directory));
		}
		ActionResult unchanged = unchanged(before, locks);
		if (unchanged != null) {
			return unchanged;
		}
		byte[] command = command(before.flavour());
		if (command.length == 0) {
			return result(
					Outcome.UNSUPPORTED, before.flavour().supervisor() + " cannot send "
							+ Objects.requireNonNull(this.signal).signalName() + ": it has no control letter for it",
					locks);
		}
		Instant sent = Instant.now();
		try {
			ControlFifo.write(control, command, this.deadline - System.nanoTime(), this.executor);
		}
		catch (AccessDeniedException ex) {
			throw permissionDenied(control);
		}
		catch (TimeoutException ex) {
			return result(Outcome.TIMEOUT, "Writing to " + control + " did not complete within "
					+ this.timeout.toMillis() + " ms: " + before.flavour().supervisor() + " does not read it",
					LockTable.read());
		}
		catch (IOException ex) {
			return result(Outcome.FAILED, "Writing to " + control + " failed: " + ex.getClass().getSimpleName(),
					LockTable.read());
		}
		return await(directory, supervise, before, sent);
	}

	private SuperviseRecord readRecord(Path directory, Path supervise) {
		Path status = supervise.resolve("status");
		try {
			return SuperviseRecord.parse(SuperviseReader.readStatus(status));
		}
		catch (NoSuchFileException ex) {
			if (!Files.isDirectory(directory)) {
				throw new UnknownServiceException(this.target, "No service directory at " + directory);
			}
			throw new BackendUnavailableException(SuperviseReader.notSupervised(directory));
		}
		catch (SuperviseReader.NotARegularFileException ex) {
			throw new BackendUnavailableException(ex.getMessage());
		}
		catch (AccessDeniedException ex) {
			throw permissionDenied(status);
		}
		catch (IOException ex) {
			throw new BackendUnavailableException("Cannot read " + status + ": " + ex.getClass().getSimpleName(), ex);
		}
		catch (IllegalArgumentException ex) {
			throw new BackendUnavailableException(ex.getMessage() + " (" + status + ")");
		}
	}

	private void checkControl(Path directory, Path control) {
		try {
			if (!ControlFifo.isFifo(control)) {
				throw new BackendUnavailableException(
						control + " is not a FIFO; refusing to write to it. Remove it and restart the supervisor");
			}
		}
		catch (NoSuchFileException ex) {
			throw new BackendUnavailableException(SuperviseReader.notSupervised(directory));
		}
		catch (AccessDeniedException ex) {
			throw permissionDenied(control);
		}
		catch (IOException ex) {
			throw new BackendUnavailableException("Cannot examine " + control + ": " + ex.getClass().getSimpleName(),
					ex);
		}
	}

	private PermissionDeniedException permissionDenied(Path file) {
		return new PermissionDeniedException("Permission denied on " + file, SuperviseReader.PERMISSION_HINT);
	}

	private byte[] command(SuperviseFlavour flavour) {
		String letters = switch (this.action) {
			case SIGNAL -> {
				Character letter = flavour.signalLetter(Objects.requireNonNull(this.signal));
				yield (letter != null) ? letter.toString() : "";
			}
			case START -> "u";
			case STOP -> "d";
			case RESTART -> "tcu";
			case RELOAD -> "h";
			case KILL -> "k";
			case ONCE -> "o";
			case PAUSE -> "p";
			case CONTINUE -> "c";
			default -> throw new IllegalArgumentException("No control letter for '" + this.action.id() + "'");
		};
		return letters.getBytes(StandardCharsets.US_ASCII);
	}

	private @Nullable ActionResult unchanged(SuperviseRecord record, LockTable locks) {
		boolean running = record.state() == SuperviseRecord.RUN;
		return switch (this.action) {
			case START -> (running && record.want() == 'u' && !record.termSent()
					&& (!this.awaitReady || Boolean.TRUE.equals(record.ready())))
							? result(Outcome.NO_CHANGE, "The service already runs", locks) : null;
			case STOP -> (!record.hasProcess() && record.want() != 'u')
					? result(Outcome.NO_CHANGE, "The service is already down", locks) : null;
			case RELOAD ->
				(!running) ? result(Outcome.FAILED, "The service does not run; nothing to reload", locks) : null;
			case KILL ->
				(!record.hasProcess()) ? result(Outcome.NO_CHANGE, "No process runs; nothing to kill", locks) : null;
			case PAUSE -> (!running) ? result(Outcome.FAILED, "The service does not run; nothing to pause", locks)
					: (record.paused()) ? result(Outcome.NO_CHANGE, "The service is already paused", locks) : null;
			case CONTINUE -> (!record.paused()) ? result(Outcome.NO_CHANGE, "The service is not paused", locks) : null;
			case SIGNAL -> (!record.hasProcess()) ? result(Outcome.NO_CHANGE,
					"No process runs; nothing to send " + Objects.requireNonNull(this.signal).signalName() + " to",
					locks) : null;
			default -> null;
		};
	}

	private boolean reached(SuperviseRecord before, SuperviseRecord now, Instant sent) {
		boolean changed = now.since().isAfter(before.since()) || now.pid() != before.pid();
		if (this.awaitReady && !Boolean.TRUE.equals(now.ready())) {
			return false;
		}
		return switch (this.action) {
			case START -> now.state() == SuperviseRecord.RUN && now.hasProcess();
			case STOP -> !now.hasProcess() && now.state() == SuperviseRecord.DOWN;
			case RESTART -> now.state() == SuperviseRecord.RUN && now.hasProcess() && !now.termSent() && changed;
			case KILL -> (!now.hasProcess() && now.want() == 'd')
					|| (now.hasProcess() && now.state() == SuperviseRecord.RUN && !now.termSent() && changed);
			case ONCE -> (now.hasProcess() && now.want() != 'u')
					|| (!now.hasProcess() && !now.since().isBefore(sent.minusMillis(10)));
			// The supervisor writes the flag before it signals: wait for the process
			// too
			case PAUSE -> now.paused() && !Boolean.FALSE.equals(isStopped(now.pid()));
			case CONTINUE -> !now.paused() && !Boolean.TRUE.equals(isStopped(now.pid()));
			case RELOAD, SIGNAL -> true;
			default -> true;
		};
	}

	// Woken by the watch on the service's files rather than by polling them. A stop
	// sends KILL to a service still up after its stop timeout, as sv force-stop does
	private ActionResult await(Path directory, Path supervise, SuperviseRecord before, Instant sent) {
		Path status = supervise.resolve("status");
		Duration stopTimeout = (this.action == ServiceAction.STOP) ? this.stopTimeout : null;
		long killAt = (stopTimeout != null) ? System.nanoTime() + stopTimeout.toNanos() : 0;
		// the stop timeout after which KILL was sent, once it was
		@Nullable Duration killedAfter = null;
		SuperviseRecord now = before;
		while (true) {
			long generation = this.watcher.generation(this.target);
			LockTable locks = LockTable.read();
			try {
				now = SuperviseRecord.parse(SuperviseReader.readStatus(status));
			}
			catch (IOException | IllegalArgumentException ex) {
				// Keep the last record; the deadline bounds the wait
			}
			if (reached(before, now, sent)) {
				return result(Outcome.DONE, (killedAfter != null) ? killed(killedAfter) : done(), locks);
			}
			if (Boolean.FALSE.equals(this.reader.isLive(supervise, locks))) {
				return result(Outcome.FAILED, SuperviseReader.notRunning(now.flavour(), directory), locks);
			}
			long remaining = this.deadline - System.nanoTime();
			if (remaining <= 0) {
				return result(Outcome.TIMEOUT, timedOut(now, stopTimeout, killedAfter), locks);
			}
			long wait = Math.min(remaining, pollNanos(now));
			if (stopTimeout != null && killedAfter == null) {
				long untilKill = killAt - System.nanoTime();
				if (untilKill > 0) {
					wait = Math.min(wait, untilKill);
				}
				else if (now.hasProcess() && now.state() == SuperviseRecord.RUN) {
					ActionResult failed = kill(supervise.resolve("control"), stopTimeout);
					if (failed != null) {
						return failed;
					}
					killedAfter = stopTimeout;
					continue;
				}
			}
			try {
				this.watcher.awaitChange(this.target, generation, wait);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return result(Outcome.CANCELED, "Interrupted while waiting for the service", LockTable.read());
			}
		}
	}

	// The longest wait before the service is read again if no watch wakes the action
	private long pollNanos(SuperviseRecord now) {
		// The supervisor writes the pause flag before it signals: the process
		// stops a moment later, which only /proc shows
		if ((this.action == ServiceAction.PAUSE && now.paused())
				|| (this.action == ServiceAction.CONTINUE && !now.paused())) {
			return ACTION_POLL_NANOS;
		}
		return this.watcher.isWatched(this.target) ? LIVENESS_POLL_NANOS : UNWATCHED_POLL_NANOS;
	}

	private @Nullable ActionResult kill(Path control, Duration stopTimeout) {
		try {
			ControlFifo.write(control, new byte[] { 'k' }, this.deadline - System.nanoTime(), this.executor);
			return null;
		}
		catch (TimeoutException | IOException ex) {
			return result(Outcome.FAILED, "The service did not stop within the stop timeout of "
					+ stopTimeout.toMillis() + " ms, and sending KILL failed: " + ex.getClass().getSimpleName(),
					LockTable.read());
		}
	}

	private String killed(Duration stopTimeout) {
		return "The service is down: it was killed after the stop timeout of " + stopTimeout.toMillis()
				+ " ms, as it had not exited on TERM";
	}

	private String done() {
		return switch (this.action) {
			case START -> this.awaitReady ? "The service runs and reported ready" : "The service runs";
			case STOP -> "The service is down";
			case RESTART -> "The service was restarted";
			case RELOAD -> "HUP was sent to the service";
			case KILL -> "The service was killed";
			case ONCE -> "The service was started once; it will not be restarted when it exits";
			case PAUSE -> "The service is paused";
			case CONTINUE -> "The service continues";
			case SIGNAL -> Objects.requireNonNull(this.signal).signalName() + " was sent to the service";
			default -> "The " + this.action.id() + " was done";
		};
	}

	private String timedOut(SuperviseRecord now, @Nullable Duration stopTimeout, @Nullable Duration killedAfter) {
		String within = " within " + this.timeout.toMillis() + " ms";
		if (killedAfter != null) {
			return "The service did not stop" + within + ": KILL was sent after the stop timeout of "
					+ killedAfter.toMillis() + " ms but the process has not exited yet";
		}
		if (this.action == ServiceAction.STOP && now.termSent()) {
			String stopped = "The service did not stop" + within
					+ ": TERM was sent but the process has not exited; it may ignore TERM";
			return (stopTimeout != null) ? stopped + ". KILL follows only after its stop timeout of "
					+ stopTimeout.toMillis() + " ms: use kill, or allow the action more time" : stopped + ", use kill";
		}
		if (this.awaitReady && now.hasProcess() && !Boolean.TRUE.equals(now.ready())) {
			return "The service runs but did not report ready" + within
					+ " (it has a notification-fd: s6 waits for it to write a newline there)";
		}
		if (!now.hasProcess() && now.want() == 'u') {
			return "The service did not come up" + within
					+ ": it exits at once or cannot be started; check its run script and log";
		}
		return "The service did not reach the wanted state" + within + "; the action may still complete";
	}

	private ActionResult result(Outcome outcome, String message, LockTable locks) {
		return new ActionResult(this.action, outcome, message, (this.signal != null) ? this.signal.name() : null,
				this.watcher.read(this.target, locks));
	}

	/**
	 * Whether a process is stopped by a signal, from {@code /proc/<pid>/stat}.
	 * @param pid the pid
	 * @return whether it is stopped, or {@code null} when that cannot be read
	 */
	static @Nullable Boolean isStopped(long pid) {
		if (pid <= 0) {
			return null;
		}
		try {
			String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
			int end = stat.lastIndexOf(')');
			return (end > 0 && end + 2 < stat.length()) ? stat.charAt(end + 2) == 'T' : null;
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

}
