package io.github.supervision.autoconfigure;

import java.io.File;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import io.github.supervision.registration.Activation;
import io.github.supervision.registration.GeneratedFiles;
import io.github.supervision.registration.InstallResult;
import io.github.supervision.registration.Installer;
import io.github.supervision.registration.JvmFacts;
import io.github.supervision.registration.Registration;
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
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * The one-shot registration command: builds the spec from the running JVM and
 * {@code supervision.registration.*}, generates the definition for the chosen supervisor,
 * and prints, installs or uninstalls it.
 *
 * @author Supervision contributors
 */
final class RegistrationCommand {

	/**
	 * Exit status when the command did what was asked.
	 */
	static final int DONE = 0;

	/**
	 * Exit status when the registration could not be generated, installed or uninstalled.
	 */
	static final int FAILED = 1;

	/**
	 * Exit status when the command line asks for something that does not exist.
	 */
	static final int USAGE = 2;

	private static final Log logger = LogFactory.getLog(RegistrationCommand.class);

	private static final String PREFIX = "supervision.registration.";

	private static final String DBUS_CONNECTION = "org.freedesktop.dbus.connections.impl.DBusConnection";

	private static final String HTTP_CLIENT = "org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient";

	private final Environment environment;

	private final List<String> arguments;

	private final JvmFacts facts;

	private final PrintStream out;

	private final PrintStream err;

	RegistrationCommand(Environment environment, List<String> arguments, JvmFacts facts, PrintStream out,
			PrintStream err) {
		this.environment = environment;
		this.arguments = arguments;
		this.facts = facts;
		this.out = out;
		this.err = err;
	}

	/**
	 * Run the command.
	 * @param mode {@code print} (or empty), {@code install} or {@code uninstall}
	 * @return the exit status
	 */
	int run(String mode) {
		String verb = mode.trim().toLowerCase(Locale.ROOT);
		if (!List.of("", "print", "install", "uninstall").contains(verb)) {
			this.err.println("Unknown registration mode '" + mode + "': use print, install or uninstall");
			return USAGE;
		}
		try {
			RegistrationProperties properties = Binder.get(this.environment)
				.bindOrCreate("supervision.registration", RegistrationProperties.class);
			RegistrationGenerator generator = generator(properties);
			if (generator == null) {
				this.err.println("Unknown supervisor '" + properties.getSupervisor()
						+ "' in 'supervision.registration.supervisor': use systemd, runit or supervisord");
				return USAGE;
			}
			RegistrationSpec spec = spec(properties);
			Registration registration = generator.generate(spec);
			switch (verb) {
				case "install" -> {
					warnAboutSecrets(spec);
					try (Backends backends = new Backends()) {
						InstallResult result = installer(properties, backends).install(registration,
								properties.isStart());
						this.out.print(result.describe("Wrote"));
					}
				}
				case "uninstall" -> {
					try (Backends backends = new Backends()) {
						this.out.print(installer(properties, backends).uninstall(registration).describe("Removed"));
					}
				}
				default -> {
					warnAboutSecrets(spec);
					this.out.print(registration.describe());
					this.out.println("# Dry run: nothing was installed. Install with "
							+ "--supervision.registration.mode=install");
				}
			}
			return DONE;
		}
		catch (RegistrationException ex) {
			this.err.println("Registration failed: " + ex.getMessage());
			return FAILED;
		}
		catch (RuntimeException ex) {
			this.err.println("Registration failed: " + ex.getClass().getSimpleName()
					+ ((ex.getMessage() != null) ? ": " + ex.getMessage() : ""));
			return FAILED;
		}
	}

	// Names only: the values are what must not be shown
	private void warnAboutSecrets(RegistrationSpec spec) {
		for (String option : spec.secretLookingOptions()) {
			String warning = "Warning: " + option + " looks like a secret; its value is written into the "
					+ "service definition and visible to every user in the process list. Pass it in " + PREFIX
					+ "environment.* instead";
			logger.warn(warning);
			this.out.println(warning);
		}
	}

	static @Nullable RegistrationGenerator generator(RegistrationProperties properties) {
		return switch (properties.getSupervisor().toLowerCase(Locale.ROOT)) {
			case "systemd" -> new SystemdUnitGenerator(files(properties).root());
			case "runit" -> new RunitServiceGenerator();
			case "supervisord" -> new SupervisordProgramGenerator();
			default -> null;
		};
	}

