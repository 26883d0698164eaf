package io.github.supervision.registration;

import java.util.List;

import io.github.supervision.registration.RegistrationSpec.Scope;

/**
 * Generates a systemd service unit ({@code <name>.service}): {@code Type=notify} when the
 * application speaks sd_notify (else {@code Type=exec}), the exact command line,
 * {@code SuccessExitStatus=143} (a JVM stopped by SIGTERM exits 143), the restart policy,
 * and {@code [Install] WantedBy=}. The spec's directives are then applied: each replaces
 * the generated directive of the same name, after its name was checked against
 * {@link SystemdDirectives}. Those values are written as given, in systemd syntax
 * (specifiers such as {@code %h} keep working).
 *
 * @author Supervision contributors
 */
public final class SystemdUnitGenerator implements RegistrationGenerator {

	private static final String PREFIX = RegistrationSpec.REGISTRATION_PREFIX;

	private static final String UNIT = "Unit";

	private static final String SERVICE = "Service";

	private static final String INSTALL = "Install";

	private final SystemdDirectives directives;

	/**
	 * Create a generator that checks directives against systemd 252's table.
	 */
	public SystemdUnitGenerator() {
		this(SystemdDirectives.get());
	}

	SystemdUnitGenerator(SystemdDirectives directives) {
		this.directives = directives;
	}

	@Override
	public String supervisor() {
		return "systemd";
	}

	@Override
	public Registration generate(RegistrationSpec spec) {
		UnitFile unit = unitFile(spec);
		String text = unit.render(List.of(Registration.markerLine(spec.name())));
		return new Registration(supervisor(), spec.name(),
				List.of(new GeneratedFile(spec.name() + ".service", text, GeneratedFile.CONFIGURATION)),
				spec.autostart());
	}

	/**
	 * Build the unit file model, with the spec's directives applied.
	 * @param spec what to run and how
	 * @return the unit file
	 */
	public UnitFile unitFile(RegistrationSpec spec) {
		UnitFile unit = new UnitFile();
		unit.add(UNIT, "Description", SystemdSyntax.value(PREFIX + "description", spec.description()));
		if (spec.scope() == Scope.SYSTEM) {
			unit.add(UNIT, "After", "network.target");
		}
		unit.add(SERVICE, "Type", spec.sdNotify() ? "notify" : "exec");
		unit.add(SERVICE, "ExecStart", SystemdSyntax.commandLine(PREFIX + "command", spec.commandLine()));
		if (spec.user() != null) {
			if (spec.scope() == Scope.USER) {
				throw new RegistrationException(PREFIX + "user",
						"a user manager runs units as its own user; " + "remove 'user' or use the system scope");
			}
			unit.add(SERVICE, "User", SystemdSyntax.value(PREFIX + "user", spec.user()));
		}
		if (spec.group() != null) {
			unit.add(SERVICE, "Group", SystemdSyntax.value(PREFIX + "group", spec.group()));
		}
		if (spec.workingDirectory() != null) {
			unit.add(SERVICE, "WorkingDirectory",
					SystemdSyntax.value(PREFIX + "working-directory", spec.workingDirectory().toString()));
		}
		spec.environment()
			.forEach((name, value) -> unit.add(SERVICE, "Environment",
					SystemdSyntax.environment(PREFIX + "environment." + name, name, value)));
		if (spec.environmentFile() != null) {
			unit.add(SERVICE, "EnvironmentFile",
					SystemdSyntax.value(PREFIX + "environment-file", spec.environmentFile().toString()));
		}
		unit.add(SERVICE, "SuccessExitStatus", "143");
		unit.add(SERVICE, "Restart", switch (spec.restart()) {
			case NO -> "no";
			case ON_FAILURE -> "on-failure";
			case ALWAYS -> "always";
		});
		if (spec.startTimeout() != null) {
			unit.add(SERVICE, "TimeoutStartSec", SystemdSyntax.timeSpan(spec.startTimeout()));
		}
		if (spec.stopTimeout() != null) {
			unit.add(SERVICE, "TimeoutStopSec", SystemdSyntax.timeSpan(spec.stopTimeout()));
		}
		if (spec.watchdog() != null) {
			if (!spec.sdNotify()) {
				throw new RegistrationException(PREFIX + "watchdog",
						"the watchdog needs sd_notify; set 'supervision.registration.notify' to true");
			}
			unit.add(SERVICE, "WatchdogSec", SystemdSyntax.timeSpan(spec.watchdog()));
		}
		List<String> wantedBy = spec.wantedBy().isEmpty()
				? List.of((spec.scope() == Scope.USER) ? "default.target" : "multi-user.target") : spec.wantedBy();
		wantedBy.forEach((target) -> unit.add(INSTALL, "WantedBy", SystemdSyntax.value(PREFIX + "wanted-by", target)));
		spec.systemdDirectives().forEach((section, values) -> values.forEach((name, list) -> {
			String property = PREFIX + "systemd." + section + "." + name;
			this.directives.check(property, section, name);
			unit.replace(section, name, list);
		}));
		return unit;
	}

}
