package io.github.supervision.registration;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link Installer} that writes the generated files and then tells the supervisor
 * through an {@link Activation}, as systemd (daemon-reload, enable, start) and
 * supervisord (update) need.
 *
 * @author Supervision contributors
 */
abstract class ActivatedInstaller implements Installer {

	private final GeneratedFiles files;

	private final Activation activation;

	ActivatedInstaller(GeneratedFiles files, Activation activation) {
		this.files = files;
		this.activation = activation;
	}

	@Override
	public final InstallResult install(Registration registration, boolean start) {
		List<Path> written = this.files.write(registration);
		List<String> done = new ArrayList<>(Installer.removedStale(this.files.removeStale(registration)));
		Activation.Steps steps = this.activation.afterInstall(registration, start);
		done.addAll(steps.done());
		return new InstallResult(supervisor(), registration.name(), written, done, steps.remaining());
	}

	@Override
	public final InstallResult uninstall(Registration registration) {
		Activation.Steps before = this.activation.beforeUninstall(registration);
		List<Path> removed = this.files.remove(registration);
		Activation.Steps after = this.activation.afterUninstall(registration);
		List<String> remaining = new ArrayList<>(before.remaining());
		remaining.addAll(after.remaining());
		return new InstallResult(supervisor(), registration.name(), before.done(), removed, after.done(), remaining);
	}

}
