package io.github.supervision.autoconfigure;

import io.github.supervision.ServiceCatalog;
import io.github.supervision.actuate.ServicesEndpoint;
import io.github.supervision.actuate.ServicesEndpoint.ServiceDescriptor;
import io.github.supervision.actuate.events.ServiceEventBroadcaster;
import io.github.supervision.actuate.events.ServiceEventsRequestHandler;
import io.github.supervision.actuate.events.ServiceStatusEventPublisher;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.aot.hint.annotation.RegisterReflectionForBinding;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.PropertiesEndpointAccessResolver;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.IncludeExcludeEndpointFilter;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.jackson.EndpointJsonMapper;
import org.springframework.boot.actuate.endpoint.web.ExposableWebEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.web.HttpRequestHandler;

/**
 * Auto-configuration of the status-change events of declared services: a
 * {@link io.github.supervision.actuate.events.ServiceStatusChangedEvent} for each change
 * and, in a servlet web application where it is exposed, the broadcaster behind
 * {@code /actuator/serviceevents} (whose handler
 * {@link SupervisionEventsManagementContextAutoConfiguration} maps on the management
 * server).
 *
 * @author Supervision contributors
 */
@AutoConfiguration(after = { SupervisionAutoConfiguration.class, SupervisionEndpointAutoConfiguration.class })
@ConditionalOnBean(ServiceCatalog.class)
@ConditionalOnBooleanProperty(name = "supervision.events.enabled", matchIfMissing = true)
@EnableConfigurationProperties(EventsProperties.class)
public final class SupervisionEventsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ServiceStatusEventPublisher serviceStatusEventPublisher(ServiceCatalog catalog,
			ApplicationEventPublisher publisher) {
		return new ServiceStatusEventPublisher(catalog, publisher);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass({ Endpoint.class, HttpRequestHandler.class, JsonMapper.class })
	@Conditional(OnEventStreamAvailableCondition.class)
	static class EventStreamConfiguration {

		@Bean(destroyMethod = "destroy")
		@ConditionalOnMissingBean
		@RegisterReflectionForBinding(ServiceDescriptor.class)
		ServiceEventBroadcaster serviceEventBroadcaster(ServiceCatalog catalog, EventsProperties properties,
				ObjectProvider<ServicesEndpoint> endpoint, ObjectProvider<EndpointJsonMapper> endpointJsonMapper,
				ObjectProvider<JsonMapper> jsonMapper) {
			// the same descriptor and the same mapper as /actuator/services
			ServicesEndpoint descriptors = endpoint.getIfAvailable(() -> new ServicesEndpoint(catalog));
			EndpointJsonMapper endpointMapper = endpointJsonMapper.getIfAvailable();
			JsonMapper mapper = (endpointMapper != null) ? endpointMapper.get()
					: jsonMapper.getIfAvailable(JsonMapper::shared);
			return new ServiceEventBroadcaster(catalog,
					(status) -> mapper.writeValueAsString(descriptors.describe(status)),
					new ServiceEventBroadcaster.Settings(properties.getHeartbeat(), properties.getHistory(),
							properties.getClientBuffer(), properties.getMaxClients()));
		}

	}

	/**
	 * The stream is offered as the actuator offers a web endpoint: exposed over the web
	 * ({@code management.endpoints.web.exposure}) and not denied access
	 * ({@code management.endpoint.serviceevents.access}). Reading needs only read access.
	 */
	static final class OnEventStreamAvailableCondition extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			ConditionMessage.Builder message = ConditionMessage.forCondition("Service event stream");
			EndpointId id = EndpointId.of(ServiceEventsRequestHandler.ID);
			IncludeExcludeEndpointFilter<ExposableWebEndpoint> exposure = new IncludeExcludeEndpointFilter<>(
					ExposableWebEndpoint.class, context.getEnvironment(), "management.endpoints.web.exposure",
					EndpointExposure.WEB.getDefaultIncludes());
			if (!exposure.match(id)) {
				return ConditionOutcome.noMatch(message.because("'" + id + "' is not exposed over the web"));
			}
			Access access = new PropertiesEndpointAccessResolver(context.getEnvironment()).accessFor(id,
					Access.READ_ONLY);
			if (access == Access.NONE) {
				return ConditionOutcome.noMatch(message.because("access to '" + id + "' is none"));
			}
			return ConditionOutcome.match(message.because("'" + id + "' is exposed with access " + access));
		}

	}

}
