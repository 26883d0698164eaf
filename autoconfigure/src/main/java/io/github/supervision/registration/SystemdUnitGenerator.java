package io.github.supervision.registration;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.github.supervision.systemd.SystemdScope;
import org.jspecify.annotations.Nullable;

/**
 * Generates a systemd service unit ({@code <name>.service}): {@code Type=notify} when the
 * application speaks sd_notify (else {@code Type=exec}), the exact command line,
 * {@code SuccessExitStatus=143} (a JVM stopped by SIGTERM exits 143), the restart policy,
 * and {@code [Install] WantedBy=}. The spec's directives are then applied: each replaces
 * the generated directive of the same name, after its name was checked against
 * {@link SystemdDirectives}. Those values are written as given, in systemd syntax
 * (specifiers such as {@code %h} keep working). The spec's environment variables go into
 * {@code <name>.env} next to the unit, mode {@code 0600}, read with
 * {@code EnvironmentFile=}: systemd reads it as root before it starts the service, and
 * unlike {@code Environment=} its values are not shown by {@code systemctl show} to every
 * user.
 *
 * @author Supervision contributors
 */
public final class SystemdUnitGenerator implements RegistrationGenerator {

	private static final String PREFIX = RegistrationSpec.REGISTRATION_PREFIX;

	private static final String UNIT = "Unit";

	private static final String SERVICE = "Service";

	private static final String INSTALL = "Install";

	private final SystemdDirectives directives;

	private final @Nullable Path unitDirectory;

	/**
	 * Create a generator that checks directives against systemd 252's table, for units
	 * installed in the scope's usual directory.
	 */
	public SystemdUnitGenerator() {
		this(SystemdDirectives.get(), null);
	}

	/**
	 * Create a generator that checks directives against systemd 252's table, for units
	 * installed in a given directory.
	 * @param unitDirectory the absolute directory the unit and its environment file are
	 * installed in
	 */
	public SystemdUnitGenerator(Path unitDirectory) {
		this(SystemdDirectives.get(), unitDirectory);
	}

	SystemdUnitGenerator(SystemdDirectives directives, @Nullable Path unitDirectory) {
		this.directives = directives;
		this.unitDirectory = unitDirectory;
	}

	@Override
	public String supervisor() {
		return "systemd";
	}

	@Override
	public Registration generate(RegistrationSpec spec) {
		UnitFile unit = unitFile(spec);
		String text = unit.render(List.of(Registration.markerLine(spec.name())));
		List<GeneratedFile> files = new ArrayList<>();
		files.add(new GeneratedFile(spec.name() + ".service", text, GeneratedFile.CONFIGURATION));
		if (!spec.runAs().environment().isEmpty()) {
			files.add(new GeneratedFile(environmentFileName(spec), environmentFile(spec), GeneratedFile.PRIVATE));
		}
		return new Registration(supervisor(), spec.name(), files, spec.policy().autostart());
	}

	private static String environmentFileName(RegistrationSpec spec) {
		return spec.name() + ".env";
	}

	// systemd's environment file syntax: a double-quoted value takes \ escapes before
	// " \ ` $ and nothing is expanded
	private static String environmentFile(RegistrationSpec spec) {
		StringBuilder text = new StringBuilder("# ").append(Registration.markerLine(spec.name())).append('\n');
		spec.runAs().environment().forEach((name, value) -> {
			String property = RunAs.PREFIX + "environment." + name;
			Values.environmentName(property, name);
			Values.text(property, value);
			text.append(name).append("=\"");
			value.chars().forEach((c) -> {
				if ("\"\\`$".indexOf(c) >= 0) {
					text.append('\\');
				}
				text.append((char) c);
			});
			text.append("\"\n");
		});
		return text.toString();
	}

	/**
	 * Build the unit file model, with the spec's directives applied.
	 * @param spec what to run and how
	 * @return the unit file
	 */
	public UnitFile unitFile(RegistrationSpec spec) {
		UnitFile unit = new UnitFile();
		unit.add(UNIT, "Description", SystemdSyntax.value(PREFIX + "description", spec.description()));
		if (spec.systemd().scope() == SystemdScope.SYSTEM) {
			unit.add(UNIT, "After", "network.target");
		}
		unit.add(SERVICE, "Type", spec.systemd().sdNotify() ? "notify" : "exec");
		unit.add(SERVICE, "ExecStart", SystemdSyntax.commandLine(PREFIX + "command", spec.commandLine()));
		if (spec.runAs().user() != null) {
			if (spec.systemd().scope() == SystemdScope.USER) {
				throw new RegistrationException(RunAs.PREFIX + "user",
						"a user manager runs units as its own user; " + "remove 'user' or use the system scope");
			}
			unit.add(SERVICE, "User", SystemdSyntax.value(RunAs.PREFIX + "user", spec.runAs().user()));
		}
		if (spec.runAs().group() != null) {
			unit.add(SERVICE, "Group", SystemdSyntax.value(RunAs.PREFIX + "group", spec.runAs().group()));
		}
		if (spec.runAs().workingDirectory() != null) {
			unit.add(SERVICE, "WorkingDirectory", SystemdSyntax.value(RunAs.PREFIX + "working-directory",
					spec.runAs().workingDirectory().toString()));
		}
		if (!spec.runAs().environment().isEmpty()) {
			Path directory = (this.unitDirectory != null) ? this.unitDirectory
					: SystemdInstaller.directory(spec.systemd().scope(), Path.of(System.getProperty("user.home")));
			unit.add(SERVICE, "EnvironmentFile",
					SystemdSyntax.value(PREFIX + "directory", directory.resolve(environmentFileName(spec)).toString()));
		}
		if (spec.runAs().environmentFile() != null) {
			unit.add(SERVICE, "EnvironmentFile",
					SystemdSyntax.value(RunAs.PREFIX + "environment-file", spec.runAs().environmentFile().toString()));
		}
		unit.add(SERVICE, "SuccessExitStatus", "143");
		unit.add(SERVICE, "Restart", switch (spec.policy().restart()) {
			case NO -> "no";
			case ON_FAILURE -> "on-failure";
			case ALWAYS -> "always";
		});
		if (spec.policy().startTimeout() != null) {
			unit.add(SERVICE, "TimeoutStartSec", SystemdSyntax.timeSpan(spec.policy().startTimeout()));
		}
		if (spec.policy().stopTimeout() != null) {
			unit.add(SERVICE, "TimeoutStopSec", SystemdSyntax.timeSpan(spec.policy().stopTimeout()));
		}
		if (spec.systemd().watchdog() != null) {
			if (!spec.systemd().sdNotify()) {
				throw new RegistrationException(SystemdSettings.PREFIX + "watchdog",
						"the watchdog needs sd_notify; set 'supervision.registration.systemd.notify' to true");
			}
			unit.add(SERVICE, "WatchdogSec", SystemdSyntax.timeSpan(spec.systemd().watchdog()));
		}
		List<String> wantedBy = spec.systemd().wantedBy().isEmpty()
				? List.of((spec.systemd().scope() == SystemdScope.USER) ? "default.target" : "multi-user.target")
				: spec.systemd().wantedBy();
		wantedBy.forEach((target) -> unit.add(INSTALL, "WantedBy",
				SystemdSyntax.value(SystemdSettings.PREFIX + "wanted-by", target)));
		spec.systemd().directives().forEach((section, values) -> values.forEach((name, list) -> {
			String property = SystemdSettings.PREFIX + "directives." + section + "." + name;
			this.directives.check(property, section, name);
			unit.replace(section, name, list);
		}));
		return unit;
	}

}
