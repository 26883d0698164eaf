package io.github.supervision.embedded;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.github.supervision.embedded.ProcessTree.Stat;
import io.github.supervision.embedded.ProcessTree.Termination;
import org.jspecify.annotations.Nullable;

/**
 * Stops process trees, all that are being stopped at the same time in one loop on one
 * worker thread: SIGTERM to each tree's group and to every descendant of a snapshot, then
 * SIGKILL to what is left after the tree's timeout.
 * <p>
 * Each round reads {@code /proc} once for every tree being stopped (and not at all while
 * every main process still runs), and the group signals of a round go out in one
 * {@code kill} command, so that stopping a thousand services costs a few scans and
 * commands rather than a thousand of each.
 *
 * @author Supervision contributors
 */
final class TreeStopper {

	private static final long MAX_PAUSE_MILLIS = 50;

	private static final int SNAPSHOTS_WITHOUT_SCAN = 8;

	private final ProcessTree tree;

	private final SupervisorThreads threads;

	private final List<Stop> incoming = new ArrayList<>();

	private boolean looping;

	TreeStopper(ProcessTree tree, SupervisorThreads threads) {
		this.tree = tree;
		this.threads = threads;
	}

	/**
	 * Stop a process tree: SIGTERM, then SIGKILL after the timeout, then wait at most
	 * {@code killGrace}.
	 * @param main the main process, or {@code null} when it already exited
	 * @param pgid the process group id (the main process's pid)
	 * @param timeout how long to wait after SIGTERM
	 * @param killGrace how long to wait after SIGKILL
	 * @param onlyIfLeft whether to signal nothing and answer
	 * {@link Termination#NOTHING_LEFT} when the group has no live member
	 * @return how the tree ended; never completes once the workers are shut down
	 */
	CompletableFuture<Termination> stop(@Nullable ProcessHandle main, long pgid, Duration timeout, Duration killGrace,
			boolean onlyIfLeft) {
		Stop stop = new Stop(main, pgid, SupervisorThreads.nanos(timeout), SupervisorThreads.nanos(killGrace),
				onlyIfLeft);
		boolean startLoop;
		synchronized (this.incoming) {
			this.incoming.add(stop);
			startLoop = !this.looping;
			this.looping = true;
		}
		if (startLoop) {
			this.threads.execute(this::loop);
		}
		return stop.result;
	}

	private void loop() {
		List<Stop> active = new ArrayList<>();
		long pause = 1;
		while (true) {
			synchronized (this.incoming) {
				if (!this.incoming.isEmpty()) {
					pause = 1;
				}
				active.addAll(this.incoming);
				this.incoming.clear();
				if (active.isEmpty()) {
					this.looping = false;
					return;
				}
			}
			round(active);
			if (!active.isEmpty()) {
				sleep(pause);
				pause = Math.min(pause * 2, MAX_PAUSE_MILLIS);
			}
		}
	}

	private void round(List<Stop> active) {
		Map<Long, Stat> scan = needsScan(active) ? this.tree.scan() : Map.of();
		List<Stop> terminate = new ArrayList<>();
		List<Stop> kill = new ArrayList<>();
		long now = System.nanoTime();
		for (Iterator<Stop> iterator = active.iterator(); iterator.hasNext();) {
			Stop stop = iterator.next();
			if (stop.phase == Phase.NEW) {
				if (stop.onlyIfLeft && this.tree.groupMembers(stop.pgid, scan).isEmpty()) {
					stop.result.complete(Termination.NOTHING_LEFT);
					iterator.remove();
					continue;
				}
				if (stop.main != null) {
					stop.snapshot.putAll(
							scan.isEmpty() ? this.tree.descendants(stop.main) : this.tree.descendants(stop.main, scan));
				}
				stop.phase = Phase.TERMINATING;
				stop.deadline = now + stop.timeout;
				terminate.add(stop);
			}
			else if (isGone(stop, scan)) {
				stop.result.complete((stop.phase == Phase.TERMINATING) ? Termination.EXITED : Termination.KILLED);
				iterator.remove();
			}
			else if (now - stop.deadline >= 0) {
				if (stop.phase == Phase.KILLING) {
					stop.result.complete(Termination.SURVIVED);
					iterator.remove();
				}
				else {
					if (stop.main != null) {
						stop.snapshot.putAll(this.tree.descendants(stop.main, scan));
					}
					stop.phase = Phase.KILLING;
					stop.deadline = now + stop.killGrace;
					kill.add(stop);
				}
			}
		}
		signal(terminate, false);
		signal(kill, true);
	}

	// The main processes tell first: the scan is needed only to start many stops (a few
	// take the JDK's own, quicker, walk of their descendants) or a clean-up, or once some
	// main process has ended or some deadline has passed
	private boolean needsScan(List<Stop> active) {
		long now = System.nanoTime();
		int starting = 0;
		for (Stop stop : active) {
			if (stop.phase == Phase.NEW) {
				if (stop.onlyIfLeft || stop.main == null || ++starting > SNAPSHOTS_WITHOUT_SCAN) {
					return true;
				}
			}
			else if (stop.main == null || !stop.main.isAlive() || now - stop.deadline >= 0) {
				return true;
			}
		}
		return false;
	}

	private boolean isGone(Stop stop, Map<Long, Stat> scan) {
		if (stop.main != null && stop.main.isAlive()) {
			return false;
		}
		for (Map.Entry<Long, Long> entry : stop.snapshot.entrySet()) {
			if (this.tree.isLive(entry.getKey(), entry.getValue(), scan)) {
				return false;
			}
		}
		return this.tree.groupMembers(stop.pgid, scan).isEmpty();
	}

	private void signal(List<Stop> stops, boolean kill) {
		this.tree.signalGroups(stops.stream().map((stop) -> stop.pgid).toList(), kill);
		for (Stop stop : stops) {
			if (stop.main != null) {
				ProcessTree.destroy(stop.main, kill);
			}
			stop.snapshot.keySet()
				.forEach((pid) -> ProcessHandle.of(pid).ifPresent((handle) -> ProcessTree.destroy(handle, kill)));
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private enum Phase {

		NEW, TERMINATING, KILLING

	}

	/**
	 * One tree being stopped; touched only by the loop.
	 */
	private static final class Stop {

		private final @Nullable ProcessHandle main;

		private final long pgid;

		private final long timeout;

		private final long killGrace;

		private final boolean onlyIfLeft;

		private final Map<Long, Long> snapshot = new LinkedHashMap<>();

		private final CompletableFuture<Termination> result = new CompletableFuture<>();

		private Phase phase = Phase.NEW;

		private long deadline;

		Stop(@Nullable ProcessHandle main, long pgid, long timeout, long killGrace, boolean onlyIfLeft) {
			this.main = main;
			this.pgid = pgid;
			this.timeout = timeout;
			this.killGrace = killGrace;
			this.onlyIfLeft = onlyIfLeft;
		}

	}

}
