package io.github.supervision;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.supervision.support.DaemonThreadFactory;
import io.github.supervision.support.Listeners;

/**
 * Carries the backends' status changes to the catalog's listeners, named as
 * {@link ServiceCatalog#list()} names them. It subscribes once to every backend while it
 * has listeners, and calls them one at a time on a thread of its own.
 *
 * @author Supervision contributors
 */
final class CatalogWatch {

	private final Map<String, ServiceDefinition> definitions;

	private final Map<String, SupervisionBackend> backends;

	private final Map<String, Map<String, List<String>>> declaredNames;

	private final Listeners<ServiceStatusListener> listeners = new Listeners<>();

	private final List<Subscription> subscriptions = new ArrayList<>();

	private final ExecutorService dispatcher;

	CatalogWatch(Map<String, ServiceDefinition> definitions, Map<String, SupervisionBackend> backends) {
		this.definitions = definitions;
		this.backends = backends;
		Map<String, Map<String, List<String>>> names = new HashMap<>();
		definitions.values()
			.forEach((definition) -> names.computeIfAbsent(definition.backend(), (id) -> new HashMap<>())
				.computeIfAbsent(definition.target(), (target) -> new ArrayList<>(1))
				.add(definition.name()));
		this.declaredNames = names;
		this.dispatcher = Executors.newSingleThreadExecutor(new DaemonThreadFactory("supervision-catalog-events-"));
	}

	Subscription watch(ServiceStatusListener listener) {
		Subscription registration;
		synchronized (this.subscriptions) {
			registration = this.listeners.add(listener)::run;
			if (this.subscriptions.isEmpty()) {
				this.backends.values()
					.forEach((backend) -> this.subscriptions
						.add(backend.watch((status) -> changed(backend.id(), status))));
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
		List<String> names = this.declaredNames.getOrDefault(backendId, Map.of()).get(status.target());
		if (names != null) {
			names.forEach((name) -> notify(status.withName(name)));
		}
		else if (ServiceNames.isValid(status.target()) && !this.definitions.containsKey(status.target())) {
			notify(status.withName(status.target()));
		}
	}

	private void notify(ServiceStatus status) {
		this.listeners.forEach((listener) -> listener.statusChanged(status));
	}

	void close() {
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
