package io.github.supervision.registration;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Installs a program section in supervisord's include directory (Debian:
 * {@code /etc/supervisor/conf.d}, read through {@code [include] files=conf.d/*.conf}).
 * Making supervisord load it ("update") is the {@link Activation}'s; without one wired to
 * the supervisord backend, the command is returned for a person.
 *
 * @author Supervision contributors
 */
public final class SupervisordInstaller implements Installer {

	/**
	 * Debian's include directory.
	 */
	public static final Path INCLUDE_DIRECTORY = Path.of("/etc/supervisor/conf.d");

	private final GeneratedFiles files;

	private final Activation activation;

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
			public List<String> afterInstall(Registration registration, boolean start) {
				return List.of("supervisorctl update " + registration.name());
			}

			@Override
			public List<String> beforeUninstall(Registration registration) {
				return List.of("supervisorctl stop " + registration.name());
			}

		};
	}

	/**
	 * Create an installer.
	 * @param files where the section is written
	 * @param activation makes supervisord load the section
	 */
	public SupervisordInstaller(GeneratedFiles files, Activation activation) {
		this.files = files;
		this.activation = activation;
	}

	@Override
	public String supervisor() {
		return "supervisord";
	}

	@Override
	public InstallResult install(Registration registration, boolean start) {
		List<Path> written = this.files.write(registration);
		return new InstallResult(supervisor(), registration.name(), written, List.of(),
				this.activation.afterInstall(registration, start));
	}

	@Override
	public InstallResult uninstall(Registration registration) {
		List<String> remaining = new ArrayList<>(this.activation.beforeUninstall(registration));
		List<Path> removed = this.files.remove(registration);
		if (!remaining.isEmpty()) {
			remaining.add("supervisorctl update " + registration.name());
		}
		return new InstallResult(supervisor(), registration.name(), removed, List.of(), remaining);
	}

}
