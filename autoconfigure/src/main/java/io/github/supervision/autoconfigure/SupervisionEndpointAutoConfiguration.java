package io.github.supervision.autoconfigure;

import java.util.List;
import java.util.function.Supplier;

import io.github.supervision.ServiceCatalog;
import io.github.supervision.actuate.ServicesEndpoint;
import io.github.supervision.actuate.ServicesEndpointJmxExtension;
import io.github.supervision.actuate.ServicesEndpointWebExtension;
import io.github.supervision.registration.JvmFacts;
import io.github.supervision.registration.SupervisorDetection;
import io.github.supervision.selfregistration.RegistrationReport;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.function.SingletonSupplier;

/**
 * Auto-configuration of the {@link ServicesEndpoint} ({@code /actuator/services}).
 *
 * @author Supervision contributors
 */
@AutoConfiguration(after = SupervisionAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(ServiceCatalog.class)
@ConditionalOnAvailableEndpoint(ServicesEndpoint.class)
public final class SupervisionEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ServicesEndpoint servicesEndpoint(ServiceCatalog catalog, Environment environment,
			ObjectProvider<ApplicationArguments> arguments) {
		boolean report = environment.getProperty("supervision.registration.report", Boolean.class, true);
		if (!report) {
			return new ServicesEndpoint(catalog);
		}
		ApplicationArguments applicationArguments = arguments.getIfAvailable();
		List<String> args = (applicationArguments != null) ? List.of(applicationArguments.getSourceArgs()) : List.of();
		// Generated once, on the first request; the installed files are compared each
		// time
		Supplier<RegistrationReport> registration = SingletonSupplier
			.of(() -> new RegistrationReport(environment, args, JvmFacts.current(), SupervisorDetection.detect()));
		return new ServicesEndpoint(catalog, () -> registration.get().get());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnAvailableEndpoint(endpoint = ServicesEndpoint.class, exposure = EndpointExposure.JMX)
	@ConditionalOnBooleanProperty("supervision.jmx.writes-enabled")
	static class JmxExtensionConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ServicesEndpointJmxExtension servicesEndpointJmxExtension(ServicesEndpoint endpoint) {
			return new ServicesEndpointJmxExtension(endpoint);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnAvailableEndpoint(endpoint = ServicesEndpoint.class, exposure = EndpointExposure.WEB)
	static class WebExtensionConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ServicesEndpointWebExtension servicesEndpointWebExtension(ServicesEndpoint endpoint) {
			return new ServicesEndpointWebExtension(endpoint);
		}

	}

}
