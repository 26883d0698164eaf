package io.github.supervision.systemd;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import io.github.supervision.ServiceStatus;
import org.jspecify.annotations.Nullable;

/**
 * What the backend knows about one unit: its properties from one {@code GetAll}, kept
 * fresh by {@code PropertiesChanged} signals and by each {@code ListUnitsByNames} reply.
 *
 * @author Supervision contributors
 */
final class UnitCache {

	/**
	 * The properties that are zero in a unit that systemd has just loaded and never
	 * started.
	 */
	private static final List<String> RUNTIME = List.of("MainPID", "NRestarts", "ExecMainCode", "ExecMainStatus",
			"ActiveEnterTimestamp", "StateChangeTimestamp", "ConditionTimestamp");

	private final String name;

	private volatile Map<String, Object> properties = Map.of();

	private volatile boolean complete;

	private volatile @Nullable CompletableFuture<Void> loading;

	private volatile @Nullable ServiceStatus lastNotified;

	private volatile @Nullable Snapshot snapshot;

	private volatile @Nullable Confirmation confirmation;

	private volatile long epoch;

	private final Map<String, Long> signalled = new HashMap<>();

	private final List<Waiter> waiters = new CopyOnWriteArrayList<>();

	UnitCache(String name) {
		this.name = name;
	}

	String name() {
		return this.name;
	}

	Map<String, Object> properties() {
		return this.properties;
	}

	boolean isComplete() {
		return this.complete;
	}

	@Nullable CompletableFuture<Void> loading() {
		return this.loading;
	}

	void loading(@Nullable CompletableFuture<Void> loading) {
		this.loading = loading;
	}

	/**
	 * Replace the properties with a whole {@code GetAll} reply, except those that a
	 * signal handled after the call was sent reported: the signals of one unit arrive in
	 * order and each change has one, so that signal, or those queued behind it, carry a
	 * value at least as new as the reply's, whereas a reply applied last could keep an
	 * older value until the next change. One more exception: systemd unloads an inactive
	 * unit soon after its job ended, and a unit loaded again reports no condition check;
	 * that must not hide a failed check that the signals reported.
	 * @param all the properties
	 * @param sentAt the signal clock when the call was sent
	 */
	void replace(Map<String, Object> all, long sentAt) {
		synchronized (this) {
			Map<String, Object> next = new HashMap<>(all);
			keepSignalled(next, sentAt);
			if (UnitStatusMapper.number(all, "ConditionTimestamp") == 0
					&& UnitStatusMapper.number(this.properties, "ConditionTimestamp") > 0) {
				next.put("ConditionTimestamp", this.properties.get("ConditionTimestamp"));
				next.put("ConditionResult", this.properties.get("ConditionResult"));
			}
			this.properties = Map.copyOf(next);
			this.complete = true;
		}
		checkWaiters();
	}

	/**
	 * Merge the properties of a {@code ListUnitsByNames} entry, except those that a
	 * signal handled after the call was sent reported (see {@link #replace(Map, long)}).
	 * @param listed the entry's properties
	 * @param sentAt the signal clock when the call was sent
	 * @return whether a property changed
	 */
	boolean mergeListed(Map<String, Object> listed, long sentAt) {
		Map<String, Object> next = new HashMap<>(listed);
		boolean updated;
		synchronized (this) {
			next.keySet().removeIf((key) -> this.signalled.getOrDefault(key, Long.MIN_VALUE) > sentAt);
			updated = mergeLocked(next);
		}
		if (updated) {
			checkWaiters();
		}
		return updated;
	}

	/**
	 * Merge the properties of a {@code PropertiesChanged} signal.
	 * @param changed the properties that changed
	 * @param clock the signal clock's value for this signal
	 */
	void signalled(Map<String, Object> changed, long clock) {
		boolean updated;
		synchronized (this) {
			changed.keySet().forEach((key) -> this.signalled.put(key, clock));
			updated = mergeLocked(changed);
		}
		if (updated) {
			checkWaiters();
		}
	}

