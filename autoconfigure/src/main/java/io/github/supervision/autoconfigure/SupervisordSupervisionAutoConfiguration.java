package io.github.supervision.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import io.github.supervision.supervisord.SupervisordBackend;
import io.github.supervision.supervisord.SupervisordClient;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.AotDetector;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.aot.AbstractAotProcessor;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Auto-configuration of the {@link SupervisordBackend}, when Apache HttpClient is on the
 * classpath and supervisord is configured (a declared program, or
 * {@code supervision.supervisord.url}) or detected (Debian's default socket exists). It
 * connects lazily: the application starts when supervisord is absent. Processed ahead of
 * time, it decides when the application starts instead, where the socket is.
 */
@AutoConfiguration(after = SupervisionAutoConfiguration.class)
// HttpClient 5, named by a small class: the condition loads the class it names
@ConditionalOnClass(name = "org.apache.hc.client5.http.impl.async.HttpAsyncClients")
@ConditionalOnBooleanProperty(name = "supervision.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "supervision.supervisord.enabled", matchIfMissing = true)
@Conditional(SupervisordSupervisionAutoConfiguration.OnSupervisordCondition.class)
@EnableConfigurationProperties(SupervisordProperties.class)
public final class SupervisordSupervisionAutoConfiguration {

	static final String DEFAULT_SOCKET = "/var/run/supervisor.sock";

	@Bean
	@ConditionalOnMissingBean
	@Nullable SupervisordBackend supervisordBackend(SupervisordProperties properties, Environment environment) {
		if (AotDetector.useGeneratedArtifacts() && !OnSupervisordCondition.outcome(environment).isMatch()) {
			// processed ahead of time, where the condition could not look at this
			// machine's socket and configuration: no backend, as the condition would say
			return null;
		}
		SupervisordClient client = new SupervisordClient(properties.getUrl(), properties.getUsername(),
				properties.getPassword(), properties.getConnectTimeout(), properties.getMaxInFlight(),
				(int) properties.getMaxResponseSize().toBytes());
		return new SupervisordBackend(client, properties.getReadTimeout(), properties.getPollInterval(),
				properties.isDiscover());
	}

	/**
	 * Matches when supervisord is configured or its default socket exists. Processed
	 * ahead of time ({@code spring-boot:process-aot}), it always matches: the socket is
	 * the run-time machine's, so the backend's bean method makes the same decision when
	 * the application starts.
	 */
	static class OnSupervisordCondition extends SpringBootCondition {

		private static final ConfigurationPropertyName SERVICES = ConfigurationPropertyName.of("supervision.services");

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			ConditionOutcome outcome = outcome(context.getEnvironment());
			if (!outcome.isMatch() && Boolean.getBoolean(AbstractAotProcessor.AOT_PROCESSING)) {
				return ConditionOutcome.match("processed ahead of time: decided when the application starts ("
						+ outcome.getMessage() + " at build time)");
			}
			return outcome;
		}

		static ConditionOutcome outcome(Environment environment) {
			Binder binder = Binder.get(environment);
			if (binder.bind("supervision.supervisord.url", String.class).isBound()) {
				return ConditionOutcome.match("supervision.supervisord.url is set");
			}
			if (mayDeclareAProgram(environment)) {
				Map<String, SupervisionProperties.Service> services = binder
					.bind("supervision.services", Bindable.mapOf(String.class, SupervisionProperties.Service.class))
					.orElse(Map.of());
				for (SupervisionProperties.Service service : services.values()) {
					// The declarations are parsed into beans only after this condition;
					// it
					// asks the same rule which backend each one names.
					if (DeclaredServices.SUPERVISORD.equals(DeclaredServices.backendOf(service))) {
						return ConditionOutcome.match("a supervisord program is declared");
					}
				}
			}
			if (Files.exists(Path.of(DEFAULT_SOCKET))) {
				return ConditionOutcome.match(DEFAULT_SOCKET + " exists");
			}
			return ConditionOutcome.noMatch("no supervisord program is declared, supervision.supervisord.url is not "
					+ "set and " + DEFAULT_SOCKET + " does not exist");
		}

		/**
		 * Whether a declared service may name supervisord: only one with a
		 * {@code program} or a {@code backend} can. Binding every declaration is the
		 * dearest step of this condition, so it is skipped when no property source holds
		 * such a key (a source that cannot list its names counts as holding one).
		 * @param environment the environment
		 * @return {@code false} when no declared service names a program or a backend
		 */
		private static boolean mayDeclareAProgram(Environment environment) {
			for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
				if (!(source instanceof IterableConfigurationPropertySource iterable)) {
					if (source.containsDescendantOf(SERVICES) != ConfigurationPropertyState.ABSENT) {
						return true;
					}
					continue;
				}
				try (Stream<ConfigurationPropertyName> names = iterable.stream()) {
					if (names.anyMatch(OnSupervisordCondition::namesABackend)) {
						return true;
					}
				}
			}
			return false;
		}

		// supervision.services.<name>.program or .backend
		private static boolean namesABackend(ConfigurationPropertyName name) {
			if (name.getNumberOfElements() < 4 || !SERVICES.isAncestorOf(name)) {
				return false;
			}
			String key = name.getElement(3, ConfigurationPropertyName.Form.UNIFORM);
			return "program".equals(key) || "backend".equals(key);
		}

	}

}
