package io.github.supervision.actuate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.github.supervision.ActionResult;
import io.github.supervision.ActionResult.Outcome;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceDefinition;
import io.github.supervision.ServiceName;
import io.github.supervision.ServiceSignal;
import io.github.supervision.SignalCapability;
import io.github.supervision.actuate.metrics.ServiceActionObservations;
import io.github.supervision.testsupport.RecordingBackend;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.audit.AuditEvent;
import org.springframework.boot.actuate.audit.listener.AuditApplicationEvent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that a {@code signal} action carries its signal into the audit event's data and
 * the action timer's tags, as every other action carries its own.
 *
 * @author Supervision contributors
 */
class ServiceSignalAuditAndTimerTests {

	private final SignallingBackend backend = new SignallingBackend();

	private final ServiceCatalog catalog = new ServiceCatalog(List.of(new ServiceDefinition(ServiceName.of("web"),
			"fake", "web", EnumSet.allOf(ServiceAction.class), false, null)), List.of(this.backend),
			Duration.ofSeconds(1), Duration.ofSeconds(1));

	@AfterEach
	void close() {
		this.catalog.close();
	}

	@Test
	void theAuditEventCarriesTheSignal() {
		ServicesEndpoint endpoint = new ServicesEndpoint(this.catalog);
		List<AuditEvent> audited = new ArrayList<>();
		endpoint.setApplicationEventPublisher((event) -> audited.add(((AuditApplicationEvent) event).getAuditEvent()));
		endpoint.act("web", "signal", "usr1", "alice");
		assertThat(audited).singleElement()
			.satisfies((event) -> assertThat(event.getData()).containsEntry("action", "signal")
				.containsEntry("signal", "USR1")
				.containsEntry("outcome", "done"));
		assertThat(this.backend.signals).containsExactly("web USR1");
	}

	@Test
	void theActionTimerIsTaggedWithTheSignal() {
		MeterRegistry meters = new SimpleMeterRegistry();
		ObservationRegistry observations = ObservationRegistry.create();
		observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
		try (ServiceActionObservations observed = new ServiceActionObservations(this.catalog, observations, null)) {
			assertThat(this.catalog.signal(ServiceName.of("web"), ServiceSignal.HUP).outcome()).isEqualTo(Outcome.DONE);
			assertThat(this.catalog.perform(ServiceName.of("web"), ServiceAction.RESTART).outcome())
				.isEqualTo(Outcome.DONE);
		}
		assertThat(meters.get("supervision.service.action")
			.tag("action", "signal")
			.tag("signal", "HUP")
			.tag("outcome", "done")
			.timer()
			.count()).isOne();
		assertThat(
				meters.get("supervision.service.action").tag("action", "restart").tag("signal", "none").timer().count())
			.isOne();
	}

	static class SignallingBackend extends RecordingBackend implements SignalCapability {

		final List<String> signals = new ArrayList<>();

		SignallingBackend() {
			super("fake");
		}

		@Override
		public CompletableFuture<ActionResult> signal(String target, ServiceSignal signal, Duration timeout) {
			this.signals.add(target + " " + signal.name());
			return CompletableFuture
				.completedFuture(new ActionResult(ServiceAction.SIGNAL, Outcome.DONE, "sent", signal.name(), null));
		}

	}

}
