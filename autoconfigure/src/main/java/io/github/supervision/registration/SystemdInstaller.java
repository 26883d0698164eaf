package io.github.supervision.registration;

import java.nio.file.Path;
import java.util.List;

import io.github.supervision.systemd.SystemdScope;

/**
 * Installs a unit in {@code /etc/systemd/system} (system scope) or
 * {@code ~/.config/systemd/user} (user scope). Reloading and enabling are the
 * {@link Activation}'s; without one wired to the systemd backend, the commands are
 * returned for a person.
 *
 * @author Supervision contributors
 */
public final class SystemdInstaller extends ActivatedInstaller {

	/**
	 * Directory of the system manager's local units.
	 */
	public static final Path SYSTEM_UNITS = Path.of("/etc/systemd/system");

	/**
	 * Create an installer that writes into the scope's usual directory and returns the
	 * {@code systemctl} commands for a person.
	 * @param scope the scope
	 * @param userHome the home directory, for the user scope
	 */
	public SystemdInstaller(SystemdScope scope, Path userHome) {
		this(new GeneratedFiles(directory(scope, userHome)), manual(scope));
	}

	/**
	 * Create an installer.
	 * @param files where the unit is written
	 * @param activation reloads and enables the unit
	 */
	public SystemdInstaller(GeneratedFiles files, Activation activation) {
		super(files, activation);
	}

	/**
	 * Return the directory units of a scope are installed in.
	 * @param scope the scope
	 * @param userHome the home directory, for the user scope
	 * @return the directory
	 */
	public static Path directory(SystemdScope scope, Path userHome) {
		return (scope == SystemdScope.USER) ? userHome.resolve(".config/systemd/user") : SYSTEM_UNITS;
	}

	/**
	 * Return the activation that tells a person which {@code systemctl} commands to run.
	 * @param scope the scope
	 * @return the activation
	 */
	public static Activation manual(SystemdScope scope) {
		String systemctl = (scope == SystemdScope.USER) ? "systemctl --user" : "systemctl";
		return new Activation() {

			@Override
			public Steps afterInstall(Registration registration, boolean start) {
				return Steps.left(afterInstallCommands(scope, registration, start));
			}

			@Override
			public Steps beforeUninstall(Registration registration) {
				return Steps.left(List.of(systemctl + " disable --now " + registration.name() + ".service"));
			}

			@Override
			public Steps afterUninstall(Registration registration) {
				return Steps.left(List.of(systemctl + " daemon-reload"));
			}

		};
	}

	/**
	 * Return the {@code systemctl} commands that make systemd load, enable and (when
	 * asked) start a freshly written unit.
	 * @param scope the scope
	 * @param registration the registration
	 * @param start whether the service should also be started
	 * @return the commands
	 */
	public static List<String> afterInstallCommands(SystemdScope scope, Registration registration, boolean start) {
		String systemctl = (scope == SystemdScope.USER) ? "systemctl --user" : "systemctl";
		String unit = registration.name() + ".service";
		if (registration.autostart()) {
			return List.of(systemctl + " daemon-reload", systemctl + " enable " + (start ? "--now " : "") + unit);
		}
		return start ? List.of(systemctl + " daemon-reload", systemctl + " start " + unit)
				: List.of(systemctl + " daemon-reload");
	}

	@Override
	public String supervisor() {
		return "systemd";
	}

}
