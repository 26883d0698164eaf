package io.github.supervision.embedded;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.github.supervision.support.DaemonThreadFactory;
import org.jspecify.annotations.Nullable;

/**
 * The threads of the embedded supervisor: the one supervisor thread that owns every
 * service's state, the few spawner threads that start processes, the pooled workers that
 * do the other blocking work, and the notifier that calls listeners.
 * <p>
 * Whatever changes a service's state is {@linkplain #post posted} or
 * {@linkplain #schedule scheduled} to the supervisor thread, so that two changes never
 * run at the same time and a service is never spawned twice. Once shut down, every method
 * quietly does nothing.
 *
 * @author Supervision contributors
 */
final class SupervisorThreads {

	private static final System.Logger logger = System.getLogger(SupervisorThreads.class.getName());

	private static final int SPAWNERS = 4;

	private final ScheduledThreadPoolExecutor supervisor;

	private final ThreadPoolExecutor workers;

	private final ThreadPoolExecutor notifier;

	private final ThreadPoolExecutor spawners;

	SupervisorThreads() {
		this.supervisor = new ScheduledThreadPoolExecutor(1, new DaemonThreadFactory("embedded-supervisor-"));
		this.supervisor.setRemoveOnCancelPolicy(true);
		this.workers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
				new DaemonThreadFactory("embedded-worker-"));
		this.notifier = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
				new DaemonThreadFactory("embedded-notifier-"));
		// started at once and kept: the kernel sends a child its parent-death signal when
		// the thread that spawned it ends
		this.spawners = new ThreadPoolExecutor(SPAWNERS, SPAWNERS, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
				new DaemonThreadFactory("embedded-spawner-"));
		this.spawners.prestartAllCoreThreads();
	}

	/**
	 * Run a spawn on one of a few long-lived spawner threads, unless shut down. Starting
	 * a process blocks its thread until the child has executed its command, tens of
	 * milliseconds on a busy machine; a few threads overlap those waits, and the
	 * supervisor thread never waits for one. The threads live as long as the backend, so
	 * that a child's parent-death signal comes only when the JVM ends. A task must not
	 * throw.
	 * @param task the spawn
	 * @return whether the task was accepted: {@code false} once shut down
	 */
	boolean spawn(Runnable task) {
		try {
			this.spawners.execute(task);
			return true;
		}
		catch (RejectedExecutionException ex) {
			return false;
		}
	}

	/**
	 * Run a task on the supervisor thread, unless shut down. A task that throws is
	 * logged, and the thread goes on.
	 * @param task the task
	 * @return whether the task was accepted: {@code false} once shut down
	 */
	boolean post(Runnable task) {
		try {
			this.supervisor.execute(() -> {
				try {
					task.run();
				}
				catch (RuntimeException ex) {
					logger.log(System.Logger.Level.ERROR, "The embedded supervisor failed to handle an event: {0}: {1}",
							ex.getClass().getName(), ex.getMessage());
				}
			});
			return true;
		}
		catch (RejectedExecutionException ex) {
			return false;
		}
	}

	/**
	 * Run a task on the supervisor thread after a delay, unless shut down.
	 * @param task the task
	 * @param delay the delay; a negative one is none
	 * @return the timer, to cancel it, or {@code null} once shut down
	 */
	@Nullable ScheduledFuture<?> schedule(Runnable task, Duration delay) {
		try {
			return this.supervisor.schedule(task, nanos(delay), TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			return null;
		}
	}

	/**
	 * Return the supervisor thread as an executor, for the stages of a future that change
	 * state.
	 * @return the executor
	 */
	Executor supervisor() {
		return this.supervisor;
	}

	/**
	 * Return the worker pool, for blocking work.
	 * @return the executor
	 */
	Executor workers() {
		return this.workers;
	}

	/**
	 * Run blocking work on a worker thread, unless shut down.
	 * @param task the work
	 */
	void execute(Runnable task) {
		try {
			this.workers.execute(task);
		}
		catch (RejectedExecutionException ex) {
			// shut down
		}
	}

	/**
	 * Call listeners on the notifier thread, in order, unless shut down.
	 * @param task the calls
	 */
	void notify(Runnable task) {
		try {
			this.notifier.execute(task);
		}
		catch (RejectedExecutionException ex) {
			// shut down
		}
	}

	/**
	 * Complete a future with what another completes with; its dependent stages run on a
	 * worker thread, never on the supervisor thread.
	 * @param <T> the type of value
	 * @param source the future to follow
	 * @param target the future to complete
	 */
	<T> void forward(CompletableFuture<T> source, CompletableFuture<T> target) {
		source.whenComplete((value, ex) -> {
			if (ex != null) {
				target.completeExceptionally(ex);
			}
			else {
				complete(target, value);
			}
		});
	}

	/**
	 * Complete a future on a worker thread, so that its dependent stages run there; on
	 * the calling thread once shut down.
	 * @param <T> the type of value
	 * @param future the future
	 * @param value its value
	 */
	<T> void complete(CompletableFuture<T> future, T value) {
		try {
			this.workers.execute(() -> future.complete(value));
		}
		catch (RejectedExecutionException ex) {
			future.complete(value);
		}
	}

	/**
	 * End the supervisor and spawner threads at once, the workers when they are idle, and
	 * the notifier after the listener calls queued, waiting at most one second for them.
	 */
	void shutdown() {
		this.supervisor.shutdownNow();
		// spawns still queued are dropped; one under way kills its process itself
		this.spawners.shutdownNow();
		this.workers.shutdown();
		this.notifier.shutdown();
		try {
			this.notifier.awaitTermination(1, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.notifier.shutdownNow();
	}

	/**
	 * Return a duration in nanoseconds, none when negative and the most when too long.
	 * @param duration the duration
	 * @return the nanoseconds
	 */
	static long nanos(Duration duration) {
		if (duration.isNegative()) {
			return 0;
		}
		try {
			return duration.toNanos();
		}
		catch (ArithmeticException ex) {
			return Long.MAX_VALUE;
		}
	}

}
