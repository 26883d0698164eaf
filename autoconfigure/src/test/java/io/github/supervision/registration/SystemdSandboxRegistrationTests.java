package io.github.supervision.registration;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import io.github.supervision.registration.RegistrationSpec.Scope;
import io.github.supervision.registration.app.RegistrationTestApplication;
import io.github.supervision.testsupport.ArgvDumper;
import io.github.supervision.testsupport.BootedSystemd;
import io.github.supervision.testsupport.Commands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated units run by a real systemd booted in a private namespace: the process's argv
 * is exactly the generated command line, a SIGTERM stop (exit 143) counts as success, and
 * a Spring application with {@code Type=notify} becomes active only after READY=1,
 * reports its status, and is restarted by the watchdog once its liveness is BROKEN.
 *
 * @author Supervision contributors
 */
class SystemdSandboxRegistrationTests {

	private static Path home;

	private static BootedSystemd sandbox;

	private static SystemdInstaller installer;

	@BeforeAll
	static void bootSystemd() throws Exception {
		BootedSystemd.require();
		// Outside /tmp and /run: those are private inside the sandbox
		home = Files.createDirectories(Path.of("target", "systemd-sandbox-" + UUID.randomUUID()).toAbsolutePath());
		sandbox = BootedSystemd.boot(home);
		installer = new SystemdInstaller(new GeneratedFiles(sandbox.unitDirectory()),
				SystemdInstaller.manual(Scope.SYSTEM));
	}

	@AfterAll
	static void killSystemd() throws Exception {
		if (sandbox != null) {
			sandbox.close();
		}
		if (home != null) {
			FileSystemUtils.deleteRecursively(home);
		}
	}

	@Test
	void generatedUnitRunsTheExactCommandLineAndAStopIsASuccess() throws Exception {
		Path dump = home.resolve("argv");
		String roundTrip = String.join(" ", Specs.TRICKY_ARGUMENTS);
		RegistrationSpec spec = RegistrationSpec.builder("argv-dumper")
			.javaBinary(JvmFacts.current().javaBinary())
			.jvmOptions(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1", "-Dtricky=" + roundTrip))
			.mainClass(ArgvDumper.class.getName(), SupervisordRegistrationTests.argvDumperClassPath())
			.arguments(Specs.TRICKY_ARGUMENTS)
			.workingDirectory(home)
			.environment("ARGV_DUMP_FILE", dump.toString())
			.environment("ROUND_TRIP", roundTrip)
			.build();
		String unit = install(spec);
		assertThat(sandbox.systemctl("start", unit).exitStatus()).isZero();
		assertThat(sandbox.property(unit, "ActiveState")).isEqualTo("active");
		assertThat(Commands.await(Duration.ofSeconds(20), () -> Files.exists(dump))).isTrue();
		String mainPid = sandbox.property(unit, "MainPID");
		String cmdline = sandbox.inside("/bin/cat", "/proc/" + mainPid + "/cmdline").stdout();
		assertThat(Arrays.asList(cmdline.substring(0, cmdline.length() - 1).split("\0", -1)))
			.containsExactlyElementsOf(spec.commandLine());
		assertThat(Files.readString(dump.resolveSibling("argv.env"))).isEqualTo(roundTrip);
		assertThat(Files.readString(dump.resolveSibling("argv.supervisor"))).isEqualTo("systemd argv-dumper");
		assertThat(sandbox.systemctl("stop", unit).exitStatus()).isZero();
		// A failed unit keeps its state; a clean one is inactive (and may be unloaded)
		assertThat(sandbox.property(unit, "ActiveState")).isEqualTo("inactive");
	}

	@Test
	void withoutSuccessExitStatusTheJvmsExit143WouldCountAsAFailure() throws Exception {
		RegistrationSpec spec = RegistrationSpec.builder("without-143")
			.javaBinary(JvmFacts.current().javaBinary())
			.jvmOptions(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1"))
			.mainClass(ArgvDumper.class.getName(), SupervisordRegistrationTests.argvDumperClassPath())
			.systemdDirective("Service", "SuccessExitStatus", List.of())
			.build();
		String unit = install(spec);
		assertThat(sandbox.systemctl("start", unit).exitStatus()).isZero();
		Thread.sleep(500);
		sandbox.systemctl("stop", unit);
		assertThat(sandbox.property(unit, "ActiveState")).isEqualTo("failed");
		assertThat(sandbox.property(unit, "ExecMainStatus")).isEqualTo("143");
		sandbox.systemctl("reset-failed", unit);
	}

	@Test
	void springApplicationIsActiveOnlyAfterReadyAndIsRestartedByTheWatchdog() throws Exception {
		Path broken = home.resolve("liveness-broken");
		List<Path> classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
			.map((entry) -> Path.of(entry).toAbsolutePath())
			.toList();
		RegistrationSpec spec = RegistrationSpec.builder("spring-app")
			.javaBinary(JvmFacts.current().javaBinary())
			.jvmOptions(List.of("-XX:TieredStopAtLevel=1", "-XX:-CreateCoredumpOnCrash", "-XX:ErrorFile=/dev/null"))
			.mainClass(RegistrationTestApplication.class.getName(), classPath)
			.arguments(List.of("--server.port=0", "--spring.main.banner-mode=off"))
			.workingDirectory(home)
			.environment("LIVENESS_BROKEN_FILE", broken.toString())
			.sdNotify(true)
			.watchdog(Duration.ofSeconds(2))
			.build();
		String unit = install(spec);
		assertThat(sandbox.systemctl("start", "--no-block", unit).exitStatus()).isZero();
		Commands.await(Duration.ofSeconds(5), () -> !sandbox.property(unit, "ActiveState").equals("inactive"));
		assertThat(sandbox.property(unit, "ActiveState")).as("before READY=1").isEqualTo("activating");
		boolean active = Commands.await(Duration.ofSeconds(60),
				() -> sandbox.property(unit, "ActiveState").equals("active"));
		assertThat(active).as(sandbox.systemctl("status", unit).stdout()).isTrue();
		assertThat(sandbox.property(unit, "StatusText")).matches("Started in \\d+\\.\\d s");
		Thread.sleep(3000);
		assertThat(sandbox.property(unit, "NRestarts")).as("watchdog pings keep it alive").isEqualTo("0");
		Files.createFile(broken);
		boolean restarted = Commands.await(Duration.ofSeconds(30),
				() -> !sandbox.property(unit, "NRestarts").equals("0"));
		Files.delete(broken);
		assertThat(restarted).as(sandbox.systemctl("status", unit).stdout()).isTrue();
		sandbox.systemctl("stop", unit);
	}

	private static String install(RegistrationSpec spec) {
		Registration registration = new SystemdUnitGenerator().generate(spec);
		InstallResult result = installer.install(registration, false);
		assertThat(result.remaining()).first().isEqualTo("systemctl daemon-reload");
		assertThat(sandbox.systemctl("daemon-reload").exitStatus()).isZero();
		return spec.name() + ".service";
	}

}
