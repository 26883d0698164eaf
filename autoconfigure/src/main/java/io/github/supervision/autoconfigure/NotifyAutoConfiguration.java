package io.github.supervision.autoconfigure;

import java.util.function.BooleanSupplier;

import io.github.supervision.notify.SystemdNotifier;
import io.github.supervision.notify.boot.NotifyStartupProgress;
import io.github.supervision.notify.boot.SystemdNotifyListener;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of sd_notify: a {@link SystemdNotifier} for {@code NOTIFY_SOCKET}
 * and the {@link SystemdNotifyListener} that reports readiness, status, stopping and
 * watchdog pings. Without {@code NOTIFY_SOCKET} both exist and do nothing.
 *
 * @author Supervision contributors
 */
@AutoConfiguration(before = SupervisionAutoConfiguration.class)
// junixsocket-common, named by a small class: the condition loads the class it names,
// and a datagram socket's would load the JDK's socket classes at every start-up
@ConditionalOnClass(name = "org.newsclub.net.unix.AFUNIXSocketCapability")
@ConditionalOnBooleanProperty(name = "supervision.notify.enabled", matchIfMissing = true)
@EnableConfigurationProperties(NotifyProperties.class)
public final class NotifyAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SystemdNotifier systemdNotifier() {
		return SystemdNotifier.fromEnvironment();
	}

	@Bean
	static NotifyStartupProgress notifyStartupProgress() {
		return new NotifyStartupProgress();
	}

	@Bean
	@ConditionalOnMissingBean
	SystemdNotifyListener systemdNotifyListener(SystemdNotifier notifier, NotifyProperties properties,
			ObjectProvider<NotifyStartupProgress> progress, ObjectProvider<WatchdogHealth> health) {
		WatchdogHealth watchdogHealth = health.getIfAvailable();
		BooleanSupplier healthy = (properties.isWatchdogRequiresHealth() && watchdogHealth != null)
				? watchdogHealth::isHealthy : () -> true;
		return new SystemdNotifyListener(notifier, properties.getStartupExtension(), progress.getIfAvailable(),
				healthy);
	}

	/**
	 * Whether the application's health allows watchdog pings.
	 */
	@FunctionalInterface
	interface WatchdogHealth {

		boolean isHealthy();

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HealthEndpoint.class)
	@ConditionalOnBooleanProperty("supervision.notify.watchdog-requires-health")
	static class HealthConfiguration {

		@Bean
		WatchdogHealth notifyWatchdogHealth(ObjectProvider<HealthEndpoint> healthEndpoint) {
			return () -> {
				HealthEndpoint endpoint = healthEndpoint.getIfAvailable();
				return endpoint == null || !Status.DOWN.equals(endpoint.health().getStatus());
			};
		}

	}

}
