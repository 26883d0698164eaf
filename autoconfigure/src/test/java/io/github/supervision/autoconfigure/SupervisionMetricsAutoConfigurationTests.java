package io.github.supervision.autoconfigure;

import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceName;
import io.github.supervision.actuate.metrics.ServiceActionObservations;
import io.github.supervision.actuate.metrics.SupervisionMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SupervisionMetricsAutoConfiguration}.
 *
 * @author Supervision contributors
 */
class SupervisionMetricsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SupervisionAutoConfiguration.class,
				EmbeddedSupervisionAutoConfiguration.class, SupervisionMetricsAutoConfiguration.class))
		.withPropertyValues("supervision.services.ticker.command=/bin/sh,-c,exec sleep 600",
				"supervision.services.ticker.autostart=false", "supervision.services.ticker.critical=true");

	private final ApplicationContextRunner withMicrometer = this.contextRunner
		.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
				SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class));

	@Test
	void bindsTheServicesMetersToBootsMeterRegistry() {
		this.withMicrometer.run((context) -> {
			assertThat(context).hasSingleBean(SupervisionMetrics.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("supervision.service.up")
				.tag("service", "ticker")
				.tag("backend", "embedded")
				.gauge()
				.value()).isZero();
			assertThat(registry.get("supervision.service.state")
				.tag("service", "ticker")
				.tag("state", "stopped")
				.gauge()
				.value()).isEqualTo(1);
			assertThat(registry.get("supervision.backend.available").tag("backend", "embedded").gauge().value())
				.isEqualTo(1);
		});
	}

	@Test
	void timesActionsThroughBootsObservationRegistry() {
		this.withMicrometer.run((context) -> {
			assertThat(context).hasSingleBean(ServiceActionObservations.class);
			context.getBean(ServiceCatalog.class).perform(ServiceName.of("ticker"), ServiceAction.START);
			context.getBean(ServiceCatalog.class).perform(ServiceName.of("ticker"), ServiceAction.STOP);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("supervision.service.action")
				.tag("service", "ticker")
				.tag("action", "start")
				.tag("outcome", "done")
				.timer()
				.count()).isOne();
		});
	}

	@Test
	void leavesDiscoveredServicesOutUnlessAskedAndReadsTheResyncInterval() {
		this.withMicrometer
			.withPropertyValues("supervision.metrics.include-discovered=true", "supervision.metrics.resync-interval=5s")
			.run((context) -> {
				SupervisionMetricsProperties properties = context.getBean(SupervisionMetricsProperties.class);
				assertThat(properties.isIncludeDiscovered()).isTrue();
				assertThat(properties.getResyncInterval()).hasSeconds(5);
			});
		this.withMicrometer
			.run((context) -> assertThat(context.getBean(SupervisionMetricsProperties.class).isIncludeDiscovered())
				.isFalse());
	}

	@Test
	void refusesAResyncIntervalThatWouldReadTheCatalogSeveralTimesInOneScrape() {
		this.withMicrometer.withPropertyValues("supervision.metrics.resync-interval=10ms")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("'resyncInterval' must be at least 1s"));
	}

	@Test
	void backsOffWithoutAMeterRegistry() {
		this.contextRunner.run((context) -> {
			assertThat(context).doesNotHaveBean(SupervisionMetrics.class);
			assertThat(context).doesNotHaveBean(ServiceActionObservations.class);
		});
	}

	@Test
	void backsOffWithoutMicrometer() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("io.micrometer."))
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(SupervisionMetrics.class);
				assertThat(context).doesNotHaveBean(ServiceActionObservations.class);
				assertThat(context).hasSingleBean(ServiceCatalog.class);
			});
	}

	@Test
	void backsOffWithoutACatalog() {
		this.withMicrometer.withPropertyValues("supervision.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(SupervisionMetrics.class);
			assertThat(context).doesNotHaveBean(ServiceActionObservations.class);
		});
	}

	@Test
	void backsOffWhenTheApplicationDefinesItsOwnMeters() {
		this.withMicrometer.withUserConfiguration(CustomMetricsConfiguration.class)
			.run((context) -> assertThat(context).getBean(SupervisionMetrics.class)
				.isSameAs(context.getBean("customMetrics")));
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomMetricsConfiguration {

		@Bean
		SupervisionMetrics customMetrics(ServiceCatalog catalog) {
			return new SupervisionMetrics(catalog);
		}

	}

}