	RegistrationSpec spec(RegistrationProperties properties) {
		String name = properties.getName();
		if (!StringUtils.hasText(name)) {
			name = this.environment.getProperty("spring.application.name");
		}
		if (!StringUtils.hasText(name)) {
			throw new RegistrationException(PREFIX + "name",
					"set a service name (or 'spring.application.name') for the registration");
		}
		RegistrationSpec.Builder builder = RegistrationSpec.fromJvm(name, this.facts, this.arguments,
				properties.isKeepDebugOptions());
		builder.description(properties.getDescription())
			.user(properties.getUser(), properties.getGroup())
			.environmentFile(path(properties.getEnvironmentFile()))
			.sdNotify((properties.getNotify() != null) ? properties.getNotify() : notifyAvailable())
			.watchdog(properties.getWatchdog())
			.timeouts(properties.getStartTimeout(), properties.getStopTimeout())
			.startSeconds(properties.getStartSeconds())
			.restart(properties.getRestart())
			.autostart(properties.isAutostart())
			.scope(properties.getScope())
			.wantedBy(properties.getWantedBy())
			.logDirectory(path(properties.getLogDirectory()));
		if (properties.getWorkingDirectory() != null) {
			builder.workingDirectory(path(properties.getWorkingDirectory()));
		}
		properties.getEnvironment().forEach(builder::environment);
		SystemdDirectives directives = SystemdDirectives.get();
		properties.getSystemd().forEach((section, values) -> {
			String canonicalSection = directives.canonicalSection(section).orElse(section);
			values.forEach((directive, list) -> builder.systemdDirective(canonicalSection,
					directives.canonicalName(canonicalSection, directive).orElse(directive), list));
		});
		return builder.build();
	}

	private boolean notifyAvailable() {
		return ClassUtils.isPresent("org.newsclub.net.unix.AFUNIXDatagramSocket", getClass().getClassLoader())
				&& this.environment.getProperty("supervision.notify.enabled", Boolean.class, true);
	}

	private Installer installer(RegistrationProperties properties, Backends backends) {
		GeneratedFiles files = files(properties);
		return switch (properties.getSupervisor().toLowerCase(Locale.ROOT)) {
			case "runit" -> new RunitInstaller(files, properties.getRunitScanDirectory().toPath().toAbsolutePath());
			case "supervisord" -> new SupervisordInstaller(files, supervisordActivation(properties, backends));
			default -> new SystemdInstaller(files, systemdActivation(properties, backends));
		};
	}

	/**
	 * Return where the chosen supervisor's definition is installed: the configured
	 * directory, or the supervisor's usual one.
	 * @param properties the registration properties
	 * @return the installed files' root
	 */
	static GeneratedFiles files(RegistrationProperties properties) {
		Path directory = path(properties.getDirectory());
		if (directory != null) {
			return new GeneratedFiles(directory);
		}
		return new GeneratedFiles(switch (properties.getSupervisor().toLowerCase(Locale.ROOT)) {
			case "runit" -> RunitInstaller.SERVICE_DEFINITIONS;
			case "supervisord" -> SupervisordInstaller.INCLUDE_DIRECTORY;
			default -> SystemdInstaller.directory(properties.getScope(), Path.of(System.getProperty("user.home")));
		});
	}

	// The backend's activation, or the commands for a person when the activation is off
	// or dbus-java is not on the class path
	private Activation systemdActivation(RegistrationProperties properties, Backends backends) {
		if (!properties.isActivate() || !ClassUtils.isPresent(DBUS_CONNECTION, getClass().getClassLoader())) {
			return SystemdInstaller.manual(properties.getScope());
		}
		return BackendActivations.systemd(Binder.get(this.environment), properties, backends);
	}

	// The backend's activation, or the command for a person when the activation is off
	// or the HTTP client is not on the class path
	private Activation supervisordActivation(RegistrationProperties properties, Backends backends) {
		if (!properties.isActivate() || !ClassUtils.isPresent(HTTP_CLIENT, getClass().getClassLoader())) {
			return SupervisordInstaller.manual();
		}
		return BackendActivations.supervisord(Binder.get(this.environment), properties, backends);
	}

	private static @Nullable Path path(@Nullable File file) {
		return (file != null) ? file.toPath().toAbsolutePath().normalize() : null;
	}

}
