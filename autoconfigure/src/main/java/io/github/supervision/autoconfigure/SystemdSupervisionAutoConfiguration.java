package io.github.supervision.autoconfigure;

import java.io.File;
import java.time.Duration;

import io.github.supervision.systemd.SystemdBackend;
import io.github.supervision.systemd.SystemdOptions;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@link SystemdBackend}, when dbus-java is on the class path.
 * The backend connects lazily, so the application starts when no bus is reachable.
 *
 * @author Supervision contributors
 */
@AutoConfiguration(after = SupervisionAutoConfiguration.class)
// A small class of dbus-java: the condition loads the class it names, and
// DBusConnection would load its whole hierarchy at every start-up
@ConditionalOnClass(name = "org.freedesktop.dbus.connections.impl.DBusConnection$DBusBusType")
@ConditionalOnBooleanProperty(name = "supervision.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "supervision.systemd.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SystemdProperties.class)
public final class SystemdSupervisionAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SystemdBackend systemdBackend(SystemdProperties properties) {
		return new SystemdBackend(options(properties), properties.getKillWhom());
	}

	private static SystemdOptions options(SystemdProperties properties) {
		requirePositive("supervision.systemd.connect-timeout", properties.getConnectTimeout());
		requirePositive("supervision.systemd.reconnect-backoff", properties.getReconnectBackoff());
		Duration maxBackoff = properties.getReconnectMaxBackoff();
		if (maxBackoff.compareTo(properties.getReconnectBackoff()) < 0) {
			throw new InvalidConfigurationPropertyValueException("supervision.systemd.reconnect-max-backoff",
					maxBackoff, "must not be shorter than supervision.systemd.reconnect-backoff");
		}
		try {
			File journal = properties.getJournalDirectory();
			return new SystemdOptions(properties.getBusAddress(), properties.getScope(), properties.getDiscover(),
					properties.getConnectTimeout(), properties.getReconnectBackoff(),
					properties.getReconnectMaxBackoff(), properties.getStatusCacheTtl(),
					(journal != null) ? journal.toPath() : null);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException("supervision.systemd.discover",
					String.join(",", properties.getDiscover()), ex.getMessage());
		}
	}

	private static void requirePositive(String key, Duration value) {
		if (value.isNegative() || value.isZero()) {
			throw new InvalidConfigurationPropertyValueException(key, value, "must be positive");
		}
	}

}
