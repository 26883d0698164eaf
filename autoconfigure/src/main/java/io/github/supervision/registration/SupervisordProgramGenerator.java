package io.github.supervision.registration;

import java.time.Duration;
import java.util.List;

/**
 * Generates a supervisord {@code [program:<name>]} section ({@code <name>.conf}, for an
 * {@code [include]} directory): the exact command line, directory, user, autostart, the
 * restart policy (restart only on an unexpected exit, where 0 and 143 are expected),
 * startsecs, {@code TERM} as stop signal, stopwaitsecs, environment and log files. A
 * section that holds environment values is mode {@code 0600}, readable by supervisord
 * (root) only. supervisord has no readiness protocol or watchdog: those settings are not
 * used here.
 *
 * @author Supervision contributors
 */
public final class SupervisordProgramGenerator implements RegistrationGenerator {

	private static final String PREFIX = RegistrationSpec.REGISTRATION_PREFIX;

	@Override
	public String supervisor() {
		return "supervisord";
	}

	@Override
	public Registration generate(RegistrationSpec spec) {
		StringBuilder text = new StringBuilder();
		text.append("; ").append(Registration.markerLine(spec.name())).append('\n');
		text.append("[program:").append(spec.name()).append("]\n");
		line(text, "command", SupervisordSyntax.command(PREFIX + "command", spec.commandLine()));
		if (spec.runAs().workingDirectory() != null) {
			line(text, "directory", SupervisordSyntax.value(RunAs.PREFIX + "working-directory",
					spec.runAs().workingDirectory().toString()));
		}
		if (spec.runAs().group() != null) {
			throw new RegistrationException(RunAs.PREFIX + "group",
					"supervisord runs a program with its user's groups; remove 'group' or use another supervisor");
		}
		if (spec.runAs().user() != null) {
			line(text, "user", SupervisordSyntax.value(RunAs.PREFIX + "user", spec.runAs().user()));
		}
		if (spec.runAs().environmentFile() != null) {
			throw new RegistrationException(RunAs.PREFIX + "environment-file",
					"supervisord cannot read an environment file; use 'environment' instead");
		}
		line(text, "autostart", Boolean.toString(spec.policy().autostart()));
		line(text, "autorestart", switch (spec.policy().restart()) {
			case NO -> "false";
			case ON_FAILURE -> "unexpected";
			case ALWAYS -> "true";
		});
		line(text, "exitcodes", "0,143");
		line(text, "startsecs", Long.toString(seconds(spec.policy().startSeconds())));
		line(text, "stopsignal", "TERM");
		if (spec.policy().stopTimeout() != null) {
			line(text, "stopwaitsecs", Long.toString(seconds(spec.policy().stopTimeout())));
		}
		if (!spec.runAs().environment().isEmpty()) {
			line(text, "environment",
					SupervisordSyntax.environment(RunAs.PREFIX + "environment", spec.runAs().environment()));
		}
		if (spec.policy().logDirectory() != null) {
			line(text, "redirect_stderr", "true");
			line(text, "stdout_logfile", SupervisordSyntax.value(PREFIX + "supervisord.log-directory",
					spec.policy().logDirectory().resolve(spec.name() + ".log").toString()));
		}
		return new Registration(supervisor(), spec.name(),
				List.of(new GeneratedFile(spec.name() + ".conf", text.toString(),
						spec.runAs().environment().isEmpty() ? GeneratedFile.CONFIGURATION : GeneratedFile.PRIVATE)),
				spec.policy().autostart());
	}

	private static void line(StringBuilder text, String key, String value) {
		text.append(key).append('=').append(value).append('\n');
	}

	private static long seconds(Duration duration) {
		long seconds = duration.getSeconds();
		return (duration.getNano() > 0) ? seconds + 1 : seconds;
	}

}
