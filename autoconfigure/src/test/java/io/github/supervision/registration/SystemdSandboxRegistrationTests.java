package io.github.supervision.registration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.github.supervision.registration.app.RegistrationTestApplication;
import io.github.supervision.systemd.SystemdScope;
import io.github.supervision.testsupport.ArgvDumper;
import io.github.supervision.testsupport.ClassPathJar;
import io.github.supervision.testsupport.Commands;
import io.github.supervision.testsupport.RealDaemonTest;
import io.github.supervision.testsupport.SystemdSandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Generated units run by a real systemd 252 booted in a private namespace: an application
 * started with {@code java -jar app.jar --supervision.registration.mode=install} inside
 * the namespace writes, reloads, enables and starts its own unit through the starter's
 * code; with {@code Type=notify} it is active only after READY=1, reports its status, is
 * restarted by the watchdog once its liveness is BROKEN, and uninstalls itself with a
 * clean stop. The generated command line is exactly the process's argv, and a SIGTERM
 * stop (exit 143) counts as success.
 *
 * @author Supervision contributors
 */
@RealDaemonTest
class SystemdSandboxRegistrationTests {

	private static final String USER_BUS = "/run/user/0/bus";

	// Outside /tmp and /run: those are private inside the sandbox
	private static final Path home = Path.of("target", "systemd-sandbox-" + UUID.randomUUID()).toAbsolutePath();

	@RegisterExtension
	static final SystemdSandbox sandbox = withUnits(SystemdSandbox.create());

	private static SystemdInstaller installer;

	private static SystemdSandbox withUnits(SystemdSandbox sandbox) {
		// Generated units keep their default dependencies, as they should on a real
		// system: stand-ins let them load
		for (String target : List.of("sysinit", "basic", "shutdown", "network", "default")) {
			sandbox.unit(target + ".target", "[Unit]\nDescription=Stand-in " + target + "\nDefaultDependencies=no\n");
		}
		// A user manager (systemd --user) on a session bus of its own, as user@0.service
		// would run it, with its home under target/
		sandbox.unit("user-bus.service", """
				[Unit]
				DefaultDependencies=no
				[Service]
				ExecStartPre=/bin/mkdir -p /run/user/0
				ExecStart=/usr/bin/dbus-daemon --session --address=unix:path=%s --nofork --nopidfile
				""".formatted(USER_BUS));
		sandbox.unit("user-manager.service", """
				[Unit]
				DefaultDependencies=no
				Requires=user-bus.service
				After=user-bus.service
				[Service]
				Type=notify
				Environment="HOME=%s" XDG_RUNTIME_DIR=/run/user/0 DBUS_SESSION_BUS_ADDRESS=unix:path=%s
				ExecStart=/lib/systemd/systemd --user
				""".formatted(home.resolve("user-home"), USER_BUS));
		return sandbox;
	}

	@BeforeAll
	static void createHomeAndInstaller() throws IOException {
		Files.createDirectories(home);
		installer = new SystemdInstaller(new GeneratedFiles(sandbox.unitDirectory()),
				SystemdInstaller.manual(SystemdScope.SYSTEM));
	}

	@AfterAll
	static void deleteHome() throws IOException {
		FileSystemUtils.deleteRecursively(home);
	}

