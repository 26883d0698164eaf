package io.github.supervision.systemd;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Bounds how many asynchronous calls are in flight at once. The bus daemon refuses a
 * connection more pending replies than its {@code max_replies_per_connection} (128 on
 * Debian's system bus), which the first status read of hundreds of units would exceed.
 * Never blocks: a call over the limit starts when an earlier one completes.
 *
 * @author Supervision contributors
 */
final class CallLimiter {

	private final int limit;

	private final Executor executor;

	private final Deque<Runnable> waiting = new ArrayDeque<>();

	private int running;

	/**
	 * Create a limiter.
	 * @param limit the most calls in flight
	 * @param executor where a queued call starts; not the thread that completed the
	 * previous one, whose stack would otherwise grow by one call for each queued call
	 * that fails at once, as all do when the bus drops
	 */
	CallLimiter(int limit, Executor executor) {
		this.limit = limit;
		this.executor = executor;
	}

	<T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> call) {
		CompletableFuture<T> result = new CompletableFuture<>();
		Runnable start = () -> {
			CompletableFuture<T> started;
			try {
				started = call.get();
			}
			catch (RuntimeException ex) {
				started = CompletableFuture.failedFuture(ex);
			}
			started.whenComplete((value, ex) -> {
				release();
				if (ex != null) {
					result.completeExceptionally(ex);
				}
				else {
					result.complete(value);
				}
			});
		};
		synchronized (this) {
			if (this.running >= this.limit) {
				this.waiting.add(start);
				return result;
			}
			this.running++;
		}
		start.run();
		return result;
	}

	private void release() {
		Runnable next;
		synchronized (this) {
			next = this.waiting.poll();
			if (next == null) {
				this.running--;
				return;
			}
		}
		this.executor.execute(next);
	}

	synchronized int queued() {
		return this.waiting.size();
	}

	synchronized int pending() {
		return this.running + this.waiting.size();
	}

}
