package io.github.supervision.actuate.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.supervision.ActionResult;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceDefinition;
import io.github.supervision.ServiceName;
import io.github.supervision.SupervisionBackend;
import io.github.supervision.embedded.EmbeddedBackend;
import io.github.supervision.embedded.EmbeddedServiceSpec;
import io.github.supervision.embedded.RestartPolicy;
import io.github.supervision.testsupport.RealDaemons;
import io.github.supervision.testsupport.RecordingBackend;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link SupervisionMetrics}, against the embedded backend's real processes
 * and, for counting calls, a recording backend.
 *
 * @author Supervision contributors
 */
class SupervisionMetricsTests {

	private final MeterRegistry registry = new SimpleMeterRegistry();

	private final List<AutoCloseable> closing = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (int i = this.closing.size() - 1; i >= 0; i--) {
			this.closing.get(i).close();
		}
	}

	@Test
	void upAndStateFollowARealStartAndStop() {
		RealDaemons.requireExecutables("/bin/sleep");
		EmbeddedBackend backend = embedded(new EmbeddedServiceSpec("ticker", List.of("/bin/sleep", "600"), null,
				Map.of(), RestartPolicy.ON_FAILURE, Duration.ofMillis(200), 1, Duration.ofMillis(100),
				Duration.ofSeconds(1), Duration.ofSeconds(2), false, null, 1024));
		ServiceCatalog catalog = catalog(List.of(backend),
				new ServiceDefinition(ServiceName.of("web"), EmbeddedBackend.ID, "ticker", null, true, null));
		// an hour: only the catalog's status changes can move the meters in this test
		bind(new SupervisionMetrics(catalog, false, Duration.ofHours(1)));
		assertThat(gauge("supervision.service.up", "web")).isZero();
		assertThat(state("web", "stopped")).isEqualTo(1);
		assertThat(gauge("supervision.service.critical", "web")).isEqualTo(1);
		assertThat(catalog.perform(ServiceName.of("web"), ServiceAction.START).outcome())
			.isEqualTo(ActionResult.Outcome.DONE);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(gauge("supervision.service.up", "web")).isEqualTo(1);
			assertThat(state("web", "running")).isEqualTo(1);
			assertThat(state("web", "stopped")).isZero();
		});
		assertThat(gauge("supervision.service.start.time", "web")).isCloseTo(Instant.now().getEpochSecond(),
				within(30.0));
		assertThat(catalog.perform(ServiceName.of("web"), ServiceAction.STOP).outcome())
			.isEqualTo(ActionResult.Outcome.DONE);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(gauge("supervision.service.up", "web")).isZero();
			assertThat(state("web", "stopped")).isEqualTo(1);
			assertThat(state("web", "running")).isZero();
		});
	}

	@Test
	void restartsCountTheSupervisorsRestartsOfACrashingService() {
		RealDaemons.requireExecutables("/bin/sh");
		EmbeddedBackend backend = embedded(
				new EmbeddedServiceSpec("flaky", List.of("/bin/sh", "-c", "sleep 0.3; exit 3"), null, Map.of(),
						RestartPolicy.ON_FAILURE, Duration.ofMillis(100), 100, Duration.ofMillis(100),
						Duration.ofMillis(100), Duration.ofSeconds(2), false, null, 1024));
		ServiceCatalog catalog = catalog(List.of(backend),
				new ServiceDefinition(ServiceName.of("flaky"), EmbeddedBackend.ID, "flaky", null, false, null));
		bind(new SupervisionMetrics(catalog, false, Duration.ofHours(1)));
		assertThat(catalog.perform(ServiceName.of("flaky"), ServiceAction.START).outcome())
			.isEqualTo(ActionResult.Outcome.DONE);
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(
					() -> assertThat(counter("supervision.service.restarts", "flaky")).isGreaterThanOrEqualTo(2));
		catalog.perform(ServiceName.of("flaky"), ServiceAction.STOP);
	}

	@Test
	void aScrapeReadsTheCatalogOnceWhateverTheNumberOfMeters() {
		RecordingBackend backend = new RecordingBackend("recording");
		List<ServiceDefinition> definitions = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			definitions.add(new ServiceDefinition(ServiceName.of("service-" + i), "recording", "target-" + i, null,
					false, null));
		}
		ServiceCatalog catalog = catalog(List.of(backend), definitions.toArray(ServiceDefinition[]::new));
		bind(new SupervisionMetrics(catalog, false, Duration.ofMillis(300)));
		assertThat(backend.calls()).as("binding reads nothing").isEmpty();
		assertThat(scrape()).isGreaterThan(50 * 10);
		assertThat(backend.calls()).hasSize(1).allMatch((call) -> call.startsWith("status["));
		scrape();
		assertThat(backend.calls()).as("a second scrape within the resync interval").hasSize(1);
		await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			scrape();
			assertThat(backend.calls()).hasSize(2);
		});
		assertThat(gauge("supervision.service.up", "service-7")).isEqualTo(1);
		assertThat(state("service-7", "running")).isEqualTo(1);
		assertThat(counter("supervision.service.restarts", "service-7")).isZero();
		assertThat(this.registry.find("supervision.service.critical").gauges()).as("none is critical").isEmpty();
	}

	@Test
	void backendAvailabilityFollowsTheBackend() {
		RecordingBackend backend = new RecordingBackend("recording");
		ServiceCatalog catalog = catalog(List.of(backend),
				new ServiceDefinition(ServiceName.of("web"), "recording", "web", null, false, null));
		bind(new SupervisionMetrics(catalog));
		assertThat(this.registry.get("supervision.backend.available").tag("backend", "recording").gauge().value())
			.isEqualTo(1);
		backend.goDown("gone");
		assertThat(this.registry.get("supervision.backend.available").tag("backend", "recording").gauge().value())
			.isZero();
	}

	@Test
	void discoveredServicesAreLeftOutByDefault() {
		RecordingBackend backend = new RecordingBackend("recording");
		backend.setDiscovered(List.of("extra"));
		ServiceCatalog catalog = catalog(List.of(backend),
				new ServiceDefinition(ServiceName.of("web"), "recording", "web", null, false, null));
		bind(new SupervisionMetrics(catalog));
		scrape();
		assertThat(backend.calls()).doesNotContain("discover");
		assertThat(this.registry.find("supervision.service.up").tag("service", "extra").gauge()).isNull();
		assertThat(this.registry.find("supervision.service.up").gauges()).hasSize(1);
	}

	@Test
	void discoveredServicesGetMetersWhenAskedFor() {
		RecordingBackend backend = new RecordingBackend("recording");
		backend.setDiscovered(List.of("extra"));
		ServiceCatalog catalog = catalog(List.of(backend),
				new ServiceDefinition(ServiceName.of("web"), "recording", "web", null, false, null));
		bind(new SupervisionMetrics(catalog, true, Duration.ofSeconds(30)));
		scrape();
		assertThat(backend.calls()).contains("discover");
		assertThat(gauge("supervision.service.up", "extra")).isEqualTo(1);
		assertThat(this.registry.find("supervision.service.critical").tag("service", "extra").gauge()).isNull();
	}

	private EmbeddedBackend embedded(EmbeddedServiceSpec spec) {
		EmbeddedBackend backend = new EmbeddedBackend(List.of(spec));
		this.closing.add(backend);
		return backend;
	}

	private ServiceCatalog catalog(List<SupervisionBackend> backends, ServiceDefinition... definitions) {
		ServiceCatalog catalog = new ServiceCatalog(List.of(definitions), backends, Duration.ofSeconds(2),
				Duration.ofSeconds(5));
		this.closing.add(catalog);
		return catalog;
	}

	private void bind(SupervisionMetrics metrics) {
		this.closing.add(metrics);
		metrics.bindTo(this.registry);
	}

	// what a registry does on a scrape: read every meter once
	private int scrape() {
		int measured = 0;
		for (Meter meter : this.registry.getMeters()) {
			for (Measurement measurement : meter.measure()) {
				measurement.getValue();
				measured++;
			}
		}
		return measured;
	}

	private double gauge(String name, String service) {
		return this.registry.get(name).tag("service", service).gauge().value();
	}

	private double counter(String name, String service) {
		return this.registry.get(name).tag("service", service).functionCounter().count();
	}

	private double state(String service, String state) {
		return this.registry.get("supervision.service.state")
			.tag("service", service)
			.tag("state", state)
			.gauge()
			.value();
	}

}
