package io.github.supervision.autoconfigure;

import io.github.supervision.ServiceCatalog;
import io.github.supervision.actuate.ServicesEndpoint;
import io.github.supervision.actuate.ServicesEndpointWebExtension;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

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
	ServicesEndpoint servicesEndpoint(ServiceCatalog catalog) {
		return new ServicesEndpoint(catalog);
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
