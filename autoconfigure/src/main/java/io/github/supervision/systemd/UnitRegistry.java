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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import io.github.supervision.ServiceStatus;
import io.github.supervision.ServiceStatusListener;
import io.github.supervision.SupervisionException;
import io.github.supervision.support.DaemonThreadFactory;
import io.github.supervision.support.Listeners;
import io.github.supervision.systemd.SystemdConnection.Session;
import io.github.supervision.systemd.dbus.Manager;
import io.github.supervision.systemd.dbus.UnitListEntry;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.Variant;
import org.jspecify.annotations.Nullable;

/**
 * Knows the units the backend was asked about: it reads their status, keeps each unit's
 * properties fresh from systemd's signals, and tells the listeners when a unit changes.
 * <p>
 * A unit first seen is read, and confirmed, with one {@code GetAll}; its properties are
 * then kept fresh by {@code PropertiesChanged} signals. A status read of known units
 * costs at most one {@code ListUnitsByNames} call, shared by the readers who come while
 * it is in flight, and none while the units are confirmed (see {@code status-cache-ttl}).
 * A read waits for those {@code GetAll} calls until its deadline only: a unit not read in
 * time answers UNKNOWN, the others answer, and the calls go on for the next read. Signals
 * are handled on dbus-java's signal thread, so they only update memory.
 *
 * @author Supervision contributors
 */
final class UnitRegistry {

	private static final int MAX_LOADS_IN_FLIGHT = 32;

	private final SystemdConnection connection;

	private final List<String> discoverPatterns;

	private final long statusCacheTtlNanos;

	private final Executor workers;

	private final Map<String, UnitCache> units = new ConcurrentHashMap<>();

	private final Map<String, String> unitsByPath = new ConcurrentHashMap<>();

	/**
	 * Counts the {@code PropertiesChanged} signals handled, to tell a reply from a signal
	 * that is newer than it.
	 */
	private final AtomicLong signalClock = new AtomicLong();

	private final CallLimiter loads;

	private final Listeners<ServiceStatusListener> listeners = new Listeners<>();

	private final ExecutorService notifier;

	private volatile boolean reloading;

	private final UnitListings listings;

