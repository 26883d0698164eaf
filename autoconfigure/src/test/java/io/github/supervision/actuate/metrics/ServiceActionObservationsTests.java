package io.github.supervision.actuate.metrics;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.supervision.ActionNotAllowedException;
import io.github.supervision.ActionResult;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceDefinition;
import io.github.supervision.ServiceName;
import io.github.supervision.UnknownServiceException;
import io.github.supervision.testsupport.RecordingBackend;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ServiceActionObservations}.
 *
 * @author Supervision contributors
 */
class ServiceActionObservationsTests {

	private final MeterRegistry meters = new SimpleMeterRegistry();

	private final ObservationRegistry observations = ObservationRegistry.create();

	private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

	private final RecordingBackend backend = new RecordingBackend("recording");

	private final ServiceCatalog catalog = new ServiceCatalog(
			List.of(new ServiceDefinition(ServiceName.of("web"), "recording", "web-1", null, false, null)),
			List.of(this.backend), Duration.ofSeconds(2), Duration.ofSeconds(5));

	ServiceActionObservationsTests() {
		this.observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(this.meters));
		this.observations.observationConfig().observationHandler(new ObservationHandler<>() {

			@Override
			public void onStop(Observation.Context context) {
				ServiceActionObservationsTests.this.stopped.add(context);
			}

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}

		});
	}

	@AfterEach
	void close() {
		this.catalog.close();
	}

	@Test
	void anActionIsObservedAndTimedWithItsServiceActionAndOutcome() {
		try (ServiceActionObservations observations = new ServiceActionObservations(this.catalog, this.observations,
				null)) {
			assertThat(this.catalog.perform(ServiceName.of("web"), ServiceAction.RESTART).outcome())
				.isEqualTo(ActionResult.Outcome.DONE);
		}
		Timer timer = this.meters.get("supervision.service.action")
			.tag("service", "web")
			.tag("action", "restart")
			.tag("outcome", "done")
			.timer();
		assertThat(timer.count()).isOne();
		assertThat(this.stopped).singleElement().satisfies((context) -> {
			assertThat(context.getContextualName()).isEqualTo("restart web");
			assertThat(context.getHighCardinalityKeyValue("backend").getValue()).isEqualTo("recording");
		});
		assertThat(this.backend.calls()).containsExactly("perform web-1 restart");
	}

	@Test
	void anActionThePolicyRefusesIsObservedAsAnError() {
		try (ServiceActionObservations observations = new ServiceActionObservations(this.catalog, this.observations,
				null)) {
			assertThatExceptionOfType(ActionNotAllowedException.class)
				.isThrownBy(() -> this.catalog.perform(ServiceName.of("web"), ServiceAction.KILL));
		}
		Timer timer = this.meters.get("supervision.service.action")
			.tag("service", "web")
			.tag("action", "kill")
			.tag("outcome", "error")
			.tag("error", "ActionNotAllowedException")
			.timer();
		assertThat(timer.count()).isOne();
	}

	@Test
	void anUndeclaredNameIsNeverObserved() {
		try (ServiceActionObservations observations = new ServiceActionObservations(this.catalog, this.observations,
				null)) {
			assertThatExceptionOfType(UnknownServiceException.class)
				.isThrownBy(() -> this.catalog.perform(ServiceName.of("nobody"), ServiceAction.STOP));
		}
		assertThat(this.stopped).isEmpty();
		assertThat(this.meters.find("supervision.service.action").timers()).isEmpty();
	}

	@Test
	void closingStopsTheObservations() {
		new ServiceActionObservations(this.catalog, this.observations, null).close();
		this.catalog.perform(ServiceName.of("web"), ServiceAction.START);
		assertThat(this.stopped).isEmpty();
	}

	@Test
	void aConventionOfTheApplicationsReplacesTheDefault() {
		ServiceActionObservationConvention convention = new DefaultServiceActionObservationConvention() {

			@Override
			public String getName() {
				return "ops.action";
			}

		};
		try (ServiceActionObservations observations = new ServiceActionObservations(this.catalog, this.observations,
				convention)) {
			this.catalog.perform(ServiceName.of("web"), ServiceAction.START);
		}
		assertThat(this.meters.get("ops.action").timer().count()).isOne();
	}

}
