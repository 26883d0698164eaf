package io.github.supervision.autoconfigure;

import java.util.List;

import io.github.supervision.runit.RunitBackend;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.util.StringUtils;

/**
 * Auto-configuration of the runit backend ({@link RunitBackend}). It needs no library and
 * touches nothing at startup: the application starts when runit is absent, and the
 * backend says so in its availability.
 *
 * @author Supervision contributors
 */
@AutoConfiguration(before = SupervisionAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "supervision.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "supervision.runit.enabled", matchIfMissing = true)
@EnableConfigurationProperties(RunitProperties.class)
public final class RunitSupervisionAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RunitBackend runitSupervisionBackend(RunitProperties properties,
			ObjectProvider<SupervisionProperties> supervision) {
		return new RunitBackend(properties.getServiceDirectory().toPath().toAbsolutePath(), properties.isDiscover(),
				properties.getPollInterval(), properties.isWatch(), properties.getLogFile(),
				declaredTargets(supervision.getIfAvailable()));
	}

	private static List<String> declaredTargets(@Nullable SupervisionProperties supervision) {
		if (supervision == null) {
			return List.of();
		}
		return supervision.getServices()
			.values()
			.stream()
			.filter((service) -> StringUtils.hasText(service.getDirectory())
					&& (service.getBackend() == null || RunitBackend.ID.equals(service.getBackend())))
			.map(SupervisionProperties.Service::getDirectory)
			.toList();
	}

}