	@Test
	void applicationInstallsItselfAndIsEnabledStartedWatchedAndUninstalled() throws Exception {
		Path jar = ClassPathJar.write(home.resolve("registration-app.jar"), RegistrationTestApplication.class);
		Path broken = home.resolve("liveness-broken");
		String unit = "self-app.service";
		List<String> registration = List.of("--supervision.registration.name=self-app",
				"--supervision.registration.systemd.watchdog=2s", "--supervision.registration.start=true",
				"--supervision.registration.run-as.environment.LIVENESS_BROKEN_FILE=" + broken);
		List<String> app = List.of("--server.port=0", "--spring.main.banner-mode=off");
		Process install = javaJarInside(jar, "install", registration, app);
		boolean activating = Commands.await(Duration.ofSeconds(60),
				() -> state(unit).equals("activating") || !install.isAlive());
		assertThat(activating && state(unit).equals("activating"))
			.as("activating before READY=1: %s",
					(install.isAlive() ? "" : new String(install.getInputStream().readAllBytes())))
			.isTrue();
		assertThat(install.waitFor(90, TimeUnit.SECONDS)).isTrue();
		String output = new String(install.getInputStream().readAllBytes());
		assertThat(install.exitValue()).as(output).isZero();
		Path link = sandbox.configDirectory().resolve("multi-user.target.wants").resolve(unit);
		assertThat(output).contains("Wrote /etc/systemd/system/" + unit)
			.contains("Reloaded the systemd system manager's unit files")
			.contains("Enabled " + unit + " (symlink /etc/systemd/system/multi-user.target.wants/" + unit
					+ " -> /etc/systemd/system/" + unit + ")")
			.contains("Started " + unit + " (active/running)")
			.doesNotContain("Still to do")
			.as("the one-shot mode starts no web server")
			.doesNotContain("Tomcat");
		assertThat(link).isSymbolicLink();
		assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("/etc/systemd/system", unit));
		assertThat(sandbox.show(unit, "ActiveState", "UnitFileState", "Type", "StatusText"))
			.containsEntry("ActiveState", "active")
			.containsEntry("UnitFileState", "enabled")
			.containsEntry("Type", "notify")
			.hasEntrySatisfying("StatusText", (text) -> assertThat(text).matches("Started in \\d+\\.\\d s"));
		String mainPid = sandbox.show(unit, "MainPID").get("MainPID");
		List<String> argv = argv(mainPid);
		assertThat(argv).containsSubsequence("-jar", jar.toString())
			.containsAll(registration)
			.containsAll(app)
			.noneMatch((argument) -> argument.startsWith("--supervision.registration.mode"));
		await("watchdog pings keep it alive").during(Duration.ofSeconds(3))
			.atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(sandbox.show(unit, "NRestarts").get("NRestarts"))
				.as("watchdog pings keep it alive")
				.isEqualTo("0"));
		Files.createFile(broken);
		boolean restarted = Commands.await(Duration.ofSeconds(30),
				() -> !sandbox.show(unit, "NRestarts").get("NRestarts").equals("0"));
		Files.delete(broken);
		assertThat(restarted).as(sandbox.systemctl("status", unit).output()).isTrue();
		assertThat(Commands.await(Duration.ofSeconds(60), () -> state(unit).equals("active"))).isTrue();
		Process uninstall = javaJarInside(jar, "uninstall", registration, app);
		assertThat(uninstall.waitFor(90, TimeUnit.SECONDS)).isTrue();
		String removed = new String(uninstall.getInputStream().readAllBytes());
		assertThat(uninstall.exitValue()).as(removed).isZero();
		// A stop that ended in exit 143 without SuccessExitStatus=143 would be 'failed'
		assertThat(removed.lines().filter((line) -> !line.contains(" INFO ")).toList()).containsExactly(
				"Stopped " + unit + " (inactive/dead)",
				"Disabled " + unit + " (unlink /etc/systemd/system/multi-user.target.wants/" + unit + ")",
				"Removed /etc/systemd/system/" + unit, "Removed /etc/systemd/system/self-app.env",
				"Reloaded the systemd system manager's unit files");
		assertThat(link).doesNotExist();
		assertThat(sandbox.configDirectory().resolve(unit)).doesNotExist();
		assertThat(sandbox.show(unit, "LoadState").get("LoadState")).isEqualTo("not-found");
	}

	@Test
	void applicationInstallsItselfForTheUserManagerOverTheUserBus() throws Exception {
		Path jar = ClassPathJar.write(home.resolve("registration-app.jar"), RegistrationTestApplication.class);
		Path userHome = Files.createDirectories(home.resolve("user-home"));
		SystemdSandbox.Result manager = sandbox.systemctl("start", "user-manager.service");
		assertThat(manager.exitCode()).as(manager.output()).isZero();
		String unit = "user-app.service";
		// user.home comes from the password database, not $HOME: point it at the test's
		List<String> registration = List.of("--supervision.registration.name=user-app",
				"--supervision.registration.systemd.scope=user", "--supervision.registration.start=true");
		List<String> app = List.of("--server.port=0", "--spring.main.banner-mode=off");
		Process install = javaJarInside(jar, "install", registration, app, "-Duser.home=" + userHome);
		assertThat(install.waitFor(90, TimeUnit.SECONDS)).isTrue();
		String output = new String(install.getInputStream().readAllBytes());
		assertThat(install.exitValue()).as(output).isZero();
		Path units = userHome.resolve(".config/systemd/user");
		Path link = units.resolve("default.target.wants").resolve(unit);
		assertThat(output).contains("Wrote " + units.resolve(unit))
			.contains("Reloaded the systemd user manager's unit files")
			.contains("Enabled " + unit + " (symlink " + link + " -> " + units.resolve(unit) + ")")
			.contains("Started " + unit + " (active/running)");
		assertThat(link).isSymbolicLink();
		assertThat(userShow(unit)).contains("ActiveState=active", "UnitFileState=enabled", "Type=notify");
		Process uninstall = javaJarInside(jar, "uninstall", registration, app, "-Duser.home=" + userHome);
		assertThat(uninstall.waitFor(90, TimeUnit.SECONDS)).isTrue();
		String removed = new String(uninstall.getInputStream().readAllBytes());
		assertThat(uninstall.exitValue()).as(removed).isZero();
		assertThat(removed).contains("Stopped " + unit + " (inactive/dead)").contains("Removed " + units.resolve(unit));
		assertThat(link).doesNotExist();
		assertThat(userShow(unit)).contains("LoadState=not-found");
	}

	@Test
	void anInstallWhoseUnitCannotStartFailsWithSystemdsReasonAndWhatIsLeft() throws Exception {
		Path jar = ClassPathJar.write(home.resolve("registration-app.jar"), RegistrationTestApplication.class);
		List<String> registration = List.of("--supervision.registration.name=never-starts",
				"--supervision.registration.start=true",
				"--supervision.registration.systemd.directives.Service.ExecStartPre=/bin/false");
		Process install = javaJarInside(jar, "install", registration, List.of());
		assertThat(install.waitFor(90, TimeUnit.SECONDS)).isTrue();
		String output = new String(install.getInputStream().readAllBytes());
		assertThat(install.exitValue()).as(output).isEqualTo(1);
		assertThat(output).contains("Registration failed: 'never-starts.service': was installed but did not start: ")
			.contains("see 'journalctl -u never-starts.service'")
			.contains("done: Reloaded the systemd system manager's unit files, Enabled never-starts.service")
			.contains("still to do: systemctl daemon-reload && systemctl enable --now never-starts.service");
		// Restart=on-failure: systemd keeps retrying, each start ending 'exit-code'
		assertThat(sandbox.show("never-starts.service", "Result").get("Result")).isEqualTo("exit-code");
		Process uninstall = javaJarInside(jar, "uninstall", registration, List.of());
		assertThat(uninstall.waitFor(90, TimeUnit.SECONDS)).isTrue();
		String removed = new String(uninstall.getInputStream().readAllBytes());
		assertThat(uninstall.exitValue()).as(removed).isZero();
		assertThat(sandbox.configDirectory().resolve("never-starts.service")).doesNotExist();
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
		assertThat(sandbox.systemctl("start", unit).exitCode()).isZero();
		assertThat(state(unit)).isEqualTo("active");
		assertThat(Commands.await(Duration.ofSeconds(20), () -> Files.exists(dump))).isTrue();
		assertThat(argv(sandbox.show(unit, "MainPID").get("MainPID"))).containsExactlyElementsOf(spec.commandLine());
		assertThat(Files.readString(dump.resolveSibling("argv.env"))).isEqualTo(roundTrip);
		assertThat(Files.readString(dump.resolveSibling("argv.supervisor"))).isEqualTo("systemd argv-dumper");
		assertThat(sandbox.systemctl("stop", unit).exitCode()).isZero();
		// A failed unit keeps its state; a clean one is inactive (and may be unloaded)
		assertThat(state(unit)).isEqualTo("inactive");
	}

	@Test
	void environmentValuesStayOutOfTheUnitAndWhatSystemdShowsToEveryUser() throws Exception {
		Path dump = home.resolve("secret-argv");
		RegistrationSpec spec = RegistrationSpec.builder("secret-env")
			.javaBinary(JvmFacts.current().javaBinary())
			.jvmOptions(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1"))
			.mainClass(ArgvDumper.class.getName(), SupervisordRegistrationTests.argvDumperClassPath())
			.environment("ARGV_DUMP_FILE", dump.toString())
			.environment("ROUND_TRIP", "hunter2 \"$HOME\" `x` \\n 100%")
			.build();
		String unit = install(spec);
		Path unitFile = sandbox.unitDirectory().resolve(unit);
		Path environmentFile = sandbox.unitDirectory().resolve("secret-env.env");
		assertThat(Files.readString(unitFile)).doesNotContain("hunter2").contains("EnvironmentFile=" + environmentFile);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(environmentFile)))
			.isEqualTo("rw-------");
		assertThat(sandbox.systemctl("start", unit).exitCode()).isZero();
		assertThat(Commands.await(Duration.ofSeconds(20), () -> Files.exists(dump))).isTrue();
		assertThat(Files.readString(dump.resolveSibling("secret-argv.env")))
			.isEqualTo("hunter2 \"$HOME\" `x` \\n 100%");
		assertThat(sandbox.systemctl("show", "-p", "Environment,EnvironmentFiles", unit).output())
			.doesNotContain("hunter2")
			.contains(environmentFile.toString());
		assertThat(sandbox.systemctl("stop", unit).exitCode()).isZero();
		installer.uninstall(new SystemdUnitGenerator(sandbox.unitDirectory()).generate(spec));
		assertThat(unitFile).doesNotExist();
		assertThat(environmentFile).doesNotExist();
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
		assertThat(sandbox.systemctl("start", unit).exitCode()).isZero();
		// a JVM exits with 143 on SIGTERM only once it handles the signal
		String mainPid = sandbox.show(unit, "MainPID").get("MainPID");
		await("the JVM to handle SIGTERM").atMost(Duration.ofSeconds(30))
			.until(() -> Commands.catchesSignal(sandbox.exec("/bin/cat", "/proc/" + mainPid + "/status").output(), 15));
		sandbox.systemctl("stop", unit);
		assertThat(sandbox.show(unit, "ActiveState", "ExecMainStatus")).containsEntry("ActiveState", "failed")
			.containsEntry("ExecMainStatus", "143");
		sandbox.systemctl("reset-failed", unit);
	}

	private static String install(RegistrationSpec spec) {
		Registration registration = new SystemdUnitGenerator(sandbox.unitDirectory()).generate(spec);
		InstallResult result = installer.install(registration, false);
		assertThat(result.remaining()).first().isEqualTo("systemctl daemon-reload");
		SystemdSandbox.Result reload = sandbox.systemctl("daemon-reload");
		assertThat(reload.exitCode()).as(reload.output()).isZero();
		return spec.name() + ".service";
	}

	private static String state(String unit) {
		return sandbox.show(unit, "ActiveState").getOrDefault("ActiveState", "");
	}

	private static List<String> argv(String pid) {
		String cmdline = sandbox.exec("/bin/cat", "/proc/" + pid + "/cmdline").output();
		return Arrays.asList(cmdline.substring(0, cmdline.length() - 1).split("\0", -1));
	}

	// The JVM runs inside the sandbox's namespaces, so it talks to the sandbox's bus at
	// the default system bus path and writes into its /etc/systemd/system
	private static Process javaJarInside(Path jar, String mode, List<String> registration, List<String> app,
			String... jvmOptions) throws IOException {
		List<String> command = new ArrayList<>(List.of("/usr/bin/nsenter", "-t", Long.toString(sandbox.pid()), "-m",
				"-p", "--wd=" + home, "--", JvmFacts.current().javaBinary().toString(), "-XX:TieredStopAtLevel=1",
				"-XX:-CreateCoredumpOnCrash", "-XX:ErrorFile=/dev/null"));
		command.addAll(List.of(jvmOptions));
		command.addAll(List.of("-jar", jar.toString(), "--supervision.registration.mode=" + mode));
		command.addAll(registration);
		command.addAll(app);
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
		// The user manager's bus, as a login session would have it
		builder.environment().put("XDG_RUNTIME_DIR", "/run/user/0");
		builder.environment().put("DBUS_SESSION_BUS_ADDRESS", "unix:path=" + USER_BUS);
		return builder.start();
	}

	private static String userShow(String unit) {
		return sandbox
			.exec("/usr/bin/env", "XDG_RUNTIME_DIR=/run/user/0", "DBUS_SESSION_BUS_ADDRESS=unix:path=" + USER_BUS,
					"/usr/bin/systemctl", "--user", "show", "-p", "ActiveState,UnitFileState,Type,LoadState", "--",
					unit)
			.output();
	}

}
