package io.github.supervision.actuate;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceDefinition;
import io.github.supervision.ServiceName;
import io.github.supervision.ServiceStatus;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.util.Assert;
import org.springframework.util.function.SingletonSupplier;

/**
 * Health contributor {@code supervision}: one indicator per declared service, so that
 * {@code /actuator/health/supervision/<name>} answers for one service and a health group
 * can include it ({@code supervision/nginx}). Only a service declared {@code critical}
 * can be {@code DOWN}: while it does not run, or while its backend cannot be reached.
 * Every other service is {@code UP} with its state in the details, so that a helper
 * nobody marked critical never takes the application out of its load balancer.
 * <p>
 * A health check of every member reads the declared services once, not once per service.
 *
 * @author Supervision contributors
 */
public class SupervisionHealthContributor implements CompositeHealthContributor {

	private final ServiceCatalog catalog;

	/**
	 * Create a new contributor.
	 * @param catalog the catalog to read
	 */
	public SupervisionHealthContributor(ServiceCatalog catalog) {
		Assert.notNull(catalog, "'catalog' must not be null");
		this.catalog = catalog;
	}

	@Override
	public @Nullable HealthContributor getContributor(String name) {
		ServiceDefinition definition = ServiceName.parse(name).map(this.catalog.getDefinitions()::get).orElse(null);
		if (definition == null) {
			return null;
		}
		return (HealthIndicator) () -> health(definition, this.catalog.status(definition.name()));
	}

	@Override
	public Stream<Entry> stream() {
		Supplier<Map<String, ServiceStatus>> snapshot = SingletonSupplier.of(this::readDeclared);
		return this.catalog.getDefinitions()
			.values()
			.stream()
			.map((definition) -> new Entry(definition.name().value(),
					(HealthIndicator) () -> health(definition, snapshot.get().get(definition.name().value()))));
	}

	private Map<String, ServiceStatus> readDeclared() {
		Map<String, ServiceStatus> statuses = new LinkedHashMap<>();
		this.catalog.listDeclared().forEach((status) -> statuses.put(status.name(), status));
		return statuses;
	}

	private Health health(ServiceDefinition definition, @Nullable ServiceStatus status) {
		boolean up = !definition.critical() || (status != null && status.state().isUp());
		Health.Builder builder = (up ? Health.up() : Health.down()).withDetail("backend", definition.backend())
			.withDetail("critical", definition.critical());
		if (status == null) {
			return builder.withDetail("state", "unknown").build();
		}
		builder.withDetail("state", status.state().name().toLowerCase(Locale.ROOT));
		if (status.message() != null) {
			builder.withDetail("message", status.message());
		}
		return builder.build();
	}

}
