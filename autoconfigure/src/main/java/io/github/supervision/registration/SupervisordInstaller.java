package io.github.supervision.registration;

import java.nio.file.Path;
import java.util.List;

/**
 * Installs a program section in supervisord's include directory (Debian:
 * {@code /etc/supervisor/conf.d}, read through {@code [include] files=conf.d/*.conf}).
 * Making supervisord load it ("update") is the {@link Activation}'s; without one wired to
 * the supervisord backend, the command is returned for a person.
 *
 * @author Supervision contributors
 */
public final class SupervisordInstaller extends ActivatedInstaller {

	/**
	 * Debian's include directory.
	 */
	public static final Path INCLUDE_DIRECTORY = Path.of("/etc/supervisor/conf.d");

	/**
	 * Create an installer that writes into Debian's include directory and returns the
	 * {@code supervisorctl} command for a person.
	 */
	public SupervisordInstaller() {
		this(new GeneratedFiles(INCLUDE_DIRECTORY), manual());
	}

	/**
	 * Return the activation that tells a person which {@code supervisorctl} commands to
	 * run.
	 * @return the activation
	 */
	public static Activation manual() {
		return new Activation() {

			@Override
			public Steps afterInstall(Registration registration, boolean start) {
				return Steps.left(afterInstallCommands(registration, start));
			}

			@Override
			public Steps beforeUninstall(Registration registration) {
				return Steps.left(List.of("supervisorctl stop " + registration.name()));
			}

			@Override
			public Steps afterUninstall(Registration registration) {
				return Steps.left(List.of("supervisorctl update " + registration.name()));
			}

		};
	}

	/**
	 * Return the {@code supervisorctl} commands that make supervisord load (and, when
	 * asked, start) a freshly written section.
	 * @param registration the registration
	 * @param start whether the program should also be started
	 * @return the commands
	 */
	public static List<String> afterInstallCommands(Registration registration, boolean start) {
		return (start && !registration.autostart())
				? List.of("supervisorctl update " + registration.name(), "supervisorctl start " + registration.name())
				: List.of("supervisorctl update " + registration.name());
	}

	/**
	 * Create an installer.
	 * @param files where the section is written
	 * @param activation makes supervisord load the section
	 */
	public SupervisordInstaller(GeneratedFiles files, Activation activation) {
		super(files, activation);
	}

	@Override
	public String supervisor() {
		return "supervisord";
	}

}
