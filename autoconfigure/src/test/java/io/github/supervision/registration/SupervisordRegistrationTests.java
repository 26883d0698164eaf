package io.github.supervision.registration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.github.supervision.registration.SupervisionPolicy.Restart;
import io.github.supervision.testsupport.ArgvDumper;
import io.github.supervision.testsupport.Commands;
import io.github.supervision.testsupport.RealDaemonTest;
import io.github.supervision.testsupport.RealDaemons;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A generated program section, installed by {@link SupervisordInstaller} into the include
 * directory of a real {@code supervisord} started by the test, runs a real {@code java}
 * command line: the program reaches RUNNING and the process's argv in {@code /proc} is
 * exactly the generated command line.
 *
 * @author Supervision contributors
 */
@RealDaemonTest
class SupervisordRegistrationTests {

	private static final String SUPERVISORD = "/usr/bin/supervisord";

	private static final String SUPERVISORCTL = "/usr/bin/supervisorctl";

	private static Path directory;

	private static Path configuration;

	private static Process supervisord;

	@BeforeAll
	static void startSupervisord() throws Exception {
		RealDaemons.requireExecutables(SUPERVISORD, SUPERVISORCTL);
		directory = Files.createTempDirectory("supervisord-registration");
		Files.createDirectories(directory.resolve("conf.d"));
		configuration = directory.resolve("supervisord.conf");
		Files.writeString(configuration, """
				[unix_http_server]
				file=%1$s/supervisor.sock
				[supervisord]
				nodaemon=true
				logfile=%1$s/supervisord.log
				pidfile=%1$s/supervisord.pid
				childlogdir=%1$s
				[rpcinterface:supervisor]
				supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
				[supervisorctl]
				serverurl=unix://%1$s/supervisor.sock
				[include]
				files=%1$s/conf.d/*.conf
				""".formatted(directory));
		supervisord = new ProcessBuilder(SUPERVISORD, "-c", configuration.toString())
			.redirectOutput(directory.resolve("supervisord.out").toFile())
			.redirectErrorStream(true)
			.start();
		boolean up = Commands.await(Duration.ofSeconds(15), () -> Files.exists(directory.resolve("supervisor.sock")));
		assertThat(up).as("supervisord came up").isTrue();
	}

	@AfterAll
	static void stopSupervisord() throws Exception {
		if (supervisord != null) {
			Commands.stop(supervisord, Duration.ofSeconds(20));
		}
		if (directory != null) {
			FileSystemUtils.deleteRecursively(directory);
		}
	}

	@Test
	void generatedProgramRunsTheExactJavaCommandLine() throws Exception {
		Path dump = directory.resolve("argv");
		String roundTrip = "it's 100% \\ $HOME, a=b \u2713";
		RegistrationSpec spec = RegistrationSpec.builder("argv-dumper")
			.javaBinary(JvmFacts.current().javaBinary())
			.jvmOptions(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1",
					"-Dtricky=" + String.join(" ", Specs.TRICKY_ARGUMENTS)))
			.mainClass(ArgvDumper.class.getName(), argvDumperClassPath())
			.arguments(Specs.TRICKY_ARGUMENTS)
			.workingDirectory(directory)
			.environment("ARGV_DUMP_FILE", dump.toString())
			.environment("ROUND_TRIP", roundTrip)
			.startSeconds(Duration.ofSeconds(1))
			.restart(Restart.ON_FAILURE)
			.logDirectory(directory)
			.build();
		Registration registration = new SupervisordProgramGenerator().generate(spec);
		SupervisordInstaller installer = new SupervisordInstaller(new GeneratedFiles(directory.resolve("conf.d")),
				SupervisordInstaller.manual());
		InstallResult result = installer.install(registration, true);
		assertThat(result.remaining()).containsExactly("supervisorctl update argv-dumper");
		assertThat(PosixFilePermissions
			.toString(Files.getPosixFilePermissions(directory.resolve("conf.d/argv-dumper.conf"))))
			.isEqualTo("rw-------");
		assertThat(supervisorctl("update").exitStatus()).isZero();
		boolean running = Commands.await(Duration.ofSeconds(20),
				() -> supervisorctl("status", "argv-dumper").stdout().contains("RUNNING"));
		assertThat(running).as(supervisorctl("status", "argv-dumper").stdout()).isTrue();
		long pid = Long.parseLong(supervisorctl("pid", "argv-dumper").stdout().trim());
		assertThat(commandLineOf(pid)).containsExactlyElementsOf(spec.commandLine());
		assertThat(Commands.await(Duration.ofSeconds(10), () -> Files.exists(dump))).isTrue();
		assertThat(Files.readString(dump.resolveSibling("argv.env"))).isEqualTo(roundTrip);
		assertThat(Files.readString(dump.resolveSibling("argv.supervisor"))).isEqualTo("supervisord argv-dumper");
		assertThat(new GeneratedFiles(directory.resolve("conf.d")).differences(registration)).isEmpty();
		assertThat(Files.readString(directory.resolve("argv-dumper.log"))).contains("argv dumper started");
		assertThat(supervisorctl("stop", "argv-dumper").stdout()).contains("stopped");
		assertThat(supervisorctl("status", "argv-dumper").stdout()).contains("STOPPED");
		installer.uninstall(registration);
		assertThat(directory.resolve("conf.d")).isEmptyDirectory();
		assertThat(supervisorctl("update").exitStatus()).isZero();
		assertThat(supervisorctl("status", "argv-dumper").stdout()).contains("no such process");
	}

	static List<Path> argvDumperClassPath() throws Exception {
		return List.of(classesOf(ArgvDumper.class), classesOf(SupervisorDetection.class));
	}

	static Path classesOf(Class<?> type) throws Exception {
		return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
	}

	static List<String> commandLineOf(long pid) throws IOException {
		String cmdline = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
				StandardCharsets.UTF_8);
		return Arrays.asList(cmdline.substring(0, cmdline.length() - 1).split("\0", -1));
	}

	private static Commands.Result supervisorctl(String... arguments) {
		List<String> command = new ArrayList<>(List.of(SUPERVISORCTL, "-c", configuration.toString()));
		command.addAll(List.of(arguments));
		try {
			return Commands.run(Duration.ofSeconds(30), command);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
