package io.github.supervision.systemd;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Matches systemd's {@code JobRemoved} signals with the jobs our actions queued. A job
 * may finish before the call that queued it has returned its path, so finished jobs are
 * remembered for a while; callers that queued the same (merged) job share its result.
 * Entries leave the map when their job ends or the bus drops, so nothing leaks.
 *
 * @author Supervision contributors
 */
final class JobTracker {

	private static final int REMEMBERED = 512;

	private final Map<String, CompletableFuture<String>> waiting = new ConcurrentHashMap<>();

	private final Map<String, String> finished = new LinkedHashMap<>(64, 0.75f, false) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
			return size() > REMEMBERED;
		}

	};

	/**
	 * Record a finished job; called on the signal thread and never blocks.
	 * @param job the job path
	 * @param result the job result
	 */
	void jobRemoved(String job, String result) {
		synchronized (this.finished) {
			this.finished.put(job, result);
		}
		CompletableFuture<String> future = this.waiting.remove(job);
		if (future != null) {
			future.complete(result);
		}
	}

	/**
	 * Return a future of a job's result. The returned future is the caller's own: a
	 * timeout applied to it does not affect other callers.
	 * @param job the job path
	 * @return the result, when the job ends
	 */
	CompletableFuture<String> await(String job) {
		CompletableFuture<String> future = this.waiting.computeIfAbsent(job, (key) -> new CompletableFuture<>());
		String result;
		synchronized (this.finished) {
			result = this.finished.get(job);
		}
		if (result != null) {
			this.waiting.remove(job, future);
			future.complete(result);
		}
		return future.copy();
	}

	/**
	 * Fail every job still waited for, because the bus dropped.
	 * @param cause why
	 */
	void failAll(Throwable cause) {
		this.waiting.values().removeIf((future) -> {
			future.completeExceptionally(cause);
			return true;
		});
		synchronized (this.finished) {
			this.finished.clear();
		}
	}

	/**
	 * Return how many jobs are waited for.
	 * @return the count
	 */
	int pending() {
		return this.waiting.size();
	}

}
