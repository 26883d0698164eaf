package io.github.supervision.runit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.github.supervision.ActionInProgressException;
import io.github.supervision.ActionResult;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceSignal;
import io.github.supervision.support.CallsInFlight;
import io.github.supervision.support.DaemonThreadFactory;
import org.jspecify.annotations.Nullable;

/**
 * Runs the runit backend's actions, at most one in flight per service directory: each is
 * a {@link ControlAction} on a worker thread, given the service's stop timeout. A caller
 * asking for the action already in flight joins it ({@link CallsInFlight}), so that
 * concurrent restarts are one restart, not one each.
 *
 * @author Supervision contributors
 */
final class ControlActions implements AutoCloseable {

	private final SuperviseReader reader;

	private final StatusWatcher watcher;

	private final @Nullable Duration stopTimeout;

	private final Map<Path, Duration> stopTimeouts = new ConcurrentHashMap<>();

	private final CallsInFlight<Path, Call, ActionResult> inFlight = new CallsInFlight<>();

	private final ExecutorService executor;

	/**
	 * Create the actions of a backend.
	 * @param reader reads the services' files
	 * @param watcher wakes a waiting action on a change
	 * @param stopTimeout how long a stop waits after TERM before it sends KILL, or
	 * {@code null} to never send KILL to services not in {@code stopTimeouts}
	 * @param stopTimeouts stop timeouts of some targets, overriding {@code stopTimeout};
	 * invalid targets are left out
	 */
	ControlActions(SuperviseReader reader, StatusWatcher watcher, @Nullable Duration stopTimeout,
			Map<String, Duration> stopTimeouts) {
		if (stopTimeout != null && (stopTimeout.isNegative() || stopTimeout.isZero())) {
			throw new IllegalArgumentException("'stopTimeout' must be positive");
		}
		this.reader = reader;
		this.watcher = watcher;
		this.stopTimeout = stopTimeout;
		stopTimeouts.forEach((target, timeout) -> {
			if (timeout == null || timeout.isNegative() || timeout.isZero()) {
				throw new IllegalArgumentException("The stop timeout of '" + target + "' must be positive");
			}
			if (ServiceDirectories.isValid(target)) {
				this.stopTimeouts.merge(reader.serviceDirectory(target), timeout,
						(a, b) -> (a.compareTo(b) <= 0) ? a : b);
			}
		});
		this.executor = Executors.newCachedThreadPool(new DaemonThreadFactory("runit-action-"));
	}

	/**
	 * Perform an action, at most one at a time per service directory: a caller asking for
	 * the action already in flight joins it and gets its result, and one asking for
	 * another action gets an {@link ActionInProgressException}. Concurrent restarts are
	 * then one restart, not one each.
	 * @param target the target
	 * @param action the action
	 * @param timeout the most the action may take, from now
	 * @return the result, completed on a worker thread
	 * @throws io.github.supervision.InvalidServiceNameException if the target is not
	 * valid
	 */
	CompletableFuture<ActionResult> perform(String target, ServiceAction action, Duration timeout) {
		return perform(target, action, null, timeout);
	}

	/**
	 * Perform an action that may carry a signal, as
	 * {@link #perform(String, ServiceAction, Duration)} does; a signal in flight is
	 * joined only by the same signal.
	 * @param target the target
	 * @param action the action
	 * @param signal the signal of {@link ServiceAction#SIGNAL}, else {@code null}
	 * @param timeout the most the action may take, from now
	 * @return the result, completed on a worker thread
	 */
	CompletableFuture<ActionResult> perform(String target, ServiceAction action, @Nullable ServiceSignal signal,
			Duration timeout) {
		if ((action == ServiceAction.SIGNAL) != (signal != null)) {
			throw new IllegalArgumentException("A signal goes with the signal action, and only with it");
		}
		ServiceDirectories.validate(target);
		Path directory = this.reader.serviceDirectory(target);
		long deadline = System.nanoTime() + timeout.toNanos();
		// The action keeps its own deadline, and the catalog's guard holds a joining
		// caller whose deadline is earlier than the action's to its own
		return this.inFlight.call(directory, new Call(action, signal),
				() -> CompletableFuture.supplyAsync(() -> new ControlAction(this.reader, this.watcher, this.executor,
						stopTimeout(directory), target, action, signal, timeout, deadline)
					.run(), this.executor),
				(running) -> new ActionInProgressException(target, action, running.action()));
	}

	/**
	 * Return how long a stop of a target waits after TERM before it sends KILL.
	 * @param target the target
	 * @return the stop timeout, or {@code null} when a stop of it never sends KILL
	 * @throws io.github.supervision.InvalidServiceNameException if the target is not
	 * valid
	 */
	@Nullable Duration stopTimeout(String target) {
		return stopTimeout(this.reader.serviceDirectory(target));
	}

	private @Nullable Duration stopTimeout(Path directory) {
		Duration timeout = this.stopTimeouts.get(directory);
		return (timeout != null) ? timeout : this.stopTimeout;
	}

	@Override
	public void close() {
		this.executor.shutdownNow();
	}

	/**
	 * An action in flight on one service directory: a signal is joined only by the same
	 * signal.
	 */
	private record Call(ServiceAction action, @Nullable ServiceSignal signal) {

	}

}
