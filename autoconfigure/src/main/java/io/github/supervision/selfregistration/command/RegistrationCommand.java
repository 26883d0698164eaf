package io.github.supervision.selfregistration.command;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import io.github.supervision.autoconfigure.RunitProperties;
import io.github.supervision.registration.Activation;
import io.github.supervision.registration.InstallResult;
import io.github.supervision.registration.Installer;
import io.github.supervision.registration.JvmFacts;
import io.github.supervision.registration.Registration;
import io.github.supervision.registration.RegistrationException;
import io.github.supervision.registration.RegistrationSpec;
import io.github.supervision.registration.RunitInstaller;
import io.github.supervision.registration.SupervisordInstaller;
import io.github.supervision.registration.SystemdInstaller;
import io.github.supervision.selfregistration.RegistrationProperties;
import io.github.supervision.selfregistration.RegistrationProperties.Mode;
import io.github.supervision.selfregistration.SelfRegistration;
import io.github.supervision.selfregistration.activation.BackendActivations;
import io.github.supervision.selfregistration.activation.Backends;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

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

	private static final String PREFIX = RegistrationProperties.PREFIX + ".";

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
		Mode verb = mode(mode);
		if (verb == null) {
			this.err.println("Unknown registration mode '" + mode + "': use print, install or uninstall");
			return USAGE;
		}
		String moved = MovedProperties.describe(this.environment);
		if (moved != null) {
			this.err.println(moved);
			return USAGE;
		}
		try {
			RegistrationProperties properties = bind();
			if (properties == null) {
				return USAGE;
			}
			SelfRegistration self = new SelfRegistration(properties, this.environment, this.arguments, this.facts);
			RegistrationSpec spec = self.spec();
			Registration registration = self.generator().generate(spec);
			switch (verb) {
				case INSTALL -> {
					warnAboutSecrets(spec);
					try (Backends backends = new Backends()) {
						InstallResult result = installer(self, backends).install(registration, properties.isStart());
						this.out.print(result.describe("Wrote"));
					}
				}
				case UNINSTALL -> {
					try (Backends backends = new Backends()) {
						this.out.print(installer(self, backends).uninstall(registration).describe("Removed"));
					}
				}
				case PRINT -> {
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

	private static @Nullable Mode mode(String mode) {
		String verb = mode.trim().toUpperCase(Locale.ROOT);
		if (verb.isEmpty()) {
			return Mode.PRINT;
		}
		for (Mode candidate : Mode.values()) {
			if (candidate.name().equals(verb)) {
				return candidate;
			}
		}
		return null;
	}

	// An unknown supervisor is a usage error, as an unknown mode is
	private @Nullable RegistrationProperties bind() {
		try {
			return SelfRegistration.bind(this.environment);
		}
		catch (BindException ex) {
			if (ex.getName().equals(ConfigurationPropertyName.of(PREFIX + "supervisor"))) {
				Object value = (ex.getProperty() != null) ? ex.getProperty().getValue() : null;
				this.err.println("Unknown supervisor '" + value
						+ "' in 'supervision.registration.supervisor': use systemd, runit or supervisord");
				return null;
			}
			throw ex;
		}
	}

	// Names only: the values are what must not be shown
	private void warnAboutSecrets(RegistrationSpec spec) {
		for (String option : spec.command().secretLookingOptions()) {
			String warning = "Warning: " + option + " looks like a secret; its value is written into the "
					+ "service definition and visible to every user in the process list. Pass it in " + PREFIX
					+ "run-as.environment.* instead";
			logger.warn(warning);
			this.out.println(warning);
		}
	}

	private Installer installer(SelfRegistration self, Backends backends) {
		RegistrationProperties properties = self.properties();
		return switch (properties.getSupervisor()) {
			case SYSTEMD -> new SystemdInstaller(self.files(), systemdActivation(properties, backends));
			case RUNIT -> new RunitInstaller(self.files(), scanDirectory(properties));
			case SUPERVISORD -> new SupervisordInstaller(self.files(), supervisordActivation(properties, backends));
		};
	}

	// The runit backend's scan directory unless the registration names another
	private Path scanDirectory(RegistrationProperties properties) {
		Path scanDirectory = SelfRegistration.path(properties.getRunit().getScanDirectory());
		if (scanDirectory != null) {
			return scanDirectory;
		}
		RunitProperties runit = Binder.get(this.environment).bindOrCreate("supervision.runit", RunitProperties.class);
		return runit.getServiceDirectory().toPath().toAbsolutePath().normalize();
	}

	// The backend's activation, or the commands for a person when the activation is off
	// or dbus-java is not on the class path
	private Activation systemdActivation(RegistrationProperties properties, Backends backends) {
		if (!properties.getActivation().isEnabled()
				|| !ClassUtils.isPresent(DBUS_CONNECTION, getClass().getClassLoader())) {
			return SystemdInstaller.manual(properties.getSystemd().getScope());
		}
		return BackendActivations.systemd(Binder.get(this.environment), properties.getSystemd().getScope(),
				properties.getActivation().getTimeout(), backends);
	}

	// The backend's activation, or the command for a person when the activation is off
	// or the HTTP client is not on the class path
	private Activation supervisordActivation(RegistrationProperties properties, Backends backends) {
		if (!properties.getActivation().isEnabled()
				|| !ClassUtils.isPresent(HTTP_CLIENT, getClass().getClassLoader())) {
			return SupervisordInstaller.manual();
		}
		return BackendActivations.supervisord(Binder.get(this.environment), properties.getActivation().getTimeout(),
				backends);
	}

}
