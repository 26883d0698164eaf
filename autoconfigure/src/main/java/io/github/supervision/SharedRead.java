package io.github.supervision;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

/**
 * Lets concurrent readers of one backend share the read in flight (single-flight): a
 * reader that comes while a read is running waits for its answer instead of asking the
 * backend again. Nothing is kept once a read is answered: how long an answer stays good
 * is the backend's business (its cache period), and the next reader asks the backend.
 * <p>
 * A read is shared only while it is younger than the read deadline (a backend that breaks
 * its deadline does not hold later readers) and only while the backend's epoch is the one
 * it started in: the catalog bumps it whenever an action on the backend completes, so a
 * reader that comes after an action never gets an answer that was asked for before it.
 *
 * @param <T> the answer's type
 * @author Supervision contributors
 */
final class SharedRead<T> {

	private final AtomicReference<@Nullable Flight<T>> inFlight = new AtomicReference<>();

	private final AtomicLong epoch;

	private final long maxAgeNanos;

	private final AtomicLong started = new AtomicLong();

	/**
	 * Create a shared read.
	 * @param epoch the backend's epoch, bumped on every completed action; the reads of
	 * one backend share it
	 * @param maxAgeNanos how long a read in flight may be joined: the read deadline
	 */
	SharedRead(AtomicLong epoch, long maxAgeNanos) {
		this.epoch = epoch;
		this.maxAgeNanos = maxAgeNanos;
	}

	/**
	 * Join the read in flight, or start a new one that the caller must run and complete.
	 * @return the ticket: its future, and whether the caller leads (must run the read)
	 */
	Ticket<T> join() {
		long epoch = this.epoch.get();
		long now = System.nanoTime();
		while (true) {
			Flight<T> flight = this.inFlight.get();
			if (flight != null && !flight.future().isDone() && flight.epoch() == epoch
					&& now - flight.startedAt() < this.maxAgeNanos) {
				return new Ticket<>(flight.future(), false);
			}
			Flight<T> created = new Flight<>(new CompletableFuture<>(), epoch, now);
			if (this.inFlight.compareAndSet(flight, created)) {
				this.started.incrementAndGet();
				created.future().whenComplete((answer, ex) -> this.inFlight.compareAndSet(created, null));
				return new Ticket<>(created.future(), true);
			}
		}
	}

	/**
	 * Return how many reads were started (led), for tests and benchmarks.
	 * @return the number of reads started
	 */
	long started() {
		return this.started.get();
	}

	/**
	 * A reader's part in a read.
	 *
	 * @param <T> the answer's type
	 * @param future the answer
	 * @param leader whether this reader must run the read and complete the future
	 */
	record Ticket<T>(CompletableFuture<T> future, boolean leader) {

	}

	private record Flight<T>(CompletableFuture<T> future, long epoch, long startedAt) {

	}

}
