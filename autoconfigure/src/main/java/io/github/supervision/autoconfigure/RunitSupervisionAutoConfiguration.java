package io.github.supervision.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.supervision.runit.RunitBackend;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
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
		SupervisionProperties declared = supervision.getIfAvailable();
		Duration stopTimeout = positive("supervision.runit.stop-timeout", properties.getStopTimeout());
		Map<String, Duration> stopTimeouts = stopTimeouts(declared);
		boolean kill = properties.isKillAfterStopTimeout();
		return new RunitBackend(properties.getServiceDirectory().toPath().toAbsolutePath(), properties.isDiscover(),
				properties.getPollInterval(), properties.isWatch(), properties.getLogFile(), declaredTargets(declared),
				kill ? stopTimeout : null, kill ? stopTimeouts : Map.of());
	}

	private static List<String> declaredTargets(@Nullable SupervisionProperties supervision) {
		return runitServices(supervision).values().stream().map(SupervisionProperties.Service::getDirectory).toList();
	}

	private static Map<String, Duration> stopTimeouts(@Nullable SupervisionProperties supervision) {
		Map<String, Duration> stopTimeouts = new LinkedHashMap<>();
		runitServices(supervision).forEach((name, service) -> {
			if (service.getStopTimeout() != null) {
				stopTimeouts.put(service.getDirectory(),
						positive("supervision.services." + name + ".stop-timeout", service.getStopTimeout()));
			}
		});
		return stopTimeouts;
	}

	private static Map<String, SupervisionProperties.Service> runitServices(
			@Nullable SupervisionProperties supervision) {
		Map<String, SupervisionProperties.Service> services = new LinkedHashMap<>();
		if (supervision != null) {
			supervision.getServices().forEach((name, service) -> {
				if (StringUtils.hasText(service.getDirectory())
						&& (service.getBackend() == null || RunitBackend.ID.equals(service.getBackend()))) {
					services.put(name, service);
				}
			});
		}
		return services;
	}

	private static Duration positive(String key, @Nullable Duration duration) {
		if (duration == null || duration.isNegative() || duration.isZero()) {
			throw new InvalidConfigurationPropertyValueException(key, duration, "Must be positive");
		}
		return duration;
	}

}
