package io.github.supervision.actuate.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceName;
import io.github.supervision.ServiceStatus;
import io.github.supervision.Subscription;
import org.jspecify.annotations.Nullable;

/**
 * The statuses that the meters read: one catalog snapshot, kept fresh by the catalog's
 * one subscription to status changes, and read again in full only once it is older than
 * the resync interval. Many meters read it in one scrape; the catalog is asked at most
 * once.
 *
 * @author Supervision contributors
 */
final class ServiceStatusSnapshot implements AutoCloseable {

	private final ServiceCatalog catalog;

	private final boolean includeDiscovered;

	private final long resyncNanos;

	private final Consumer<ServiceStatus> discovered;

	private final Map<String, ServiceStatus> statuses = new ConcurrentHashMap<>();

	private final Object lock = new Object();

	// names changed by an event while a full read runs: the read must not undo them
	private final Set<String> changedDuringRead = new HashSet<>();

	private boolean reading;

	private volatile long readAt;

	private volatile boolean everRead;

	private @Nullable Subscription subscription;

	private boolean closed;

	/**
	 * Create a new snapshot.
	 * @param catalog the catalog to read
	 * @param includeDiscovered whether discovered services are read as well as declared
	 * ones
	 * @param resyncInterval how old the snapshot may grow before it is read again in full
	 * @param discovered called with the status of each discovered service when it is
	 * first seen
	 */
	ServiceStatusSnapshot(ServiceCatalog catalog, boolean includeDiscovered, Duration resyncInterval,
			Consumer<ServiceStatus> discovered) {
		this.catalog = catalog;
		this.includeDiscovered = includeDiscovered;
		this.resyncNanos = resyncInterval.toNanos();
		this.discovered = discovered;
	}

	/**
	 * Return the status of a service, reading the catalog first if the snapshot is
	 * missing or older than the resync interval.
	 * @param name the service's name
	 * @return the status, or {@code null} if the catalog did not report the service
	 */
	@Nullable ServiceStatus get(String name) {
		refreshIfStale();
		return this.statuses.get(name);
	}

	/**
	 * Return the status of a service as the snapshot holds it, without reading the
	 * catalog.
	 * @param name the service's name
	 * @return the status, or {@code null}
	 */
	@Nullable ServiceStatus peek(String name) {
		return this.statuses.get(name);
	}

	/**
	 * Return the names in the snapshot, without reading the catalog.
	 * @return the names
	 */
	Set<String> names() {
		return Collections.unmodifiableSet(this.statuses.keySet());
	}

	private void refreshIfStale() {
		if (this.everRead && System.nanoTime() - this.readAt < this.resyncNanos) {
			return;
		}
		synchronized (this.lock) {
			if (this.closed || this.reading || (this.everRead && System.nanoTime() - this.readAt < this.resyncNanos)) {
				return;
			}
			if (this.subscription == null) {
				// subscribe before reading, so that no change between the two is lost
				this.subscription = this.catalog.watch(this::changed);
			}
			this.reading = true;
			this.changedDuringRead.clear();
		}
		List<ServiceStatus> read = List.of();
		List<ServiceStatus> found = new ArrayList<>();
		try {
			read = this.includeDiscovered ? this.catalog.list() : this.catalog.listDeclared();
		}
		finally {
			synchronized (this.lock) {
				for (ServiceStatus status : read) {
					if (!this.changedDuringRead.contains(status.name())) {
						put(status, found);
					}
				}
				this.changedDuringRead.clear();
				this.reading = false;
				this.readAt = System.nanoTime();
				this.everRead = true;
			}
		}
		found.forEach(this.discovered);
	}

	private void changed(ServiceStatus status) {
		List<ServiceStatus> found = new ArrayList<>(0);
		synchronized (this.lock) {
			if (this.reading) {
				this.changedDuringRead.add(status.name());
			}
			put(status, found);
		}
		found.forEach(this.discovered);
	}

	private void put(ServiceStatus status, List<ServiceStatus> found) {
		boolean declared = ServiceName.parse(status.name()).map(this.catalog::isDeclared).orElse(false);
		if (!declared && !this.includeDiscovered) {
			return;
		}
		if (this.statuses.put(status.name(), status) == null && !declared) {
			found.add(status);
		}
	}

	@Override
	public void close() {
		Subscription closing;
		synchronized (this.lock) {
			this.closed = true;
			closing = this.subscription;
			this.subscription = null;
		}
		if (closing != null) {
			closing.close();
		}
	}

}
