package io.github.supervision.autoconfigure;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.supervision.embedded.EmbeddedBackend;
import io.github.supervision.embedded.EmbeddedServiceSpec;
import io.github.supervision.embedded.RestartPolicy;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the embedded supervisor ({@link EmbeddedBackend}) for the
 * services declared with a {@code command} (or {@code backend: embedded}).
 *
 * @author Supervision contributors
 */
@AutoConfiguration(after = SupervisionAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "supervision.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "supervision.embedded.enabled", matchIfMissing = true)
@EnableConfigurationProperties(EmbeddedProperties.class)
public final class EmbeddedSupervisionAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EmbeddedBackend embeddedSupervisionBackend(DeclaredServices declared, EmbeddedProperties embedded) {
		return new EmbeddedBackend(specs(declared, embedded));
	}

	/**
	 * Build the specs of the embedded services among the declared ones.
	 * @param declared the declared services
	 * @param embedded the defaults
	 * @return the specs, in declaration order
	 * @throws InvalidConfigurationPropertyValueException naming the key of a wrong value
	 */
	static List<EmbeddedServiceSpec> specs(DeclaredServices declared, EmbeddedProperties embedded) {
		check("supervision.embedded.start-seconds", embedded.getStartSeconds());
		check("supervision.embedded.stop-timeout", embedded.getStopTimeout());
		checkRestartDelays("supervision.embedded.", embedded.getRestartDelay(), embedded.getRestartDelayMax(), false);
		if (embedded.getStartRetries() < 0) {
			throw new InvalidConfigurationPropertyValueException("supervision.embedded.start-retries",
					embedded.getStartRetries(), "Must not be negative");
		}
		long tailSize = embedded.getTailSize().toBytes();
		if (tailSize < 0 || tailSize > Integer.MAX_VALUE) {
			throw new InvalidConfigurationPropertyValueException("supervision.embedded.tail-size",
					embedded.getTailSize(), "Must be between 0 and 2GB");
		}
		List<EmbeddedServiceSpec> specs = new ArrayList<>();
		for (DeclaredServices.DeclaredService service : declared.forBackend(DeclaredServices.EMBEDDED)) {
			specs.add(spec(service, embedded, (int) tailSize));
		}
		return specs;
	}

	private static EmbeddedServiceSpec spec(DeclaredServices.DeclaredService declared, EmbeddedProperties embedded,
			int tailSize) {
		String key = declared.key();
		String name = declared.name().value();
		SupervisionProperties.Service service = declared.settings();
		List<String> command = service.getCommand();
		for (String argument : command) {
			if (argument.indexOf('\0') >= 0) {
				throw new InvalidConfigurationPropertyValueException(key + ".command", "(hidden)",
						"Arguments must not contain NUL characters");
			}
		}
		Duration startSeconds = check(key + ".start-seconds",
				orDefault(service.getStartSeconds(), embedded.getStartSeconds()));
		Duration stopTimeout = check(key + ".stop-timeout",
				orDefault(service.getStopTimeout(), embedded.getStopTimeout()));
		int startRetries = orDefault(service.getStartRetries(), embedded.getStartRetries());
		if (startRetries < 0) {
			throw new InvalidConfigurationPropertyValueException(key + ".start-retries", startRetries,
					"Must not be negative");
		}
		Duration restartDelay = orDefault(service.getRestartDelay(), embedded.getRestartDelay());
		Duration restartDelayMax = orDefault(service.getRestartDelayMax(), embedded.getRestartDelayMax());
		checkRestartDelays(key + ".", restartDelay, restartDelayMax,
				service.getRestartDelay() != null && service.getRestartDelayMax() == null);
		Path workingDirectory = path(service.getWorkingDirectory());
		if (workingDirectory != null && !workingDirectory.toFile().isDirectory()) {
			throw new InvalidConfigurationPropertyValueException(key + ".working-directory", workingDirectory,
					"Not a directory");
		}
		for (Map.Entry<String, String> variable : service.getEnvironment().entrySet()) {
			if (variable.getKey().isEmpty() || variable.getKey().indexOf('=') >= 0
					|| variable.getKey().indexOf('\0') >= 0 || variable.getValue().indexOf('\0') >= 0) {
				throw new InvalidConfigurationPropertyValueException(key + ".environment", variable.getKey(),
						"Variable names must not be empty or contain '=' or NUL, values must not contain NUL");
			}
		}
		RestartPolicy restart = orDefault(service.getRestart(), RestartPolicy.ON_FAILURE);
		EmbeddedServiceSpec spec = new EmbeddedServiceSpec(name, command, workingDirectory, service.getEnvironment(),
				restart, startSeconds, startRetries, restartDelay, restartDelayMax, stopTimeout, service.isAutostart(),
				path(service.getLogFile()), tailSize);
		if (EmbeddedBackend.findExecutable(spec) == null) {
			throw new InvalidConfigurationPropertyValueException(key + ".command[0]", command.get(0),
					"No such executable file (a name without '/' is looked up in PATH; a relative path is resolved "
							+ "in the working directory)");
		}
		return spec;
	}

	private static Duration check(String key, Duration duration) {
		if (duration == null || duration.isNegative()) {
			throw new InvalidConfigurationPropertyValueException(key, duration, "Must not be negative");
		}
		return duration;
	}

	/**
	 * Check a pair of restart delays.
	 * @param prefix the prefix of their keys, ending in a dot
	 * @param first the first delay
	 * @param max the longest delay
	 * @param blameFirst whether a first delay longer than the longest is reported on the
	 * first delay's key (it was set where the longest was inherited)
	 */
	private static void checkRestartDelays(String prefix, Duration first, Duration max, boolean blameFirst) {
		check(prefix + "restart-delay", first);
		if (max == null || max.isNegative() || max.isZero()) {
			throw new InvalidConfigurationPropertyValueException(prefix + "restart-delay-max", max,
					"Must be positive: a run must last this long to count as healthy");
		}
		if (max.compareTo(first) < 0) {
			throw blameFirst
					? new InvalidConfigurationPropertyValueException(prefix + "restart-delay", first,
							"Must not be longer than restart-delay-max (" + max + ")")
					: new InvalidConfigurationPropertyValueException(prefix + "restart-delay-max", max,
							"Must not be shorter than restart-delay (" + first + ")");
		}
	}

	private static @Nullable Path path(@Nullable File file) {
		return (file != null) ? file.toPath() : null;
	}

	private static <T> T orDefault(@Nullable T value, T defaultValue) {
		return (value != null) ? value : defaultValue;
	}

}
