package io.github.supervision.registration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Installs a runit service directory in {@code /etc/sv} and links it into the scan
 * directory (the runit backend's, {@code /etc/service} by default), where
 * {@code runsvdir} picks it up within five seconds and starts it unless it has a
 * {@code down} file. Uninstalling removes the link first ({@code runsvdir} then stops the
 * service and its {@code runsv}), then the files.
 *
 * @author Supervision contributors
 */
public final class RunitInstaller implements Installer {

	/**
	 * Debian's directory of service definitions.
	 */
	public static final Path SERVICE_DEFINITIONS = Path.of("/etc/sv");

	private final GeneratedFiles files;

	private final Path scanDirectory;

	/**
	 * Create an installer.
	 * @param files where service directories are written
	 * @param scanDirectory the directory {@code runsvdir} watches
	 */
	public RunitInstaller(GeneratedFiles files, Path scanDirectory) {
		this.files = files;
		this.scanDirectory = scanDirectory;
	}

	@Override
	public String supervisor() {
		return "runit";
	}

	@Override
	public InstallResult install(Registration registration, boolean start) {
		Path link = this.scanDirectory.resolve(registration.name());
		Path target = this.files.root().resolve(registration.name());
		checkLink(link, target);
		List<Path> written = this.files.write(registration);
		List<String> done = new ArrayList<>(Installer.removedStale(this.files.removeStale(registration)));
		if (!Files.isSymbolicLink(link)) {
			try {
				Path temporary = this.scanDirectory.resolve("." + registration.name() + ".link");
				Files.deleteIfExists(temporary);
				Files.createSymbolicLink(temporary, target);
				Files.move(temporary, link, StandardCopyOption.ATOMIC_MOVE);
				GeneratedFiles.forceDirectory(this.scanDirectory);
			}
			catch (IOException ex) {
				throw new RegistrationException(link.toString(), "cannot be linked to " + target + " ("
						+ ex.getClass().getSimpleName() + "); check that the scan directory exists and is writable");
			}
		}
		done.add("Linked " + link + " -> " + target + "; runsvdir supervises it within 5 seconds");
		List<String> remaining = new ArrayList<>();
		if (start && Files.exists(target.resolve("down"))) {
			remaining.add("sv up " + target);
		}
		return new InstallResult(supervisor(), registration.name(), written, done, remaining);
	}

	@Override
	public InstallResult uninstall(Registration registration) {
		Path link = this.scanDirectory.resolve(registration.name());
		Path target = this.files.root().resolve(registration.name());
		checkLink(link, target);
		List<String> done = new ArrayList<>();
		try {
			if (Files.deleteIfExists(link)) {
				done.add("Removed " + link + "; runsvdir stops the service and its runsv within 5 seconds");
			}
		}
		catch (IOException ex) {
			throw new RegistrationException(link.toString(),
					"cannot be removed (" + ex.getClass().getSimpleName() + ")");
		}
		List<Path> removed = this.files.remove(registration);
		List<String> remaining = new ArrayList<>();
		if (Files.isDirectory(target)) {
			remaining.add("rm -r " + target + "   (runsv's supervise/ state, once runsv has exited)");
		}
		return new InstallResult(supervisor(), registration.name(), removed, done, remaining);
	}

	private static void checkLink(Path link, Path target) {
		if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
			return;
		}
		try {
			if (Files.isSymbolicLink(link) && Files.readSymbolicLink(link).equals(target)) {
				return;
			}
		}
		catch (IOException ex) {
			// fall through: not a link we can read is not ours
		}
		throw new RegistrationException(link.toString(),
				"exists and is not a link to " + target + "; move it away first");
	}

}
