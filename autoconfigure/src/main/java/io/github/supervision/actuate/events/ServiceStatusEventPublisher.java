package io.github.supervision.actuate.events;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceName;
import io.github.supervision.ServiceStatus;
import io.github.supervision.Subscription;
import io.github.supervision.support.DaemonThreadFactory;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * Publishes a {@link ServiceStatusChangedEvent} for each status change of a declared
 * service, read from the catalog's one subscription ({@link ServiceCatalog#watch}). The
 * events are published on a thread of its own, so that a slow application listener never
 * delays the catalog's other listeners (the event stream, metrics).
 *
 * @author Supervision contributors
 */
public class ServiceStatusEventPublisher implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ServiceStatusEventPublisher.class);

	private static final int MAX_PENDING = 10_000;

	private final ServiceCatalog catalog;

	private final ApplicationEventPublisher publisher;

	private final Set<String> declared;

	private final Map<String, ServiceStatus> last = new ConcurrentHashMap<>();

	private @Nullable ThreadPoolExecutor executor;

	private @Nullable Subscription subscription;

	/**
	 * Create a new publisher.
	 * @param catalog the catalog to watch
	 * @param publisher where the events go, usually the application context
	 */
	public ServiceStatusEventPublisher(ServiceCatalog catalog, ApplicationEventPublisher publisher) {
		Assert.notNull(catalog, "'catalog' must not be null");
		Assert.notNull(publisher, "'publisher' must not be null");
		this.catalog = catalog;
		this.publisher = publisher;
		this.declared = catalog.getDefinitions().keySet().stream().map(ServiceName::value).collect(Collectors.toSet());
	}

	@Override
	public synchronized void start() {
		if (this.subscription != null) {
			return;
		}
		// one thread keeps the order of each service's changes; a bounded queue keeps a
		// listener that never returns from holding the changes of the whole run
		ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
				new ArrayBlockingQueue<>(MAX_PENDING), new DaemonThreadFactory("supervision-status-events-"));
		this.executor = executor;
		this.subscription = this.catalog.watch(this::changed);
		// the first change's old status comes from one read, unless that change is first
		executor.execute(
				() -> this.catalog.listDeclared().forEach((status) -> this.last.putIfAbsent(status.name(), status)));
	}

	// Called on the catalog's thread, in order: the old status is worked out here
	private void changed(ServiceStatus status) {
		if (!this.declared.contains(status.name())) {
			return;
		}
		ServiceStatus old = this.last.put(status.name(), status);
		if (status.equals(old)) {
			return;
		}
		ThreadPoolExecutor executor = this.executor;
		if (executor == null) {
			return;
		}
		try {
			executor.execute(() -> publish(old, status));
		}
		catch (RejectedExecutionException ex) {
			if (!executor.isShutdown()) {
				logger.warn("Dropped the status change of '" + status.name() + "': " + MAX_PENDING
						+ " changes wait for a slow ServiceStatusChangedEvent listener");
			}
		}
	}

	private void publish(@Nullable ServiceStatus old, ServiceStatus status) {
		try {
			this.publisher.publishEvent(new ServiceStatusChangedEvent(this.catalog, old, status));
		}
		catch (RuntimeException ex) {
			logger.warn("A ServiceStatusChangedEvent listener failed for '" + status.name() + "'", ex);
		}
	}

	// the status the next change of a service is compared with
	@Nullable ServiceStatus lastStatus(String name) {
		return this.last.get(name);
	}

	@Override
	public synchronized void stop() {
		Subscription subscription = this.subscription;
		this.subscription = null;
		if (subscription != null) {
			subscription.close();
		}
		ThreadPoolExecutor executor = this.executor;
		this.executor = null;
		if (executor != null) {
			executor.shutdownNow();
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.subscription != null;
	}

}
