package io.github.supervision.selfregistration;

import java.io.File;
import java.nio.file.Path;
import java.util.List;

import io.github.supervision.registration.GeneratedFiles;
import io.github.supervision.registration.JvmFacts;
import io.github.supervision.registration.RegistrationException;
import io.github.supervision.registration.RegistrationGenerator;
import io.github.supervision.registration.RegistrationSpec;
import io.github.supervision.registration.RunitInstaller;
import io.github.supervision.registration.RunitServiceGenerator;
import io.github.supervision.registration.SupervisordInstaller;
import io.github.supervision.registration.SupervisordProgramGenerator;
import io.github.supervision.registration.SystemdDirectives;
import io.github.supervision.registration.SystemdInstaller;
import io.github.supervision.registration.SystemdUnitGenerator;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * The application's own registration as configured by {@code supervision.registration.*}:
 * the spec built from the running JVM and the properties, the generator of the chosen
 * supervisor, and where its definition is installed. Shared by the one-shot command and
 * the report, so that both describe the same definition.
 *
 * @author Supervision contributors
 */
public final class SelfRegistration {

	private static final String PREFIX = RegistrationProperties.PREFIX + ".";

	private final RegistrationProperties properties;

	private final Environment environment;

	private final List<String> arguments;

	private final JvmFacts facts;

	/**
	 * Create the registration.
	 * @param properties the bound registration properties
	 * @param environment the application's environment
	 * @param arguments the application's command-line arguments
	 * @param facts how this JVM was started
	 */
	public SelfRegistration(RegistrationProperties properties, Environment environment, List<String> arguments,
			JvmFacts facts) {
		this.properties = properties;
		this.environment = environment;
		this.arguments = arguments;
		this.facts = facts;
	}

	/**
	 * Bind {@code supervision.registration.*} from an environment.
	 * @param environment the environment
	 * @return the properties
	 */
	public static RegistrationProperties bind(Environment environment) {
		return Binder.get(environment).bindOrCreate(RegistrationProperties.PREFIX, RegistrationProperties.class);
	}

	/**
	 * Return the properties this registration is built from.
	 * @return the properties
	 */
	public RegistrationProperties properties() {
		return this.properties;
	}

	/**
	 * Return the generator of the chosen supervisor.
	 * @return the generator
	 */
	public RegistrationGenerator generator() {
		return switch (this.properties.getSupervisor()) {
			case SYSTEMD -> new SystemdUnitGenerator(files().root());
			case RUNIT -> new RunitServiceGenerator();
			case SUPERVISORD -> new SupervisordProgramGenerator();
		};
	}

	/**
	 * Return where the chosen supervisor's definition is installed: the configured
	 * directory, or the supervisor's usual one.
	 * @return the installed files' root
	 */
	public GeneratedFiles files() {
		Path directory = path(this.properties.getDirectory());
		if (directory != null) {
			return new GeneratedFiles(directory);
		}
		return new GeneratedFiles(switch (this.properties.getSupervisor()) {
			case SYSTEMD -> SystemdInstaller.directory(this.properties.getSystemd().getScope(),
					Path.of(System.getProperty("user.home")));
			case RUNIT -> RunitInstaller.SERVICE_DEFINITIONS;
			case SUPERVISORD -> SupervisordInstaller.INCLUDE_DIRECTORY;
		});
	}

	/**
	 * Build the spec: the running JVM's command line and working directory, completed by
	 * the properties.
	 * @return the spec
	 * @throws RegistrationException if the properties cannot describe a service
	 */
	public RegistrationSpec spec() {
		RegistrationProperties properties = this.properties;
		String name = properties.getName();
		if (!StringUtils.hasText(name)) {
			name = this.environment.getProperty("spring.application.name");
		}
		if (!StringUtils.hasText(name)) {
			throw new RegistrationException(PREFIX + "name",
					"set a service name (or 'spring.application.name') for the registration");
		}
		RegistrationProperties.RunAs runAs = properties.getRunAs();
		RegistrationProperties.Policy policy = properties.getPolicy();
		RegistrationProperties.Systemd systemd = properties.getSystemd();
		RegistrationSpec.Builder builder = RegistrationSpec.fromJvm(name, this.facts, this.arguments,
				properties.isKeepDebugOptions());
		builder.description(properties.getDescription())
			.user(runAs.getUser(), runAs.getGroup())
			.environmentFile(path(runAs.getEnvironmentFile()))
			.restart(policy.getRestart())
			.autostart(policy.isAutostart())
			.startSeconds(policy.getStartSeconds())
			.timeouts(policy.getStartTimeout(), policy.getStopTimeout())
			.logDirectory(path(logDirectory()))
			.sdNotify((systemd.getNotify() != null) ? systemd.getNotify() : notifyAvailable())
			.watchdog(systemd.getWatchdog())
			.scope(systemd.getScope())
			.wantedBy(systemd.getWantedBy());
		if (runAs.getWorkingDirectory() != null) {
			builder.workingDirectory(path(runAs.getWorkingDirectory()));
		}
		runAs.getEnvironment().forEach(builder::environment);
		SystemdDirectives directives = SystemdDirectives.get();
		systemd.getDirectives().forEach((section, values) -> {
			String canonicalSection = directives.canonicalSection(section).orElse(section);
			values.forEach((directive, list) -> builder.systemdDirective(canonicalSection,
					directives.canonicalName(canonicalSection, directive).orElse(directive), list));
		});
		return builder.build();
	}

	// systemd always uses the journal
	private @Nullable File logDirectory() {
		return switch (this.properties.getSupervisor()) {
			case SYSTEMD -> null;
			case RUNIT -> this.properties.getRunit().getLogDirectory();
			case SUPERVISORD -> this.properties.getSupervisord().getLogDirectory();
		};
	}

	private boolean notifyAvailable() {
		return ClassUtils.isPresent("org.newsclub.net.unix.AFUNIXDatagramSocket", getClass().getClassLoader())
				&& this.environment.getProperty("supervision.notify.enabled", Boolean.class, true);
	}

	/**
	 * Return a file as an absolute, normalized path.
	 * @param file the file, or {@code null}
	 * @return the path, or {@code null}
	 */
	public static @Nullable Path path(@Nullable File file) {
		return (file != null) ? file.toPath().toAbsolutePath().normalize() : null;
	}

}