	private void keepSignalled(Map<String, Object> next, long sentAt) {
		this.signalled.forEach((key, clock) -> {
			Object current = this.properties.get(key);
			if (clock > sentAt && current != null) {
				next.put(key, current);
			}
		});
	}

	/**
	 * Merge changed properties.
	 * @param changed the properties that changed
	 */
	void merge(Map<String, Object> changed) {
		boolean updated;
		synchronized (this) {
			updated = mergeLocked(changed);
		}
		if (updated) {
			checkWaiters();
		}
	}

	private boolean mergeLocked(Map<String, Object> changed) {
		Map<String, Object> current = this.properties;
		boolean same = true;
		for (Map.Entry<String, Object> entry : changed.entrySet()) {
			if (!Objects.equals(current.get(entry.getKey()), entry.getValue())) {
				same = false;
				break;
			}
		}
		if (same) {
			return false;
		}
		Map<String, Object> merged = new HashMap<>(current);
		merged.putAll(changed);
		this.properties = Map.copyOf(merged);
		return true;
	}

	/**
	 * Mark the properties as needing a new {@code GetAll}.
	 */
	void invalidate() {
		this.complete = false;
	}

	/**
	 * Return whether the unit shows nothing but what systemd reports of a unit it has
	 * just loaded and never started: loaded, {@code inactive/dead}, no main pid, no
	 * restart, no exit, no timestamp, no condition check. systemd loads such a unit for
	 * each {@code ListUnitsByNames} (or {@code systemctl show}) and unloads it again soon
	 * after, and since the unit is read the same whether loaded or not, those
	 * {@code UnitNew}/{@code UnitRemoved} signals change nothing about it. Were it
	 * started meanwhile, its {@code PropertiesChanged} signals would say so.
	 * @return whether the unit is known and never started
	 */
	boolean isPristine() {
		Map<String, Object> current = this.properties;
		if (!this.complete || !"loaded".equals(current.get("LoadState"))
				|| !"inactive".equals(current.get("ActiveState")) || !"dead".equals(current.get("SubState"))) {
			return false;
		}
		for (String runtime : RUNTIME) {
			if (UnitStatusMapper.number(current, runtime) != 0) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Return the unit's epoch, which changes each time a signal says that the unit was
	 * loaded or unloaded.
	 * @return the epoch
	 */
	long epoch() {
		return this.epoch;
	}

	/**
	 * Forget that a {@code ListUnitsByNames} confirmed the properties, so that the next
	 * status read asks systemd again.
	 */
	synchronized void unconfirm() {
		this.epoch++;
	}

	/**
	 * Remember that a {@code ListUnitsByNames} confirmed the properties.
	 * @param sentNanos when the call was sent ({@link System#nanoTime()})
	 * @param backendEpoch the backend's epoch when the call was sent
	 * @param unitEpoch the unit's epoch when the call was sent
	 */
	void confirm(long sentNanos, long backendEpoch, long unitEpoch) {
		this.confirmation = new Confirmation(sentNanos, backendEpoch, unitEpoch);
	}

	/**
	 * Return whether the properties may be served without asking systemd: they are
	 * complete, a {@code ListUnitsByNames} sent less than the time to live ago confirmed
	 * them, and neither the backend (bus lost, reconnected, daemon-reload) nor the unit
	 * (loaded or unloaded, unless it is {@linkplain #isPristine() pristine}) changed
	 * epoch since that call was sent.
	 * @param now the current {@link System#nanoTime()}
	 * @param ttlNanos how long a confirmation holds
	 * @param backendEpoch the backend's current epoch
	 * @return whether the cached status is fresh
	 */
	boolean isFresh(long now, long ttlNanos, long backendEpoch) {
		return freshness(now, ttlNanos, backendEpoch) == Freshness.FRESH;
	}

	/**
	 * Return whether the properties are fresh (see {@link #isFresh}), only expired
	 * (confirmed in the current epochs, so that nothing makes them suspect and the
	 * signals have kept them current, but longer than the time to live ago), or stale.
	 * @param now the current {@link System#nanoTime()}
	 * @param ttlNanos how long a confirmation holds
	 * @param backendEpoch the backend's current epoch
	 * @return the freshness
	 */
	Freshness freshness(long now, long ttlNanos, long backendEpoch) {
		Confirmation confirmed = this.confirmation;
		if (confirmed == null || !this.complete || confirmed.backendEpoch != backendEpoch
				|| (confirmed.unitEpoch != this.epoch && !isPristine())) {
			return Freshness.STALE;
		}
		return (now - confirmed.sentNanos < ttlNanos) ? Freshness.FRESH : Freshness.EXPIRED;
	}

	ServiceStatus status() {
		Map<String, Object> current = this.properties;
		Snapshot snapshot = this.snapshot;
		if (snapshot != null && snapshot.properties == current) {
			return snapshot.status;
		}
		ServiceStatus status = UnitStatusMapper.toStatus(this.name, current);
		this.snapshot = new Snapshot(current, status);
		return status;
	}

	/**
	 * Return the status if it differs from the one last notified, remembering it.
	 * @return the new status, or {@code null} when nothing a listener cares about changed
	 */
	synchronized @Nullable ServiceStatus changedStatus() {
		ServiceStatus status = status();
		ServiceStatus last = this.lastNotified;
		this.lastNotified = status;
		if (last != null && last.state() == status.state() && last.rawState().equals(status.rawState())
				&& Objects.equals(last.pid(), status.pid())) {
			return null;
		}
		return (last != null) ? status : null;
	}

	/**
	 * Remember the current status as notified, so that the next change is compared with
	 * it.
	 */
	void baseline() {
		if (this.lastNotified == null) {
			synchronized (this) {
				if (this.lastNotified == null) {
					this.lastNotified = status();
				}
			}
		}
	}

	/**
	 * Remember the current status as notified whatever was notified before, when the
	 * first listener comes after changes that no one was told of.
	 */
	synchronized void rebaseline() {
		this.lastNotified = status();
	}

	/**
	 * Return a future that completes once the properties satisfy a condition.
	 * @param condition the condition
	 * @return the future; the caller bounds it and cancels it when done
	 */
	CompletableFuture<Void> await(Predicate<Map<String, Object>> condition) {
		Waiter waiter = new Waiter(condition, new CompletableFuture<>());
		this.waiters.add(waiter);
		waiter.future.whenComplete((result, ex) -> this.waiters.remove(waiter));
		if (condition.test(this.properties)) {
			waiter.future.complete(null);
		}
		return waiter.future;
	}

	int waiterCount() {
		return this.waiters.size();
	}

	private void checkWaiters() {
		Map<String, Object> current = this.properties;
		for (Waiter waiter : this.waiters) {
			if (waiter.condition.test(current)) {
				waiter.future.complete(null);
			}
		}
	}

	/**
	 * The status last built, with the properties it was built from: properties are
	 * replaced, never changed in place, so an unchanged map gives the same status.
	 */
	private record Snapshot(Map<String, Object> properties, ServiceStatus status) {

	}

	/**
	 * When and in which epochs a {@code ListUnitsByNames} confirmed the properties.
	 */
	private record Confirmation(long sentNanos, long backendEpoch, long unitEpoch) {

	}

	private record Waiter(Predicate<Map<String, Object>> condition, CompletableFuture<Void> future) {

	}

	/**
	 * How a cached unit may be answered.
	 */
	enum Freshness {

		/**
		 * Confirmed within the time to live: answered from the cache.
		 */
		FRESH,

		/**
		 * Confirmed in the current epochs, longer ago: answered from the cache while a
		 * listing confirms it again.
		 */
		EXPIRED,

		/**
		 * To be read before it is answered.
		 */
		STALE

	}

}
