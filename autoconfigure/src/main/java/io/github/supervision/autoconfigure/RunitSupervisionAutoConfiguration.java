package io.github.supervision.autoconfigure;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.supervision.runit.RunitBackend;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the runit backend ({@link RunitBackend}), when it is in use: a
 * declared service names a directory, {@code supervision.runit.discover} is true, or
 * {@code supervision.runit.enabled} is {@code true}. It needs no library and touches
 * nothing at startup: the application starts when runit is absent, and the backend says
 * so in its availability.
 *
 * @author Supervision contributors
 */
@AutoConfiguration(after = SupervisionAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "supervision.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "supervision.runit.enabled", matchIfMissing = true)
@ConditionalOnSupervisionBackend(value = DeclaredServices.RUNIT, inUseWhenSet = "supervision.runit.discover")
@EnableConfigurationProperties(RunitProperties.class)
public final class RunitSupervisionAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RunitBackend runitSupervisionBackend(RunitProperties properties, DeclaredServices declared) {
		Duration stopTimeout = positive("supervision.runit.stop-timeout", properties.getStopTimeout());
		List<DeclaredServices.DeclaredService> services = declared.forBackend(DeclaredServices.RUNIT);
		Map<String, Duration> stopTimeouts = stopTimeouts(services);
		boolean kill = properties.isKillAfterStopTimeout();
		return new RunitBackend(properties.getServiceDirectory().toPath().toAbsolutePath(), properties.isDiscover(),
				properties.getPollInterval(), properties.isWatch(), properties.getLogFile(),
				services.stream().map(DeclaredServices.DeclaredService::target).toList(), kill ? stopTimeout : null,
				kill ? stopTimeouts : Map.of(), logDirectories(services));
	}

	private static Map<String, Path> logDirectories(List<DeclaredServices.DeclaredService> services) {
		Map<String, Path> logDirectories = new LinkedHashMap<>();
		for (DeclaredServices.DeclaredService service : services) {
			File logDirectory = service.settings().getLogDirectory();
			if (logDirectory != null) {
				Path path = logDirectory.toPath();
				if (!RunitBackend.isValidLogDirectory(path)) {
					throw new InvalidConfigurationPropertyValueException(service.key() + ".log-directory", logDirectory,
							"Must be an absolute path or a path relative to the service directory, without '.', "
									+ "'..' or control characters");
				}
				logDirectories.put(service.target(), path);
			}
		}
		return logDirectories;
	}

	private static Map<String, Duration> stopTimeouts(List<DeclaredServices.DeclaredService> services) {
		Map<String, Duration> stopTimeouts = new LinkedHashMap<>();
		for (DeclaredServices.DeclaredService service : services) {
			Duration stopTimeout = service.settings().getStopTimeout();
			if (stopTimeout != null) {
				stopTimeouts.put(service.target(), positive(service.key() + ".stop-timeout", stopTimeout));
			}
		}
		return stopTimeouts;
	}

	private static Duration positive(String key, @Nullable Duration duration) {
		if (duration == null || duration.isNegative() || duration.isZero()) {
			throw new InvalidConfigurationPropertyValueException(key, duration, "Must be positive");
		}
		return duration;
	}

}
