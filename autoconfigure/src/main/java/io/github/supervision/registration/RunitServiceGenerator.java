package io.github.supervision.registration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Generates a runit service directory: {@code run} ({@code exec 2>&1}, then
 * {@code exec chpst -e <envdir> -u user:group java …} with every word single-quoted for
 * {@code /bin/sh}), the envdir {@code env/} (mode {@code 0700}, one {@code 0600} file per
 * environment variable, read by {@code chpst} as root), {@code finish} when the service
 * must not always be restarted, {@code log/run} with {@code svlogd} when a log directory
 * is set, and {@code down} when the service is not started automatically. The log
 * directory is refused when it is a link or its parent may be written by a user other
 * than root, because {@code log/run} gives it to the service's user as root. runit has no
 * readiness protocol, watchdog or timeouts: those settings are not used here.
 *
 * @author Supervision contributors
 */
public final class RunitServiceGenerator implements RegistrationGenerator {

	private static final String PREFIX = RegistrationSpec.REGISTRATION_PREFIX;

	private static final String ENVDIR = "env";

	@Override
	public String supervisor() {
		return "runit";
	}

	@Override
	public Registration generate(RegistrationSpec spec) {
		String name = spec.name();
		List<GeneratedFile> files = new ArrayList<>();
		Path logDirectory = spec.policy().logDirectory();
		if (logDirectory != null) {
			checkLogDirectory(logDirectory);
			files.add(new GeneratedFile(name + "/log/run", logRun(spec, logDirectory), GeneratedFile.SCRIPT));
		}
		String finish = finish(spec);
		if (finish != null) {
			files.add(new GeneratedFile(name + "/finish", finish, GeneratedFile.SCRIPT));
		}
		if (!spec.policy().autostart()) {
			files.add(new GeneratedFile(name + "/down", "# " + Registration.markerLine(name) + "\n",
					GeneratedFile.CONFIGURATION));
		}
		spec.runAs()
			.environment()
			.forEach((key, value) -> files.add(new GeneratedFile(name + "/" + ENVDIR + "/" + key,
					environmentValue(spec, key, value), GeneratedFile.PRIVATE)));
		files.add(new GeneratedFile(name + "/run", run(spec), GeneratedFile.SCRIPT));
		return new Registration(supervisor(), name, files, spec.policy().autostart());
	}

	private String run(RegistrationSpec spec) {
		StringBuilder script = header(spec);
		script.append("exec 2>&1\n");
		if (!spec.runAs().environment().isEmpty()) {
			// runsv starts ./run in the service directory; the cd below leaves it
			script.append("envdir=\"$(pwd)/" + ENVDIR + "\" || exit 1\n");
		}
		if (spec.runAs().workingDirectory() != null) {
			script.append("cd ")
				.append(ShellSyntax.word(RunAs.PREFIX + "working-directory",
						spec.runAs().workingDirectory().toString()))
				.append(" || exit 1\n");
		}
		if (spec.runAs().environmentFile() != null) {
			script.append("set -a\n. ")
				.append(ShellSyntax.word(RunAs.PREFIX + "environment-file", spec.runAs().environmentFile().toString()))
				.append(" || exit 1\nset +a\n");
		}
		script.append("exec ");
		String chpstUser = chpstUser(spec);
		if (!spec.runAs().environment().isEmpty() || chpstUser != null) {
			script.append("chpst ");
		}
		if (!spec.runAs().environment().isEmpty()) {
			script.append("-e \"$envdir\" ");
		}
		if (chpstUser != null) {
			script.append("-u ").append(ShellSyntax.word(RunAs.PREFIX + "user", chpstUser)).append(' ');
		}
		script.append(ShellSyntax.words(PREFIX + "command", spec.commandLine())).append('\n');
		return script.toString();
	}

	private String logRun(RegistrationSpec spec, Path logDirectory) {
		String directory = ShellSyntax.word(PREFIX + "runit.log-directory", logDirectory.toString());
		StringBuilder script = header(spec);
		script.append("mkdir -p ").append(directory).append(" || exit 1\n");
		String chpstUser = chpstUser(spec);
		if (chpstUser != null) {
			String owner = ShellSyntax.word(RunAs.PREFIX + "user", chpstUser);
			// Root gives the directory away: never through a link put in its place
			script.append("if [ -L ")
				.append(directory)
				.append(" ] || [ ! -d ")
				.append(directory)
				.append(" ]; then\n  echo 'refusing to chown '")
				.append(directory)
				.append("': not a directory or a link' >&2\n  exit 1\nfi\n");
			script.append("chown -h ").append(owner).append(' ').append(directory).append(" || exit 1\n");
			script.append("exec chpst -u ").append(owner).append(" svlogd -tt ").append(directory).append('\n');
		}
		else {
			script.append("exec svlogd -tt ").append(directory).append('\n');
		}
		return script.toString();
	}

