package io.github.supervision.systemd;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * The calls in flight on one bus connection. dbus-java runs a call's callback only when a
 * reply arrives, never when the connection drops, so the backend fails the calls itself;
 * that also gives their {@link CallLimiter} slots back.
 *
 * @author Supervision contributors
 */
final class PendingCalls {

	private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();

	private volatile @Nullable Throwable lost;

	/**
	 * Track a call until it completes. A call tracked after the connection was lost fails
	 * at once.
	 * @param <T> the type of the reply
	 * @param call the call's future
	 * @return the same future
	 */
	<T> CompletableFuture<T> track(CompletableFuture<T> call) {
		this.pending.add(call);
		call.whenComplete((reply, ex) -> this.pending.remove(call));
		// read after adding: failAll writes before iterating, so either sees the other
		Throwable cause = this.lost;
		if (cause != null) {
			call.completeExceptionally(cause);
		}
		return call;
	}

	/**
	 * Fail every call in flight and every call tracked from now on.
	 * @param cause why
	 */
	void failAll(Throwable cause) {
		if (this.lost == null) {
			this.lost = cause;
		}
		for (CompletableFuture<?> call : this.pending) {
			call.completeExceptionally(cause);
		}
	}

	/**
	 * Return whether the connection was lost.
	 * @return {@code true} once {@link #failAll} was called
	 */
	boolean isLost() {
		return this.lost != null;
	}

	/**
	 * Return how many calls are in flight.
	 * @return the count
	 */
	int size() {
		return this.pending.size();
	}

}
