package io.github.supervision.registration;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.supervision.registration.SupervisionPolicy.Restart;
import io.github.supervision.testsupport.ArgvDumper;
import io.github.supervision.testsupport.Commands;
import io.github.supervision.testsupport.RealDaemonTest;
import io.github.supervision.testsupport.RealDaemons;
import io.github.supervision.testsupport.Runsvdir;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A generated runit service, installed by {@link RunitInstaller} and linked into the scan
 * directory of a real {@code runsvdir} ({@link Runsvdir}), runs under its {@code runsv}:
 * {@code sv status} says run, the process's argv in {@code /proc} is exactly the
 * generated java command line (through {@code chpst}), {@code svlogd} writes its output,
 * and the finish script restarts it after a crash but not after a clean stop.
 *
 * @author Supervision contributors
 */
@RealDaemonTest
class RunitRegistrationTests {

	// chpst drops spaces and tabs at the end of an envdir value
	private static final String ROUND_TRIP = String.join(" ", Specs.TRICKY_ARGUMENTS) + "end";

	@RegisterExtension
	static final Runsvdir runsvdir = Runsvdir.withServices(RunitRegistrationTests::install);

	private static Path directory;

	private static Path service;

	private static RegistrationSpec spec;

	private static InstallResult installed;

	// Linked into the scan directory before runsvdir starts, which then supervises it
	private static void install(Runsvdir runsvdir) throws Exception {
		RealDaemons.requireExecutables("/usr/bin/chpst");
		RealDaemons.requireRoot();
		directory = runsvdir.root();
		spec = RegistrationSpec.builder("argv-dumper")
			.javaBinary(JvmFacts.current().javaBinary())
			.jvmOptions(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1"))
			.mainClass(ArgvDumper.class.getName(), SupervisordRegistrationTests.argvDumperClassPath())
			.arguments(Specs.TRICKY_ARGUMENTS)
			.user("root", "root")
			.workingDirectory(directory)
			.environment("ARGV_DUMP_FILE", directory.resolve("argv").toString())
			.environment("ROUND_TRIP", ROUND_TRIP)
			.restart(Restart.ON_FAILURE)
			.logDirectory(directory.resolve("log dir"))
			.build();
		Registration registration = new RunitServiceGenerator().generate(spec);
		installed = new RunitInstaller(new GeneratedFiles(directory.resolve("sv")), runsvdir.scan())
			.install(registration, true);
		service = runsvdir.scan().resolve("argv-dumper");
	}

	@Test
	void generatedServiceRunsTheExactJavaCommandLineUnderRunsv() throws Exception {
		assertThat(Files.readSymbolicLink(service)).isEqualTo(directory.resolve("sv/argv-dumper"));
		assertThat(installed.done()).singleElement().asString().contains("Linked");
		long pid = awaitRunning();
		// runsv reports the pid of the run script, which becomes Java once it has exec'd
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(SupervisordRegistrationTests.commandLineOf(pid))
				.containsExactlyElementsOf(spec.commandLine()));
		assertThat(Commands.await(Duration.ofSeconds(10), () -> Files.exists(directory.resolve("argv")))).isTrue();
		assertThat(Files.readString(directory.resolve("argv.env"))).isEqualTo(ROUND_TRIP);
		assertThat(Files.readString(directory.resolve("argv.supervisor"))).isEqualTo("runit argv-dumper");
		Path log = directory.resolve("log dir/current");
		assertThat(Commands.await(Duration.ofSeconds(10), () -> contains(log, "argv dumper started"))).isTrue();

		ProcessHandle.of(pid).orElseThrow().destroyForcibly();
		long restarted = awaitRunning(pid);
		assertThat(restarted).isNotEqualTo(pid);

		assertThat(Commands.run(Duration.ofSeconds(10), List.of(Runsvdir.SV, "term", service.toString())).exitStatus())
			.isZero();
		boolean down = Commands.await(Duration.ofSeconds(15), () -> status().startsWith("down:"));
		assertThat(down).as("a clean stop (143) is not restarted: %s", status()).isTrue();
	}