	// chpst reads the first line and drops trailing spaces and tabs; the marker follows
	private static String environmentValue(RegistrationSpec spec, String key, String value) {
		String property = RunAs.PREFIX + "environment." + key;
		Values.environmentName(property, key);
		Values.text(property, value);
		if (value.endsWith(" ") || value.endsWith("\t")) {
			throw new RegistrationException(property,
					"chpst drops spaces and tabs at the end of an envdir value; remove them");
		}
		return value + "\n# " + Registration.markerLine(spec.name()) + "\n";
	}

	/**
	 * Refuse a log directory that {@code log/run}, running as root, could be tricked into
	 * giving away: one that is a link, or whose parent (the nearest existing ancestor)
	 * someone other than root or the installing user owns or may write.
	 * @param directory the log directory
	 * @throws RegistrationException naming
	 * {@code supervision.registration.runit.log-directory}
	 */
	static void checkLogDirectory(Path directory) {
		String property = PREFIX + "runit.log-directory";
		if (Files.isSymbolicLink(directory)) {
			throw new RegistrationException(property, directory + " is a link; use the directory it points to");
		}
		if (Files.exists(directory, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(directory)) {
			throw new RegistrationException(property, directory + " is not a directory");
		}
		Path parent = directory.getParent();
		while (parent != null && !Files.exists(parent)) {
			parent = parent.getParent();
		}
		if (parent == null) {
			return;
		}
		try {
			PosixFileAttributes attributes = Files.readAttributes(parent, PosixFileAttributes.class);
			String owner = attributes.owner().getName();
			boolean othersWrite = attributes.permissions().contains(PosixFilePermission.GROUP_WRITE)
					|| attributes.permissions().contains(PosixFilePermission.OTHERS_WRITE);
			if (othersWrite || !(owner.equals("root") || owner.equals(System.getProperty("user.name")))) {
				throw new RegistrationException(property, parent + " (owned by " + owner + ", "
						+ PosixFilePermissions.toString(attributes.permissions()) + ") may be written by a user "
						+ "other than root, who could put a link in place of the log directory; choose a directory "
						+ "whose parent only root may write");
			}
		}
		catch (IOException ex) {
			throw new RegistrationException(property,
					parent + " cannot be checked (" + ex.getClass().getSimpleName() + ")");
		}
	}

	private @Nullable String finish(RegistrationSpec spec) {
		return switch (spec.policy().restart()) {
			case ALWAYS -> null;
			case NO -> finish(spec, "# Never restarted: runsv restarts ./run unless the service is down\n",
					"[ \"$want\" = u ] && exec sv down .\n");
			case ON_FAILURE ->
				finish(spec, "# Restarted only after a failure: a clean exit (0, or 143 after SIGTERM) takes it down\n",
						"case \"$1\" in\n0 | 143) [ \"$want\" = u ] && exec sv down . ;;\nesac\n");
		};
	}

	// Byte 18 of supervise/status is what runsv wants: 'u' or 'd' (also while it exits).
	// A
	// 'd' written while runsv exits would replace the exit, so only a service runsv still
	// wants up is taken down
	private static String finish(RegistrationSpec spec, String comment, String takeDown) {
		return header(spec).append(comment)
			.append("want=\"$(dd if=supervise/status bs=1 skip=17 count=1 2>/dev/null)\"\n")
			.append(takeDown)
			.append("exit 0\n")
			.toString();
	}

	private static StringBuilder header(RegistrationSpec spec) {
		return new StringBuilder("#!/bin/sh\n# ").append(Registration.markerLine(spec.name())).append('\n');
	}

	private static @Nullable String chpstUser(RegistrationSpec spec) {
		if (spec.runAs().user() == null) {
			if (spec.runAs().group() != null) {
				throw new RegistrationException(RunAs.PREFIX + "group",
						"chpst needs a user to set a group; set 'user'");
			}
			return null;
		}
		return (spec.runAs().group() != null) ? spec.runAs().user() + ":" + spec.runAs().group() : spec.runAs().user();
	}

}
