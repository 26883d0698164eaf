package io.github.supervision.actuate.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceDefinition;
import io.github.supervision.ServiceName;
import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import io.github.supervision.SupervisionBackend;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Binds the meters of supervised services: for each declared service whether it is up,
 * its state (one series per normalized state, 1 for the current one), its restarts and
 * the time its current state began, and for a critical service a constant that says so;
 * for each backend whether it can be reached. Every meter reads one
 * {@link ServiceStatusSnapshot}, so a scrape asks the catalog at most once and never
 * calls a backend per meter.
 * <p>
 * Discovered services are left out unless asked for: a backend may discover many, and
 * each adds ten series.
 *
 * @author Supervision contributors
 */
public final class SupervisionMetrics implements MeterBinder, AutoCloseable {

	private static final String SERVICE = "service";

	private static final String BACKEND = "backend";

	private final ServiceCatalog catalog;

	private final ServiceStatusSnapshot snapshot;

	private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

	/**
	 * Create meters for the declared services only, resynchronized with the catalog every
	 * 30 seconds.
	 * @param catalog the catalog to read
	 */
	public SupervisionMetrics(ServiceCatalog catalog) {
		this(catalog, false, Duration.ofSeconds(30));
	}

	/**
	 * Create meters.
	 * @param catalog the catalog to read
	 * @param includeDiscovered whether services the backends discover get meters too
	 * @param resyncInterval how old the snapshot may grow before a scrape reads the
	 * catalog again in full; status changes the backends report keep it fresh in between
	 */
	public SupervisionMetrics(ServiceCatalog catalog, boolean includeDiscovered, Duration resyncInterval) {
		Assert.notNull(catalog, "'catalog' must not be null");
		Assert.isTrue(resyncInterval != null && !resyncInterval.isNegative() && !resyncInterval.isZero(),
				"'resyncInterval' must be positive");
		this.catalog = catalog;
		this.snapshot = new ServiceStatusSnapshot(catalog, includeDiscovered, resyncInterval, this::discovered);
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.registries.add(registry);
		for (ServiceDefinition definition : this.catalog.getDefinitions().values()) {
			bindService(registry, definition.name().value(), definition.backend());
			// only for critical services: an alert joins on it, and the others need no
			// series
			if (definition.critical()) {
				Gauge.builder("supervision.service.critical", () -> 1)
					.description("1 for a service declared critical; absent for the others")
					.tags(SERVICE, definition.name().value(), BACKEND, definition.backend())
					.register(registry);
			}
		}
		for (Map.Entry<String, SupervisionBackend> entry : this.catalog.getBackends().entrySet()) {
			SupervisionBackend backend = entry.getValue();
			Gauge.builder("supervision.backend.available", backend, (each) -> each.availability().available() ? 1 : 0)
				.strongReference(true)
				.description("Whether the backend can be reached (1) or not (0)")
				.tags(BACKEND, entry.getKey())
				.register(registry);
		}
		// discovered services already in the snapshot (when bound to a second registry)
		for (String name : this.snapshot.names()) {
			if (!ServiceName.parse(name).map(this.catalog::isDeclared).orElse(false)) {
				ServiceStatus status = this.snapshot.peek(name);
				if (status != null) {
					bindService(registry, name, status.backend());
				}
			}
		}
	}

	private void discovered(ServiceStatus status) {
		this.registries.forEach((registry) -> bindService(registry, status.name(), status.backend()));
	}

	private void bindService(MeterRegistry registry, String name, String backend) {
		Tags tags = Tags.of(SERVICE, name, BACKEND, backend);
		Gauge.builder("supervision.service.up", this.snapshot, (snapshot) -> up(snapshot.get(name)))
			.strongReference(true)
			.description("Whether the service runs (1) or not (0)")
			.tags(tags)
			.register(registry);
		for (ServiceState state : ServiceState.values()) {
			Gauge.builder("supervision.service.state", this.snapshot, (snapshot) -> is(snapshot.get(name), state))
				.strongReference(true)
				.description("The service's normalized state: 1 for the current state, 0 for the others")
				.tags(tags)
				.tag("state", state.name().toLowerCase(Locale.ROOT))
				.register(registry);
		}
		FunctionCounter
			.builder("supervision.service.restarts", this.snapshot, (snapshot) -> restarts(snapshot.get(name)))
			.description("How often the supervisor restarted the service, where the backend counts")
			.tags(tags)
			.register(registry);
		Gauge.builder("supervision.service.start.time", this.snapshot, (snapshot) -> since(snapshot.get(name)))
			.strongReference(true)
			.description("When the service entered its current state, in seconds since the epoch")
			.baseUnit("seconds")
			.tags(tags)
			.register(registry);
	}

	private static double up(@Nullable ServiceStatus status) {
		if (status == null) {
			return Double.NaN;
		}
		return status.state().isUp() ? 1 : 0;
	}

	private static double is(@Nullable ServiceStatus status, ServiceState state) {
		if (status == null) {
			return Double.NaN;
		}
		return (status.state() == state) ? 1 : 0;
	}

	private static double restarts(@Nullable ServiceStatus status) {
		return (status != null && status.restarts() != null) ? status.restarts() : Double.NaN;
	}

	private static double since(@Nullable ServiceStatus status) {
		if (status == null || status.since() == null) {
			return Double.NaN;
		}
		return status.since().toEpochMilli() / 1000.0;
	}

	/**
	 * Stop following the catalog's status changes.
	 */
	@Override
	public void close() {
		this.snapshot.close();
	}

}
