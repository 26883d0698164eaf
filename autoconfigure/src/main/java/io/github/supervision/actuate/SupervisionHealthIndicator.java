package io.github.supervision.actuate;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.github.supervision.BackendAvailability;
import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceDefinition;
import io.github.supervision.ServiceStatus;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.util.Assert;

/**
 * Health indicator that is {@code DOWN} when a backend that supervises a declared service
 * cannot be reached, or when a service declared {@code critical} is not running.
 *
 * @author Supervision contributors
 */
public class SupervisionHealthIndicator extends AbstractHealthIndicator {

	private final ServiceCatalog catalog;

	/**
	 * Create a new indicator.
	 * @param catalog the catalog to read
	 */
	public SupervisionHealthIndicator(ServiceCatalog catalog) {
		super("Supervision health check failed");
		Assert.notNull(catalog, "'catalog' must not be null");
		this.catalog = catalog;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Set<String> usedBackends = new LinkedHashSet<>();
		this.catalog.getDefinitions().values().forEach((definition) -> usedBackends.add(definition.backend()));
		boolean up = true;
		Map<String, Object> backends = new LinkedHashMap<>();
		Map<String, BackendAvailability> availability = this.catalog.availability();
		for (String id : usedBackends) {
			BackendAvailability backend = availability.get(id);
			if (backend == null) {
				backends.put(id, "missing");
				up = false;
			}
			else if (!backend.available()) {
				backends.put(id, "unavailable: " + backend.reason());
				up = false;
			}
			else {
				backends.put(id, "available");
			}
		}
		Map<String, Object> critical = new LinkedHashMap<>();
		boolean anyCritical = this.catalog.getDefinitions().values().stream().anyMatch(ServiceDefinition::critical);
		if (anyCritical) {
			for (ServiceStatus status : this.catalog.list()) {
				ServiceDefinition definition = this.catalog.getDefinitions().get(status.name());
				if (definition != null && definition.critical()) {
					critical.put(status.name(), status.state().name().toLowerCase(Locale.ROOT));
					up &= status.state().isUp();
				}
			}
		}
		builder.status(up ? "UP" : "DOWN").withDetail("backends", backends);
		if (!critical.isEmpty()) {
			builder.withDetail("critical", critical);
		}
	}

}