	/**
	 * Create a registry.
	 * @param options the settings
	 * @param connection the bus connection
	 * @param workers where calls start and replies are handled
	 */
	UnitRegistry(SystemdOptions options, SystemdConnection connection, Executor workers) {
		this.connection = connection;
		this.discoverPatterns = options.discover();
		// Duration.toNanos() overflows beyond 292 years; such a ttl means "for ever"
		this.statusCacheTtlNanos = (options.statusCacheTtl().toSeconds() < Long.MAX_VALUE / 1_000_000_000L - 1)
				? options.statusCacheTtl().toNanos() : Long.MAX_VALUE;
		this.workers = workers;
		this.loads = new CallLimiter(MAX_LOADS_IN_FLIGHT, workers);
		this.notifier = Executors.newSingleThreadExecutor(new DaemonThreadFactory("systemd-listeners-"));
		this.listings = new UnitListings(connection, this.statusCacheTtlNanos, this::track, this.signalClock::get,
				this::takeIn);
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
			if (this.units.containsKey(target) || UnitNames.isValid(target)) {
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
				UnitCache cache = this.units.get(name);
				if (cache == null) {
					cache = track(name);
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
				UnitCache cache = this.units.get(name);
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
			UnitCache cache = this.units.get(name);
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

	// What a listing says of each unit, and what it finds changed, is told to the
	// listeners
	private void takeIn(UnitListings.Listing listing, List<UnitListEntry> entries) {
		listing.index().forEach((name, position) -> {
			UnitCache cache = this.units.get(name);
			if (cache != null && position < entries.size()) {
				boolean changed = listed(listing.session(), cache, entries.get(position), listing.sentAt());
				cache.confirm(listing.sentNanos(), listing.epoch(), listing.unitEpoch(name));
				if (changed && !this.listeners.isEmpty()) {
					this.notifier.execute(() -> notifyChanged(cache));
				}
			}
		});
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
		List<UnitCache> caches = names.stream().map(this::track).toList();
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
				loads.add(load(current, cache).exceptionally((ex) -> null));
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

	// whether the listing changed what the cache knew
	private boolean listed(Session session, UnitCache cache, UnitListEntry entry, long sentAt) {
		Object loadState = cache.properties().get("LoadState");
		boolean changed = cache.mergeListed(entryProperties(entry), sentAt);
		if (cache.isComplete() && loadState != null && !loadState.equals(entry.getLoadState())) {
			// loaded from another unit file, or unit file gone: what GetAll read is stale
			cache.invalidate();
			load(session, cache);
		}
		return changed;
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
			UnitCache known = this.units.get(entry.getName());
			Map<String, Object> properties = new HashMap<>((known != null) ? known.properties() : Map.of());
			properties.putAll(entryProperties(entry));
			discovered.add(UnitStatusMapper.toStatus(entry.getName(), properties));
		}
		return discovered;
	}

	/**
	 * Return a unit's cache, tracking the unit from now on.
	 * @param name the unit name
	 * @return its cache
	 */
	UnitCache track(String name) {
		return this.units.computeIfAbsent(name, (key) -> {
			this.unitsByPath.put(UnitNames.objectPath(key), key);
			return new UnitCache(key);
		});
	}

	/**
	 * Return the signal clock, to be read before a call is sent, so that its reply cannot
	 * overwrite a newer signal.
	 * @return the count of signals handled so far
	 */
	long clock() {
		return this.signalClock.get();
	}

	/**
	 * Take in what {@code ListUnitsByNames} said of a unit before an action.
	 * @param cache the unit's cache
	 * @param entry what systemd listed
	 * @param sentAt the {@link #clock()} when the call was sent
	 */
	void seen(UnitCache cache, UnitListEntry entry, long sentAt) {
		cache.mergeListed(entryProperties(entry), sentAt);
		cache.baseline();
	}

	/**
	 * Read a unit's properties again, after an action.
	 * @param session the connection
	 * @param cache the unit's cache
	 * @param deadline the deadline
	 * @return the status read, or the one known when the read failed
	 */
	CompletableFuture<@Nullable ServiceStatus> readBack(Session session, UnitCache cache, long deadline) {
		long sentAt = this.signalClock.get();
		return Futures.bounded(getAll(session, cache.name()), deadline).handle((properties, ex) -> {
			if (ex == null) {
				cache.replace(properties, sentAt);
			}
			return cache.status();
		});
	}

	/**
	 * Add a listener.
	 * @param listener the listener
	 * @return what removes it when run
	 */
	Runnable watch(ServiceStatusListener listener) {
		boolean first = this.listeners.isEmpty();
		Runnable removal = this.listeners.add(listener);
		if (first) {
			// Nobody followed the changes while no one listened: compare the next ones
			// with now, not with what the last listener was told
			this.units.values().forEach(UnitCache::rebaseline);
		}
		return removal;
	}

	/**
	 * Add the handlers of the signals that keep the units fresh.
	 * @param connection a new connection, not subscribed yet
	 * @throws DBusException when a handler cannot be added
	 */
	void subscribe(DBusConnection connection) throws DBusException {
		connection.addSigHandler(Properties.PropertiesChanged.class, this::propertiesChanged);
		connection.addSigHandler(Manager.UnitRemoved.class, this::unitRemoved);
		connection.addSigHandler(Manager.UnitNew.class, this::unitNew);
		connection.addSigHandler(Manager.Reloading.class, this::reloading);
		connection.addSigHandler(Manager.UnitFilesChanged.class, (signal) -> unitFilesChanged());
	}

	/**
	 * Load the units whose properties are not known, on a new connection.
	 * @param session the connection
	 */
	void connected(Session session) {
		refreshAll(session);
	}

	/**
	 * Forget what the signals said, because the connection dropped and signals were
	 * missed.
	 */
	void lost() {
		this.reloading = false;
		this.units.values().forEach(UnitCache::invalidate);
	}

	/**
	 * Stop telling the listeners.
	 */
	void close() {
		this.notifier.shutdownNow();
	}

	int pendingLoads() {
		return this.loads.pending();
	}

	int pendingWaiters() {
		return this.units.values().stream().mapToInt(UnitCache::waiterCount).sum();
	}

	private void refreshAll(Session session) {
		for (UnitCache cache : this.units.values()) {
			if (!cache.isComplete()) {
				load(session, cache).thenRun(() -> notifyChanged(cache));
			}
		}
	}

	private void propertiesChanged(Properties.PropertiesChanged signal) {
		String unit = this.unitsByPath.get(signal.getPath());
		if (unit == null) {
			return;
		}
		UnitCache cache = this.units.get(unit);
		if (cache == null) {
			return;
		}
		cache.signalled(kept(signal.getPropertiesChanged()), this.signalClock.incrementAndGet());
		if (!this.listeners.isEmpty()) {
			this.notifier.execute(() -> notifyChanged(cache));
		}
	}

	private void unitRemoved(Manager.UnitRemoved signal) {
		UnitCache cache = this.units.get(signal.getUnit());
		if (cache != null) {
			cache.unconfirm();
			if (this.reloading) {
				// daemon-reload unloads and loads every unit, keeping its runtime state
				return;
			}
			// A unit loaded again starts with fresh runtime properties
			cache.merge(Map.of("MainPID", 0L, "NRestarts", 0L, "ExecMainCode", 0L, "ExecMainStatus", 0L));
		}
	}

	private void reloading(Manager.Reloading signal) {
		this.reloading = signal.isActive();
		this.connection.advanceEpoch();
	}

	private void unitNew(Manager.UnitNew signal) {
		UnitCache cache = this.units.get(signal.getUnit());
		if (cache != null) {
			// loaded again, perhaps from a changed unit file: ask systemd next time
			// (unless it was never started, see UnitCache#isPristine)
			cache.unconfirm();
		}
	}

	private void unitFilesChanged() {
		Session current = this.connection.current();
		if (current != null) {
			this.units.values().forEach(UnitCache::invalidate);
			this.workers.execute(() -> refreshAll(current));
		}
	}

	private void notifyChanged(UnitCache cache) {
		ServiceStatus status = cache.changedStatus();
		if (status != null) {
			this.listeners.forEach((listener) -> listener.statusChanged(status));
		}
	}

	private CompletableFuture<Void> load(Session session, UnitCache cache) {
		synchronized (cache) {
			CompletableFuture<Void> loading = cache.loading();
			if (loading != null && !loading.isDone()) {
				return loading;
			}
			CompletableFuture<Void> next = this.loads.submit(() -> {
				long sentAt = this.signalClock.get();
				long epoch = this.connection.epoch();
				long unitEpoch = cache.epoch();
				long sentNanos = System.nanoTime();
				// a whole GetAll confirms the unit as well as a listing does
				return getAll(session, cache.name()).thenAccept((all) -> {
					// confirmed first: a reader who sees it complete must see it
					// confirmed
					cache.confirm(sentNanos, epoch, unitEpoch);
					cache.replace(all, sentAt);
				});
			});
			cache.loading(next);
			return next;
		}
	}

	private CompletableFuture<Map<String, Object>> getAll(Session session, String unit) {
		return this.connection.getAll(session, unit).thenApply(UnitRegistry::kept);
	}

	private static Map<String, Object> kept(Map<String, Variant<?>> variants) {
		Map<String, Object> properties = new HashMap<>();
		variants.forEach((name, value) -> {
			if (UnitStatusMapper.KEPT.contains(name) && value != null && value.getValue() != null) {
				properties.put(name, value.getValue());
			}
		});
		return properties;
	}

	private static Map<String, Object> entryProperties(UnitListEntry entry) {
		Map<String, Object> properties = new HashMap<>();
		properties.put("Description", entry.getDescription());
		properties.put("LoadState", entry.getLoadState());
		properties.put("ActiveState", entry.getActiveState());
		properties.put("SubState", entry.getSubState());
		return properties;
	}

	/**
	 * The units a read must read before answering, and those it may answer from the
	 * signals while they are confirmed in the background.
	 */
	private record ReadPlan(List<String> stale, List<String> expired) {

	}

}
