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

	private final String name;

	private volatile Map<String, Object> properties = Map.of();

	private volatile boolean complete;

	private volatile @Nullable CompletableFuture<Void> loading;

	private volatile @Nullable ServiceStatus lastNotified;

	private volatile @Nullable Snapshot snapshot;

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
	 * Replace the properties with a whole {@code GetAll} reply, which is newer than the
	 * signals handled before it. One exception: systemd unloads an inactive unit soon
	 * after its job ended, and a unit loaded again reports no condition check; that must
	 * not hide a failed check that the signals reported.
	 * @param all the properties
	 */
	void replace(Map<String, Object> all) {
		synchronized (this) {
			Map<String, Object> next = new HashMap<>(all);
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
	 * Merge changed properties.
	 * @param changed the properties that changed
	 */
	void merge(Map<String, Object> changed) {
		if (changed.isEmpty()) {
			return;
		}
		synchronized (this) {
			Map<String, Object> current = this.properties;
			boolean same = true;
			for (Map.Entry<String, Object> entry : changed.entrySet()) {
				if (!Objects.equals(current.get(entry.getKey()), entry.getValue())) {
					same = false;
					break;
				}
			}
			if (same) {
				return;
			}
			Map<String, Object> merged = new HashMap<>(current);
			merged.putAll(changed);
			this.properties = Map.copyOf(merged);
		}
		checkWaiters();
	}

	/**
	 * Mark the properties as needing a new {@code GetAll}.
	 */
	void invalidate() {
		this.complete = false;
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
	synchronized void baseline() {
		if (this.lastNotified == null) {
			this.lastNotified = status();
		}
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

	private record Waiter(Predicate<Map<String, Object>> condition, CompletableFuture<Void> future) {

	}

}
