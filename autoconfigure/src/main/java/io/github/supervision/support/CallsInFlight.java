package io.github.supervision.support;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Keeps one call at a time in flight for each key: a caller asking for the call already
 * in flight joins it and shares its result, and one asking for another call is refused
 * with the exception the caller makes. The catalog keeps one action in flight per service
 * with it, and the runit backend one per service directory.
 *
 * @param <K> the key, such as a service
 * @param <C> the call, such as an action; calls are the same when they are equal
 * @param <R> the result of a call
 * @author Supervision contributors
 */
public final class CallsInFlight<K, C, R> {

	private final ConcurrentMap<K, InFlight<C, R>> running = new ConcurrentHashMap<>();

	/**
	 * Start a call unless one is in flight for the key. The entry is removed before the
	 * result is given, so that a caller that joins always gets the result of a call that
	 * was still in flight when it asked.
	 * @param key the key
	 * @param call the call
	 * @param start starts the call and returns its result; what it throws is thrown
	 * @param refusal the exception for a caller whose call differs from the one in flight
	 * (given that one)
	 * @return the result of this call or of the same call in flight, failed with the
	 * refusal when another call is in flight
	 */
	public CompletableFuture<R> call(K key, C call, Supplier<CompletableFuture<R>> start,
			Function<? super C, ? extends RuntimeException> refusal) {
		Objects.requireNonNull(call, "'call' must not be null");
		InFlight<C, R> own = new InFlight<>(call, new CompletableFuture<>());
		InFlight<C, R> other = this.running.putIfAbsent(key, own);
		if (other != null) {
			return other.call().equals(call) ? other.result().copy()
					: CompletableFuture.failedFuture(refusal.apply(other.call()));
		}
		CompletableFuture<R> started;
		try {
			started = start.get();
		}
		catch (RuntimeException | Error ex) {
			this.running.remove(key, own);
			own.result().completeExceptionally(ex);
			throw ex;
		}
		started.whenComplete((result, ex) -> {
			this.running.remove(key, own);
			if (ex != null) {
				own.result().completeExceptionally(ex);
			}
			else {
				own.result().complete(result);
			}
		});
		return own.result().copy();
	}

	private record InFlight<C, R>(C call, CompletableFuture<R> result) {

	}

}
