package io.github.supervision;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.supervision.support.DaemonThreadFactory;
import io.github.supervision.support.Listeners;

/**
 * The catalog's one subscription to its backends' watches: it subscribes to every backend
 * while it has listeners, renames each change as the catalog lists it, and calls the
 * listeners on a thread of its own.
 *
 * @author Supervision contributors
 * @see ServiceCatalog#watch(ServiceStatusListener)
 */
final class StatusFanOut implements AutoCloseable {

	private final Collection<SupervisionBackend> backends;

	private final Map<String, Map<String, List<ServiceName>>> declaredNames = new HashMap<>();

	private final Set<ServiceName> declared = new HashSet<>();

	private final Listeners<ServiceStatusListener> listeners = new Listeners<>();

	private final List<Subscription> subscriptions = new ArrayList<>();

	private final ExecutorService dispatcher;

	StatusFanOut(Collection<ServiceDefinition> definitions, Collection<SupervisionBackend> backends) {
		this.backends = backends;
		definitions.forEach((definition) -> this.declared.add(definition.name()));
		definitions
			.forEach((definition) -> this.declaredNames.computeIfAbsent(definition.backend(), (id) -> new HashMap<>())
				.computeIfAbsent(definition.target(), (target) -> new ArrayList<>(1))
				.add(definition.name()));
		this.dispatcher = Executors.newSingleThreadExecutor(new DaemonThreadFactory("supervision-catalog-events-"));
	}

	Subscription watch(ServiceStatusListener listener) {
		Subscription registration;
		synchronized (this.subscriptions) {
			registration = this.listeners.add(listener)::run;
			if (this.subscriptions.isEmpty()) {
				this.backends.forEach(
						(backend) -> this.subscriptions.add(backend.watch((status) -> changed(backend.id(), status))));
			}
		}
		AtomicBoolean open = new AtomicBoolean(true);
		return () -> {
			if (open.compareAndSet(true, false)) {
				unwatch(registration);
			}
		};
	}

	private void unwatch(Subscription registration) {
		List<Subscription> closing = new ArrayList<>();
		synchronized (this.subscriptions) {
			registration.close();
			if (this.listeners.isEmpty()) {
				closing.addAll(this.subscriptions);
				this.subscriptions.clear();
			}
		}
		closing.forEach(Subscription::close);
	}

	// Called on a backend's thread: it only hands the change to the dispatcher.
	private void changed(String backendId, ServiceStatus status) {
		try {
			this.dispatcher.execute(() -> deliver(backendId, status));
		}
		catch (RejectedExecutionException ex) {
			// closed
		}
	}

	private void deliver(String backendId, ServiceStatus status) {
		List<ServiceName> names = this.declaredNames.getOrDefault(backendId, Map.of()).get(status.target());
		if (names != null) {
			names.forEach((name) -> notify(status.withName(name.value())));
			return;
		}
		// A discovered service is named by its target, unless a declared service has that
		// name
		ServiceName.parse(status.target())
			.filter((name) -> !this.declared.contains(name))
			.ifPresent((name) -> notify(status.withName(name.value())));
	}

	private void notify(ServiceStatus status) {
		this.listeners.forEach((listener) -> listener.statusChanged(status));
	}

	@Override
	public void close() {
		List<Subscription> closing;
		synchronized (this.subscriptions) {
			this.listeners.clear();
			closing = new ArrayList<>(this.subscriptions);
			this.subscriptions.clear();
		}
		closing.forEach(Subscription::close);
		this.dispatcher.shutdownNow();
	}

}