	@Test
	void environmentValuesAreReadableByRootOnlyAndStillReachTheService() throws Exception {
		Path definition = directory.resolve("sv/argv-dumper");
		assertThat(Files.readString(definition.resolve("run"))).doesNotContain("ROUND_TRIP")
			.doesNotContain("$HOME ${HOME}");
		assertThat(mode(definition.resolve("env"))).isEqualTo("rwx------");
		assertThat(mode(definition.resolve("env/ROUND_TRIP"))).isEqualTo("rw-------");
		assertThat(mode(definition.resolve("env/ARGV_DUMP_FILE"))).isEqualTo("rw-------");
		assertThat(Commands.run(Duration.ofSeconds(10), List.of(Runsvdir.SV, "up", service.toString())).exitStatus())
			.isZero();
		long pid = awaitRunning();
		// the variables are set by chpst, after runsv reported the run script's pid
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(
					List.of(Files.readString(Path.of("/proc", Long.toString(pid), "environ")).split("\0")))
				.contains("ROUND_TRIP=" + ROUND_TRIP, "ARGV_DUMP_FILE=" + directory.resolve("argv")));
	}

	@Test
	void logRunDoesNotGiveAwayWhatALinkInPlaceOfTheLogDirectoryPointsTo() throws Exception {
		// A directory, as mkdir -p goes through a link to one (and stops at a file)
		Path victim = Files.createDirectories(directory.resolve("victim"));
		Files.setAttribute(victim, "unix:uid", 12345);
		Path logDirectory = directory.resolve("linked log");
		RegistrationSpec linked = RegistrationSpec.builder("linked-log")
			.javaBinary(JvmFacts.current().javaBinary())
			.mainClass(ArgvDumper.class.getName(), SupervisordRegistrationTests.argvDumperClassPath())
			.user("root", "root")
			.logDirectory(logDirectory)
			.build();
		Path scan = Files.createDirectories(directory.resolve("linked-scan"));
		new RunitInstaller(new GeneratedFiles(directory.resolve("linked-sv")), scan)
			.install(new RunitServiceGenerator().generate(linked), false);
		// The service's user, had it write access to the parent, would do this
		Files.createSymbolicLink(logDirectory, victim);
		Path output = directory.resolve("linked-runsv.out");
		runsvdir.runsv(scan.resolve("linked-log"), ProcessBuilder.Redirect.to(output.toFile()));
		boolean refused = Commands.await(Duration.ofSeconds(20),
				() -> contains(output, "refusing") || uid(victim) != 12345);
		assertThat(refused).as("log/run ran").isTrue();
		assertThat(uid(victim)).isEqualTo(12345);
		assertThat(contains(output, "refusing to chown")).isTrue();
		stop(scan.resolve("linked-log"));
	}

	@Test
	void runsvAskedToExitWhileTheServiceRunsExitsDespiteTheFinishScript() throws Exception {
		RegistrationSpec onFailure = RegistrationSpec.builder("exits-with-runsv")
			.javaBinary(JvmFacts.current().javaBinary())
			.jvmOptions(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1"))
			.mainClass(ArgvDumper.class.getName(), SupervisordRegistrationTests.argvDumperClassPath())
			.user("root", "root")
			.environment("ARGV_DUMP_FILE", directory.resolve("exits-argv").toString())
			.restart(Restart.ON_FAILURE)
			.build();
		Path scan = Files.createDirectories(directory.resolve("exits-scan"));
		new RunitInstaller(new GeneratedFiles(directory.resolve("exits-sv")), scan)
			.install(new RunitServiceGenerator().generate(onFailure), false);
		Path exits = scan.resolve("exits-with-runsv");
		Process runsv = runsvdir.runsv(exits);
		assertThat(Commands.await(Duration.ofSeconds(20), () -> Files.exists(directory.resolve("exits-argv"))))
			.isTrue();
		// runsvdir asks the same on HUP; Java exits 143 on TERM, a clean exit for the
		// finish script, whose 'sv down .' used to replace the exit
		assertThat(Commands.run(Duration.ofSeconds(10), List.of(Runsvdir.SV, "exit", exits.toString())).exitStatus())
			.isZero();
		assertThat(runsv.waitFor(20, TimeUnit.SECONDS)).as("runsv exited").isTrue();
	}

	// A test that ends with its service up stops it first, so that the fixture's runsvdir
	// stops nothing but runsv processes
	@AfterAll
	static void stopTheServiceSoThatItsRunsvCanExit() throws Exception {
		if (service != null) {
			stop(service);
		}
	}

	private static void stop(Path service) throws Exception {
		assertThat(Runsvdir.sv("-w", "15", "down", service.toString())).startsWith("ok: down:");
	}

	private static int uid(Path path) {
		try {
			return (int) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
		}
		catch (Exception ex) {
			return -1;
		}
	}

	private static String mode(Path path) throws Exception {
		return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
	}

	private static long awaitRunning(long... not) throws InterruptedException {
		boolean running = Commands.await(Duration.ofSeconds(20), () -> {
			String status = status();
			return status.startsWith("run:") && (not.length == 0 || !status.contains("(pid " + not[0] + ")"));
		});
		assertThat(running).as(status()).isTrue();
		String status = status();
		int start = status.indexOf("(pid ") + 5;
		return Long.parseLong(status.substring(start, status.indexOf(')', start)));
	}

	private static String status() {
		try {
			return Commands.run(Duration.ofSeconds(10), List.of(Runsvdir.SV, "status", service.toString())).stdout();
		}
		catch (Exception ex) {
			return ex.toString();
		}
	}

	private static boolean contains(Path file, String text) {
		try {
			return Files.exists(file) && Files.readString(file).contains(text);
		}
		catch (Exception ex) {
			return false;
		}
	}

}
