package io.github.supervision.autoconfigure;

import java.util.Map;

import io.github.supervision.actuate.events.ServiceEventBroadcaster;
import io.github.supervision.actuate.events.ServiceEventsRequestHandler;

import org.springframework.boot.actuate.autoconfigure.endpoint.web.CorsEndpointProperties;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;

/**
 * {@link ManagementContextConfiguration @ManagementContextConfiguration} that maps the
 * service event stream ({@code GET /actuator/serviceevents}) on the management server,
 * under the actuator's base path and on its own port when {@code management.server.port}
 * is set. It exists only where {@link SupervisionEventsAutoConfiguration} made the
 * stream's broadcaster, that is where the stream is exposed and not denied access.
 *
 * @author Supervision contributors
 */
@ManagementContextConfiguration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnBean({ ServiceEventBroadcaster.class, WebEndpointProperties.class })
@EnableConfigurationProperties(CorsEndpointProperties.class)
public final class SupervisionEventsManagementContextAutoConfiguration {

	// before the application's own mappings, as the actuator's endpoints are
	private static final int ORDER = -100;

	@Bean
	SimpleUrlHandlerMapping serviceEventsHandlerMapping(ServiceEventBroadcaster broadcaster,
			WebEndpointProperties webEndpointProperties, CorsEndpointProperties corsProperties) {
		String path = webEndpointProperties.getBasePath() + "/" + webEndpointProperties.getPathMapping()
			.getOrDefault(ServiceEventsRequestHandler.ID, ServiceEventsRequestHandler.ID);
		SimpleUrlHandlerMapping mapping = new SimpleUrlHandlerMapping(
				Map.of(path, new ServiceEventsRequestHandler(broadcaster)), ORDER);
		CorsConfiguration cors = corsProperties.toCorsConfiguration();
		if (cors != null) {
			mapping.setCorsConfigurations(Map.of(path, cors));
		}
		return mapping;
	}

}
