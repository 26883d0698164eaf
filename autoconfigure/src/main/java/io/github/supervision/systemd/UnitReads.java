package io.github.supervision.systemd;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.github.supervision.ServiceStatus;
import io.github.supervision.SupervisionException;
import io.github.supervision.systemd.SystemdConnection.Session;
import io.github.supervision.systemd.dbus.UnitListEntry;
import org.jspecify.annotations.Nullable;

/**
 * Answers the systemd backend's status reads of units: from the properties the
 * {@link UnitRegistry} keeps fresh from the signals when every unit was confirmed
 * recently enough, otherwise with one {@code ListUnitsByNames} for the units that are
 * not, shared by the readers who come while it is in flight ({@link UnitListings}), and
 * the {@code GetAll} of each unit first seen.
 * <p>
 * A read waits for those calls until its deadline only: a unit not read in time answers
 * UNKNOWN, the others answer, and the calls go on for the next read.
 *
 * @author Supervision contributors
 */
final class UnitReads {

	private final SystemdConnection connection;

	private final UnitRegistry registry;

	private final List<String> discoverPatterns;

	private final long statusCacheTtlNanos;

	private final UnitListings listings;

	/**
	 * Create the reads of a backend.
	 * @param options the settings
	 * @param connection the bus connection
	 * @param registry the units known
	 */
	UnitReads(SystemdOptions options, SystemdConnection connection, UnitRegistry registry) {
		this.connection = connection;
		this.registry = registry;
		this.discoverPatterns = options.discover();
		// Duration.toNanos() overflows beyond 292 years; such a ttl means "for ever"
		this.statusCacheTtlNanos = (options.statusCacheTtl().toSeconds() < Long.MAX_VALUE / 1_000_000_000L - 1)
				? options.statusCacheTtl().toNanos() : Long.MAX_VALUE;
		this.listings = new UnitListings(connection, this.statusCacheTtlNanos, registry::track, registry::clock,
				registry::takeIn);
	}

	/**
	 * Return the status of units, from the signals when every unit was confirmed recently
	 * enough, otherwise with one {@code ListUnitsByNames} for the units that are not.
	 * @param targets the unit names
	 * @param timeout the most this call may wait
	 * @return the status of each unit, by name
	 * @see SystemdBackend#status(Collection, Duration)
	 */
	Map<String, ServiceStatus> status(Collection<String> targets, Duration timeout) {
		long deadline = Futures.deadline(timeout);
		Set<String> requested = new LinkedHashSet<>(targets);
		List<String> names = new ArrayList<>();
		Map<String, ServiceStatus> found = new HashMap<>();
		for (String target : requested) {
			if (this.registry.known(target) != null || UnitNames.isValid(target)) {
				names.add(target);
			}
			else {
				found.put(target,
						ServiceStatus.unknown(target, SystemdBackend.ID, target, "Invalid systemd unit name"));
			}
		}
		ReadPlan plan = plan(names, this.connection.epoch());
		if (plan.stale().isEmpty()) {
			for (String name : names) {
				UnitCache cache = this.registry.known(name);
				if (cache == null) {
					cache = this.registry.track(name);
				}
				cache.baseline();
				found.put(name, cache.status());
			}
			if (!plan.expired().isEmpty()) {
				this.listings.confirmLater(plan.expired());
			}
		}
		else {
			// one call for every unit not fresh: the expired ones cost little more
			List<String> reread = new ArrayList<>(plan.stale());
			reread.addAll(plan.expired());
			Set<String> rereadSet = new HashSet<>(reread);
			for (String name : names) {
				UnitCache cache = this.registry.known(name);
				if (cache != null && !rereadSet.contains(name)) {
					cache.baseline();
					found.put(name, cache.status());
				}
			}
			read(reread, deadline, found);
		}
		Map<String, ServiceStatus> result = new LinkedHashMap<>();
		requested.forEach((target) -> result.put(target, found.get(target)));
		return result;
	}

	// Sort units by what a read must do: a unit confirmed within the time to live is
	// fresh; one confirmed in the
	// current epochs but longer ago has expired, and is served from the signals
	// while one call confirms it
	// in the background; any other is stale and must be read before it is
	// answered.
	private ReadPlan plan(List<String> names, long epoch) {
		long ttl = this.statusCacheTtlNanos;
		if (ttl == 0 || !this.connection.isConnected()) {
			return new ReadPlan(names, List.of());
		}
		long now = System.nanoTime();
		List<String> stale = new ArrayList<>();
		List<String> expired = new ArrayList<>();
		for (String name : names) {
			UnitCache cache = this.registry.known(name);
			UnitCache.Freshness freshness = (cache != null) ? cache.freshness(now, ttl, epoch)
					: UnitCache.Freshness.STALE;
			if (freshness == UnitCache.Freshness.STALE) {
				stale.add(name);
			}
			else if (freshness == UnitCache.Freshness.EXPIRED) {
				expired.add(name);
			}
		}
		return new ReadPlan((stale.size() == names.size()) ? names : stale, expired);
	}

