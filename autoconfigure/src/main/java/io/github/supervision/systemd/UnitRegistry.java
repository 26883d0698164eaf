package io.github.supervision.systemd;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import io.github.supervision.ServiceStatus;
import io.github.supervision.ServiceStatusListener;
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
 * Knows the units the backend was asked about: it keeps each unit's properties fresh from
 * systemd's signals, and tells the listeners when a unit changes.
 * <p>
 * A unit first seen is read, and confirmed, with one {@code GetAll}; its properties are
 * then kept fresh by {@code PropertiesChanged} signals, and confirmed by the listings
 * that {@link UnitReads} makes. Signals are handled on dbus-java's signal thread, so they
 * only update memory.
 *
 * @author Supervision contributors
 */
final class UnitRegistry {

	private static final int MAX_LOADS_IN_FLIGHT = 32;

	private final SystemdConnection connection;

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

	/**
	 * Create a registry.
	 * @param connection the bus connection
	 * @param workers where calls start and replies are handled
	 */
	UnitRegistry(SystemdConnection connection, Executor workers) {
		this.connection = connection;
		this.workers = workers;
		this.loads = new CallLimiter(MAX_LOADS_IN_FLIGHT, workers);
		this.notifier = Executors.newSingleThreadExecutor(new DaemonThreadFactory("systemd-listeners-"));
	}

	/**
	 * Return a unit's cache, if the unit is tracked.
	 * @param name the unit name
	 * @return its cache, or {@code null}
	 */
	@Nullable UnitCache known(String name) {
		return this.units.get(name);
	}

	/**
	 * Take in what a listing says of each unit, and tell the listeners what it finds
	 * changed.
	 * @param listing the listing
	 * @param entries what systemd answered, in the listing's order
	 */
	void takeIn(UnitListings.Listing listing, List<UnitListEntry> entries) {
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

	/**
	 * Read a unit's properties with one {@code GetAll}, which confirms the unit too;
	 * joins the read in flight for the unit.
	 * @param session the connection
	 * @param cache the unit's cache
	 * @return the read
	 */
	CompletableFuture<Void> load(Session session, UnitCache cache) {
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

	/**
	 * Return the properties a listing says of a unit.
	 * @param entry the listing's entry
	 * @return its properties
	 */
	static Map<String, Object> entryProperties(UnitListEntry entry) {
		Map<String, Object> properties = new HashMap<>();
		properties.put("Description", entry.getDescription());
		properties.put("LoadState", entry.getLoadState());
		properties.put("ActiveState", entry.getActiveState());
		properties.put("SubState", entry.getSubState());
		return properties;
	}

}
