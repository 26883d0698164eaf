package io.github.supervision.autoconfigure;

import java.util.function.BooleanSupplier;

import io.github.supervision.notify.SystemdNotifier;
import io.github.supervision.notify.boot.NotifyStartupProgress;
import io.github.supervision.notify.boot.SystemdNotifyListener;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.context.aot.AbstractAotProcessor;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.core.type.MethodMetadata;

/**
 * Auto-configuration of sd_notify: a {@link SystemdNotifier} for {@code NOTIFY_SOCKET}
 * and the {@link SystemdNotifyListener} that reports readiness, status, stopping and
 * watchdog pings. Without {@code NOTIFY_SOCKET} the notifier exists and does nothing, and
 * the listener is not created, unless the application defines its own notifier.
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

	/**
	 * What reports to systemd: only when something listens, so that an application
	 * started without {@code NOTIFY_SOCKET} does not pay for it at start-up.
	 */
	@Configuration(proxyBeanMethods = false)
	@Conditional(OnNotifyTargetCondition.class)
	static class ReportingConfiguration {

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

	}

	/**
	 * Matches when systemd listens ({@code NOTIFY_SOCKET} is set and usable, by the
	 * notifier's own rule) or the application defines a {@link SystemdNotifier} of its
	 * own, which may send anywhere. An application processed ahead of time always has the
	 * listener, idle without {@code NOTIFY_SOCKET}.
	 */
	static final class OnNotifyTargetCondition extends SpringBootCondition implements ConfigurationCondition {

		@Override
		public ConfigurationPhase getConfigurationPhase() {
			return ConfigurationPhase.REGISTER_BEAN;
		}

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			ConditionMessage.Builder message = ConditionMessage.forCondition("sd_notify target");
			if (SystemdNotifier.fromEnvironment().isEnabled()) {
				return ConditionOutcome.match(message.because("NOTIFY_SOCKET is set"));
			}
			if (Boolean.getBoolean(AbstractAotProcessor.AOT_PROCESSING)) {
				// the environment that counts is the one the application starts in
				return ConditionOutcome.match(message.because("the application is processed ahead of time"));
			}
			ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
			if (beanFactory != null) {
				for (String name : beanFactory.getBeanNamesForType(SystemdNotifier.class, true, false)) {
					if (!beanFactory.containsBeanDefinition(name) || !isOurs(beanFactory.getBeanDefinition(name))) {
						return ConditionOutcome.match(message.because("the application defines a notifier"));
					}
				}
			}
			return ConditionOutcome.noMatch(message.because("NOTIFY_SOCKET is not set"));
		}

		private static boolean isOurs(BeanDefinition definition) {
			MethodMetadata factoryMethod = (definition instanceof AnnotatedBeanDefinition annotated)
					? annotated.getFactoryMethodMetadata() : null;
			return factoryMethod != null
					&& NotifyAutoConfiguration.class.getName().equals(factoryMethod.getDeclaringClassName());
		}

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
