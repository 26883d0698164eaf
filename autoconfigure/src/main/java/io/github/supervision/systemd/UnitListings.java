package io.github.supervision.systemd;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

import io.github.supervision.systemd.SystemdConnection.Session;
import io.github.supervision.systemd.dbus.UnitListEntry;
import org.jspecify.annotations.Nullable;

/**
 * Sends the {@code ListUnitsByNames} calls that read and confirm units, one at a time for
 * the readers who need the same units, and hands each reply to the registry once.
 *
 * @author Supervision contributors
 * @see UnitRegistry
 */
final class UnitListings {

	private final SystemdConnection connection;

	private final long ttlNanos;

	private final Function<String, UnitCache> track;

	private final LongSupplier signalClock;

	private final BiConsumer<Listing, List<UnitListEntry>> takeIn;

	private final Object lock = new Object();

	private volatile @Nullable Listing listing;

	/**
	 * Create the listings of a registry.
	 * @param connection the bus connection
	 * @param ttlNanos how long a confirmation holds
	 * @param track returns a unit's cache, tracking it
	 * @param signalClock the registry's signal clock
	 * @param takeIn takes a reply in, before the listing completes
	 */
	UnitListings(SystemdConnection connection, long ttlNanos, Function<String, UnitCache> track,
			LongSupplier signalClock, BiConsumer<Listing, List<UnitListEntry>> takeIn) {
		this.connection = connection;
		this.ttlNanos = ttlNanos;
		this.track = track;
		this.signalClock = signalClock;
		this.takeIn = takeIn;
	}

	/**
	 * Confirm expired units with one {@code ListUnitsByNames} in the background, unless a
	 * listing is in flight or the last one answered less than the time to live ago: a
	 * listing of thousands of units costs systemd seconds, and the signals keep the units
	 * current meanwhile.
	 * @param names the expired units
	 */
	void confirmLater(List<String> names) {
		Listing last = this.listing;
		if (last != null && (!last.applied().isDone() || System.nanoTime() - last.answeredNanos() < this.ttlNanos)) {
			return;
		}
		Session current = this.connection.current();
		if (current != null) {
			list(current, names);
		}
	}

	/**
	 * Return a {@code ListUnitsByNames} of the units: the one in flight when it lists
	 * them all, so that readers who come while systemd answers share its reply instead of
	 * queueing calls behind it (D-Bus cannot take a call back, and systemd answers one
	 * call after another), otherwise a new one. Its reply is taken in once, for every
	 * reader, before the listing completes.
	 * @param session the connection
	 * @param names the units
	 * @return the listing
	 */
	Listing list(Session session, List<String> names) {
		synchronized (this.lock) {
			Listing inFlight = this.listing;
			if (inFlight != null && inFlight.session().equals(session) && !inFlight.applied().isDone()
					&& inFlight.covers(names)) {
				return inFlight;
			}
			Map<String, Integer> index = new LinkedHashMap<>();
			Map<String, Long> unitEpochs = new HashMap<>();
			for (String name : names) {
				index.putIfAbsent(name, index.size());
				unitEpochs.put(name, this.track.apply(name).epoch());
			}
			Listing next = new Listing(session, index, unitEpochs, this.connection.epoch(), System.nanoTime(),
					this.signalClock.getAsLong());
			this.listing = next;
			this.connection
				.<List<UnitListEntry>>call(session, session.manager(), "ListUnitsByNames",
						new ArrayList<>(index.keySet()))
				.whenComplete((entries, ex) -> {
					if (ex == null) {
						this.takeIn.accept(next, entries);
					}
					next.answered(entries, ex);
				});
			return next;
		}
	}

	/**
	 * One {@code ListUnitsByNames} call: the units it lists, in order, what the backend
	 * and each unit were when it was sent, and when its reply was taken in.
	 */
	static final class Listing {

		private final Session session;

		private final Map<String, Integer> index;

		private final Map<String, Long> unitEpochs;

		private final long epoch;

		private final long sentNanos;

		private final long sentAt;

		private final CompletableFuture<List<UnitListEntry>> applied = new CompletableFuture<>();

		private volatile long answeredNanos;

		Listing(Session session, Map<String, Integer> index, Map<String, Long> unitEpochs, long epoch, long sentNanos,
				long sentAt) {
			this.session = session;
			this.index = index;
			this.unitEpochs = unitEpochs;
			this.epoch = epoch;
			this.sentNanos = sentNanos;
			this.sentAt = sentAt;
		}

		Session session() {
			return this.session;
		}

		Map<String, Integer> index() {
			return this.index;
		}

		long epoch() {
			return this.epoch;
		}

		long sentNanos() {
			return this.sentNanos;
		}

		long sentAt() {
			return this.sentAt;
		}

		long unitEpoch(String name) {
			return this.unitEpochs.getOrDefault(name, -1L);
		}

		boolean covers(List<String> names) {
			return this.index.keySet().containsAll(names);
		}

		// completes once the reply was taken in by the registry
		CompletableFuture<List<UnitListEntry>> applied() {
			return this.applied;
		}

		long answeredNanos() {
			return this.answeredNanos;
		}

		void answered(@Nullable List<UnitListEntry> entries, @Nullable Throwable failure) {
			this.answeredNanos = System.nanoTime();
			if (failure != null) {
				this.applied.completeExceptionally(failure);
			}
			else {
				this.applied.complete(entries);
			}
		}

	}

}
