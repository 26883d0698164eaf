package io.github.supervision.autoconfigure;

import io.github.supervision.ServiceCatalog;
import io.github.supervision.actuate.metrics.ServiceActionObservationConvention;
import io.github.supervision.actuate.metrics.ServiceActionObservations;
import io.github.supervision.actuate.metrics.SupervisionMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the supervision meters ({@link SupervisionMetrics}) when the
 * application has a {@link MeterRegistry}, and of the observation of every action
 * ({@link ServiceActionObservations}) when it has an {@link ObservationRegistry}.
 *
 * @author Supervision contributors
 */
@AutoConfiguration(after = SupervisionAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration" })
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean(ServiceCatalog.class)
@EnableConfigurationProperties(SupervisionMetricsProperties.class)
public final class SupervisionMetricsAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class MetersConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SupervisionMetrics supervisionMetrics(ServiceCatalog catalog, SupervisionMetricsProperties properties) {
			return new SupervisionMetrics(catalog, properties.isIncludeDiscovered(), properties.getResyncInterval());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(ObservationRegistry.class)
	static class ActionObservationConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ServiceActionObservations supervisionActionObservations(ServiceCatalog catalog,
				ObservationRegistry observationRegistry,
				ObjectProvider<ServiceActionObservationConvention> convention) {
			return new ServiceActionObservations(catalog, observationRegistry, convention.getIfAvailable());
		}

	}

}
