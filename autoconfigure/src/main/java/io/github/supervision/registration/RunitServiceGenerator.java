package io.github.supervision.registration;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Generates a runit service directory: {@code run} ({@code exec 2>&1}, then
 * {@code exec chpst -u user:group java …} with every word single-quoted for
 * {@code /bin/sh}), {@code finish} when the service must not always be restarted,
 * {@code log/run} with {@code svlogd} when a log directory is set, and {@code down} when
 * the service is not started automatically. runit has no readiness protocol, watchdog or
 * timeouts: those settings are not used here.
 *
 * @author Supervision contributors
 */
public final class RunitServiceGenerator implements RegistrationGenerator {

	private static final String PREFIX = RegistrationSpec.REGISTRATION_PREFIX;

	@Override
	public String supervisor() {
		return "runit";
	}

	@Override
	public Registration generate(RegistrationSpec spec) {
		String name = spec.name();
		List<GeneratedFile> files = new ArrayList<>();
		if (spec.logDirectory() != null) {
			files.add(new GeneratedFile(name + "/log/run", logRun(spec), GeneratedFile.SCRIPT));
		}
		String finish = finish(spec);
		if (finish != null) {
			files.add(new GeneratedFile(name + "/finish", finish, GeneratedFile.SCRIPT));
		}
		if (!spec.autostart()) {
			files.add(new GeneratedFile(name + "/down", "# " + Registration.markerLine(name) + "\n",
					GeneratedFile.CONFIGURATION));
		}
		files.add(new GeneratedFile(name + "/run", run(spec), GeneratedFile.SCRIPT));
		return new Registration(supervisor(), name, files, spec.autostart());
	}

	private String run(RegistrationSpec spec) {
		StringBuilder script = header(spec);
		script.append("exec 2>&1\n");
		if (spec.workingDirectory() != null) {
			script.append("cd ")
				.append(ShellSyntax.word(PREFIX + "working-directory", spec.workingDirectory().toString()))
				.append(" || exit 1\n");
		}
		if (spec.environmentFile() != null) {
			script.append("set -a\n. ")
				.append(ShellSyntax.word(PREFIX + "environment-file", spec.environmentFile().toString()))
				.append(" || exit 1\nset +a\n");
		}
		spec.environment()
			.forEach((key, value) -> script.append("export ")
				.append(ShellSyntax.word(PREFIX + "environment." + key,
						Values.environmentName(PREFIX + "environment." + key, key) + "=" + value))
				.append('\n'));
		script.append("exec ");
		String chpstUser = chpstUser(spec);
		if (chpstUser != null) {
			script.append("chpst -u ").append(ShellSyntax.word(PREFIX + "user", chpstUser)).append(' ');
		}
		script.append(ShellSyntax.words(PREFIX + "command", spec.commandLine())).append('\n');
		return script.toString();
	}

	private String logRun(RegistrationSpec spec) {
		String directory = ShellSyntax.word(PREFIX + "log-directory", spec.logDirectory().toString());
		StringBuilder script = header(spec);
		script.append("mkdir -p ").append(directory).append(" || exit 1\n");
		String chpstUser = chpstUser(spec);
		if (chpstUser != null) {
			String owner = ShellSyntax.word(PREFIX + "user", chpstUser);
			script.append("chown ").append(owner).append(' ').append(directory).append(" || exit 1\n");
			script.append("exec chpst -u ").append(owner).append(" svlogd -tt ").append(directory).append('\n');
		}
		else {
			script.append("exec svlogd -tt ").append(directory).append('\n');
		}
		return script.toString();
	}

	private @Nullable String finish(RegistrationSpec spec) {
		return switch (spec.restart()) {
			case ALWAYS -> null;
			case NO -> header(spec).append("# Never restarted: runsv restarts ./run unless the service is down\n")
				.append("exec sv down .\n")
				.toString();
			case ON_FAILURE -> header(spec)
				.append("# Restarted only after a failure: a clean exit (0, or 143 after SIGTERM) takes it down\n")
				.append("case \"$1\" in\n0 | 143) exec sv down . ;;\nesac\n")
				.toString();
		};
	}

	private static StringBuilder header(RegistrationSpec spec) {
		return new StringBuilder("#!/bin/sh\n# ").append(Registration.markerLine(spec.name())).append('\n');
	}

	private static @Nullable String chpstUser(RegistrationSpec spec) {
		if (spec.user() == null) {
			if (spec.group() != null) {
				throw new RegistrationException(PREFIX + "group", "chpst needs a user to set a group; set 'user'");
			}
			return null;
		}
		return (spec.group() != null) ? spec.user() + ":" + spec.group() : spec.user();
	}

}
