package io.github.supervision.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;

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
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.aot.AbstractAotProcessor;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Auto-configuration of the {@link SupervisordBackend}, when Apache HttpClient is on the
 * classpath and supervisord is in use (a declared program,
 * {@code supervision.supervisord.url}, {@code supervision.supervisord.discover} or
 * {@code supervision.supervisord.enabled=true}, as
 * {@link ConditionalOnSupervisionBackend} decides) or detected (Debian's default socket
 * exists). It connects lazily: the application starts when supervisord is absent.
 * Processed ahead of time, it decides when the application starts instead, where the
 * socket is.
 *
 * @author Supervision contributors
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
	 * Matches when supervisord is in use (the rule of
	 * {@link ConditionalOnSupervisionBackend}) or its default socket exists. Processed
	 * ahead of time ({@code spring-boot:process-aot}), it always matches: the socket is
	 * the run-time machine's, so the backend's bean method makes the same decision when
	 * the application starts.
	 */
	static class OnSupervisordCondition extends SpringBootCondition {

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
			ConditionOutcome inUse = OnSupervisionBackendCondition.outcome(environment, DeclaredServices.SUPERVISORD,
					"supervision.supervisord.url", "supervision.supervisord.discover");
			if (inUse.isMatch()) {
				return inUse;
			}
			if (Files.exists(Path.of(DEFAULT_SOCKET))) {
				return ConditionOutcome.match(DEFAULT_SOCKET + " exists");
			}
			return ConditionOutcome.noMatch(inUse.getMessage() + ", and " + DEFAULT_SOCKET + " does not exist");
		}

	}

}
