package io.github.supervision.actuate.metrics;

import java.util.function.Supplier;

import io.github.supervision.ActionInterceptor;
import io.github.supervision.ActionResult;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceName;
import io.github.supervision.ServiceSignal;
import io.github.supervision.Subscription;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Wraps every action of a {@link ServiceCatalog} in a Micrometer {@link Observation}
 * named {@code supervision.service.action}, so that tracing sees the action as a span and
 * Micrometer's meter handler times it (tagged {@code service}, {@code action},
 * {@code signal} and {@code outcome}). It registers itself with the catalog when created
 * and leaves it when closed.
 *
 * @author Supervision contributors
 */
public final class ServiceActionObservations implements ActionInterceptor, AutoCloseable {

	private static final ServiceActionObservationConvention DEFAULT_CONVENTION = new DefaultServiceActionObservationConvention();

	private final ObservationRegistry registry;

	private final @Nullable ServiceActionObservationConvention convention;

	private final Subscription registration;

	/**
	 * Create a new instance that observes the catalog's actions.
	 * @param catalog the catalog whose actions to observe
	 * @param registry the observation registry
	 * @param convention a convention that replaces the default, or {@code null}
	 */
	public ServiceActionObservations(ServiceCatalog catalog, ObservationRegistry registry,
			@Nullable ServiceActionObservationConvention convention) {
		Assert.notNull(catalog, "'catalog' must not be null");
		Assert.notNull(registry, "'registry' must not be null");
		this.registry = registry;
		this.convention = convention;
		this.registration = catalog.intercept(this);
	}

	@Override
	public ActionResult intercept(ServiceName service, String backend, ServiceAction action,
			Supplier<ActionResult> proceed) {
		return intercept(service, backend, action, null, proceed);
	}

	@Override
	public ActionResult intercept(ServiceName service, String backend, ServiceAction action,
			@Nullable ServiceSignal signal, Supplier<ActionResult> proceed) {
		ServiceActionContext context = new ServiceActionContext(service.value(), backend, action, signal);
		ActionResult result = Observation
			.createNotStarted(this.convention, DEFAULT_CONVENTION, () -> context, this.registry)
			.observe(() -> {
				ActionResult answer = proceed.get();
				context.setResult(answer);
				return answer;
			});
		Assert.notNull(result, "'result' must not be null");
		return result;
	}

	/**
	 * Stop observing the catalog's actions.
	 */
	@Override
	public void close() {
		this.registration.close();
	}

}