	private void read(List<String> names, long deadline, Map<String, ServiceStatus> result) {
		Session current;
		try {
			current = Futures.await(this.connection.session(), deadline, "Connecting to systemd");
		}
		catch (SupervisionException ex) {
			names.forEach(
					(name) -> result.put(name, ServiceStatus.unknown(name, SystemdBackend.ID, name, ex.getMessage())));
			return;
		}
		List<UnitCache> caches = names.stream().map(this.registry::track).toList();
		// a unit first seen is read, and confirmed, by its GetAll; the others by one
		// listing
		List<@Nullable CompletableFuture<Void>> loads = new ArrayList<>();
		List<String> known = new ArrayList<>();
		long now = System.nanoTime();
		long epoch = this.connection.epoch();
		for (int i = 0; i < names.size(); i++) {
			UnitCache cache = caches.get(i);
			if (cache.isComplete()) {
				// a GetAll may have confirmed it since this read looked
				if (!cache.isFresh(now, this.statusCacheTtlNanos, epoch)) {
					known.add(names.get(i));
				}
				loads.add(null);
			}
			else {
				loads.add(this.registry.load(current, cache).exceptionally((ex) -> null));
			}
		}
		Set<String> unlisted = new HashSet<>();
		String failure = known.isEmpty() ? null : awaitListing(current, known, deadline);
		if (failure != null) {
			unlisted.addAll(known);
		}
		String unread = awaitLoads(loads, deadline);
		// a unit whose properties cannot be read is still reported from ListUnitsByNames
		List<String> failed = new ArrayList<>();
		for (int i = 0; i < names.size(); i++) {
			@Nullable CompletableFuture<Void> loading = loads.get(i);
			if (loading != null && loading.isDone() && !caches.get(i).isComplete()) {
				failed.add(names.get(i));
			}
		}
		String failedListing = failed.isEmpty() ? null : awaitListing(current, failed, deadline);
		if (failedListing != null) {
			unlisted.addAll(failed);
			failure = failedListing;
		}
		for (int i = 0; i < names.size(); i++) {
			String name = names.get(i);
			UnitCache cache = caches.get(i);
			@Nullable CompletableFuture<Void> loading = loads.get(i);
			if (unread != null && loading != null && !loading.isDone()) {
				// the others answer: a partial answer beats none
				result.put(name, ServiceStatus.unknown(name, SystemdBackend.ID, name, unread));
			}
			else if (failure != null && unlisted.contains(name)) {
				result.put(name, ServiceStatus.unknown(name, SystemdBackend.ID, name, failure));
			}
			else {
				cache.baseline();
				result.put(name, cache.status());
			}
		}
	}

	private @Nullable String awaitListing(Session session, List<String> names, long deadline) {
		UnitListings.Listing listing = this.listings.list(session, names);
		try {
			Futures.await(listing.applied(), deadline, "Reading the units from systemd");
			return null;
		}
		catch (SupervisionException | CallFailedException ex) {
			return Futures.describe(ex);
		}
	}

	/**
	 * Wait for the properties of the units first seen, until the deadline.
	 * @param loads each unit's load, {@code null} when its properties were known
	 * @param deadline the deadline
	 * @return why some were not read, or {@code null} when all were
	 */
	private static @Nullable String awaitLoads(List<@Nullable CompletableFuture<Void>> loads, long deadline) {
		CompletableFuture<?>[] pending = loads.stream()
			.filter((load) -> load != null && !load.isDone())
			.toArray(CompletableFuture[]::new);
		if (pending.length == 0) {
			return null;
		}
		try {
			Futures.await(CompletableFuture.allOf(pending), deadline, "Reading the unit's properties from systemd");
			return null;
		}
		catch (SupervisionException ex) {
			return Futures.describe(ex);
		}
	}

	/**
	 * Return the units that match the discovery patterns.
	 * @param timeout the most this call may wait
	 * @return their status
	 */
	List<ServiceStatus> discover(Duration timeout) {
		if (this.discoverPatterns.isEmpty()) {
			return List.of();
		}
		long deadline = Futures.deadline(timeout);
		Session current = Futures.await(this.connection.session(), deadline, "Connecting to systemd");
		List<UnitListEntry> entries;
		try {
			entries = Futures.await(this.connection.call(current, current.manager(), "ListUnitsByPatterns", List.of(),
					this.discoverPatterns), deadline, "Discovering units");
		}
		catch (CallFailedException ex) {
			throw new SystemdOperationException("systemd refused to list units: " + ex.getMessage(), ex.dbus());
		}
		List<ServiceStatus> discovered = new ArrayList<>();
		for (UnitListEntry entry : entries) {
			UnitCache known = this.registry.known(entry.getName());
			Map<String, Object> properties = new HashMap<>((known != null) ? known.properties() : Map.of());
			properties.putAll(UnitRegistry.entryProperties(entry));
			discovered.add(UnitStatusMapper.toStatus(entry.getName(), properties));
		}
		return discovered;
	}

	/**
	 * The units a read must read before answering, and those it may answer from the
	 * signals while they are confirmed in the background.
	 */
	private record ReadPlan(List<String> stale, List<String> expired) {

	}

}
