package io.github.supervision.registration;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import io.github.supervision.registration.SupervisionPolicy.Restart;
import io.github.supervision.testsupport.ArgvDumper;
import io.github.supervision.testsupport.Commands;
import io.github.supervision.testsupport.RealDaemonTest;
import io.github.supervision.testsupport.SupervisordDaemon;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A generated program section, installed by {@link SupervisordInstaller} into the include
 * directory of a real {@code supervisord} ({@link SupervisordDaemon}), runs a real
 * {@code java} command line: the program reaches RUNNING and the process's argv in
 * {@code /proc} is exactly the generated command line.
 *
 * @author Supervision contributors
 */
@RealDaemonTest
class SupervisordRegistrationTests {

	@RegisterExtension
	static final SupervisordDaemon supervisord = SupervisordDaemon
		.withPrograms("[include]\nfiles=%(here)s/conf.d/*.conf\n")
		.beforeStart((daemon) -> Files.createDirectories(daemon.directory().resolve("conf.d")));

	@Test
	void generatedProgramRunsTheExactJavaCommandLine() throws Exception {
		Path directory = supervisord.directory();
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
		assertThat(supervisord.supervisorctl("update")).contains("argv-dumper: added process group");
		Awaitility.await()
			.atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(supervisord.ctlStatus()).containsEntry("argv-dumper", "RUNNING"));
		long pid = supervisord.ctlPid("argv-dumper");
		assertThat(commandLineOf(pid)).containsExactlyElementsOf(spec.commandLine());
		assertThat(Commands.await(Duration.ofSeconds(10), () -> Files.exists(dump))).isTrue();
		assertThat(Files.readString(dump.resolveSibling("argv.env"))).isEqualTo(roundTrip);
		assertThat(Files.readString(dump.resolveSibling("argv.supervisor"))).isEqualTo("supervisord argv-dumper");
		assertThat(new GeneratedFiles(directory.resolve("conf.d")).differences(registration)).isEmpty();
		assertThat(Files.readString(directory.resolve("argv-dumper.log"))).contains("argv dumper started");
		assertThat(supervisord.supervisorctl("stop", "argv-dumper")).contains("stopped");
		assertThat(supervisord.ctlStatus()).containsEntry("argv-dumper", "STOPPED");
		installer.uninstall(registration);
		assertThat(directory.resolve("conf.d")).isEmptyDirectory();
		assertThat(supervisord.supervisorctl("update")).contains("argv-dumper: removed process group");
		assertThat(supervisord.supervisorctl("status", "argv-dumper")).contains("no such process");
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

}
