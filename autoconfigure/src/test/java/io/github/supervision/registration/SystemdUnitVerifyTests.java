package io.github.supervision.registration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.github.supervision.registration.SupervisionPolicy.Restart;
import io.github.supervision.systemd.SystemdScope;
import io.github.supervision.testsupport.Commands;
import io.github.supervision.testsupport.RealDaemons;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every generated unit passes systemd's own {@code systemd-analyze verify} without a
 * single line of output (it exits 0 even when it warns, so the output is what counts).
 * That the words of {@code ExecStart=} come back exactly is checked against the escaping
 * table in {@link SystemdSyntaxTests}; reading them back from a running manager
 * ({@code systemctl show -p ExecStart}) needs the booted systemd sandbox.
 *
 * @author Supervision contributors
 */
class SystemdUnitVerifyTests {

	private static final String ANALYZE = "/usr/bin/systemd-analyze";

	private final SystemdUnitGenerator generator = new SystemdUnitGenerator();

	@TempDir
	Path temp;

	private Path java;

	@BeforeEach
	void requireSystemdAnalyze() {
		RealDaemons.requireExecutables(ANALYZE);
		this.java = JvmFacts.current().javaBinary();
	}

	@Test
	void aPlainUnitVerifiesCleanly() throws Exception {
		assertVerifiesCleanly(Specs.orders().javaBinary(this.java).user(null, null).build(), false);
	}

	@Test
	void aNotifyUnitWithWatchdogUserAndEnvironmentVerifiesCleanly() throws Exception {
		RegistrationSpec spec = Specs.orders()
			.javaBinary(this.java)
			.user("daemon", "daemon")
			.workingDirectory(this.temp)
			.environmentFile(Path.of("/etc/orders/env"))
			.sdNotify(true)
			.watchdog(Duration.ofMillis(1500))
			.restart(Restart.ALWAYS)
			.build();
		assertVerifiesCleanly(spec, false);
	}

	@Test
	void aUnitWithEveryHazardInItsCommandLineVerifiesCleanly() throws Exception {
		RegistrationSpec spec = Specs.orders()
			.javaBinary(this.java)
			.user(null, null)
			.jvmOptions(Specs.TRICKY_ARGUMENTS)
			.arguments(Specs.TRICKY_ARGUMENTS)
			.environment("TRICKY", String.join(" ", Specs.TRICKY_ARGUMENTS))
			.description("Orders: 100% \"quoted\" \u2713 $HOME")
			.build();
		assertVerifiesCleanly(spec, false);
	}

	@Test
	void aUnitWithUserDirectivesVerifiesCleanly() throws Exception {
		RegistrationSpec spec = Specs.orders()
			.javaBinary(this.java)
			.user(null, null)
			.systemdDirective("Unit", "After", List.of("network-online.target"))
			.systemdDirective("Unit", "Wants", List.of("network-online.target"))
			.systemdDirective("Service", "RestartSec", List.of("11"))
			.systemdDirective("Service", "LimitNOFILE", List.of("65536"))
			.systemdDirective("Service", "ExecStartPre", List.of("/bin/true first", "/bin/true second"))
			.systemdDirective("Install", "Alias", List.of("orders-alias.service"))
			.build();
		assertVerifiesCleanly(spec, false);
	}

	@Test
	void aUserManagerUnitVerifiesCleanly() throws Exception {
		RegistrationSpec spec = Specs.orders().javaBinary(this.java).user(null, null).scope(SystemdScope.USER).build();
		assertVerifiesCleanly(spec, true);
	}

	@Test
	void everyDirectiveOfTheTableIsKnownToTheInstalledSystemd() throws Exception {
		SystemdDirectives directives = SystemdDirectives.get();
		for (String section : directives.sections()) {
			List<String> lines = new ArrayList<>();
			lines.add("[" + section + "]");
			directives.directives(section).forEach((name) -> lines.add(name + "=x"));
			if (!section.equals("Service")) {
				lines.add("[Service]");
				lines.add("ExecStart=/bin/true");
			}
			Path unit = this.temp.resolve("table-" + section.toLowerCase(Locale.ROOT) + ".service");
			Files.write(unit, lines);
			Commands.Result result = Commands.run(Duration.ofSeconds(30), List.of(ANALYZE, "verify", unit.toString()));
			assertThat(result.stdout() + result.stderr()).doesNotContain("Unknown key")
				.doesNotContain("Unknown section");
		}
	}

	private void assertVerifiesCleanly(RegistrationSpec spec, boolean user) throws Exception {
		GeneratedFile file = this.generator.generate(spec).files().get(0);
		Path unit = this.temp.resolve(file.path());
		Files.writeString(unit, file.content());
		List<String> command = new ArrayList<>(List.of(ANALYZE));
		if (user) {
			Path runtime = Files.createDirectories(this.temp.resolve("runtime"));
			command.addAll(List.of("--user"));
			command.add(0, "XDG_RUNTIME_DIR=" + runtime);
			command.add(0, "/usr/bin/env");
		}
		command.addAll(List.of("verify", unit.toString()));
		Commands.Result result = Commands.run(Duration.ofSeconds(30), command);
		assertThat(result.stdout() + result.stderr()).as(file.content()).isEmpty();
		assertThat(result.exitStatus()).isZero();
	}

}
