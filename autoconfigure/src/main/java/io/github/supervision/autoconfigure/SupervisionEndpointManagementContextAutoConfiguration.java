package io.github.supervision.autoconfigure;

import io.github.supervision.actuate.ServiceActionQueryFilter;
import io.github.supervision.actuate.ServicesEndpoint;
import io.github.supervision.actuate.ServicesEndpointWebExtension;

import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@link ManagementContextConfiguration @ManagementContextConfiguration} that guards the
 * writes of the {@code services} endpoint on the management server (its own port when
 * {@code management.server.port} is set): an action whose {@code action} or
 * {@code signal} comes in the query string is refused, see
 * {@link ServiceActionQueryFilter}. It exists where the endpoint's web extension does.
 *
 * @author Supervision contributors
 */
@ManagementContextConfiguration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(OncePerRequestFilter.class)
@ConditionalOnBean({ ServicesEndpointWebExtension.class, WebEndpointProperties.class })
public final class SupervisionEndpointManagementContextAutoConfiguration {

	@Bean
	FilterRegistrationBean<ServiceActionQueryFilter> serviceActionQueryFilter(
			WebEndpointProperties webEndpointProperties) {
		String path = webEndpointProperties.getBasePath() + "/"
				+ webEndpointProperties.getPathMapping().getOrDefault(ServicesEndpoint.ID, ServicesEndpoint.ID);
		FilterRegistrationBean<ServiceActionQueryFilter> registration = new FilterRegistrationBean<>(
				new ServiceActionQueryFilter());
		registration.addUrlPatterns(path + "/*");
		return registration;
	}

}
