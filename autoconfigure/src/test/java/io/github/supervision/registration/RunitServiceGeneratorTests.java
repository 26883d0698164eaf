package io.github.supervision.registration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.github.supervision.registration.SupervisionPolicy.Restart;
import io.github.supervision.testsupport.Commands;
import io.github.supervision.testsupport.RealDaemons;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link RunitServiceGenerator}, with the run script's words read back by a
 * real {@code /bin/sh}.
 *
 * @author Supervision contributors
 */
class RunitServiceGeneratorTests {

	private final RunitServiceGenerator generator = new RunitServiceGenerator();

	@TempDir
	Path temp;

	@Test
	void generatesTheGoldenServiceDirectory() throws IOException {
		Registration registration = this.generator.generate(Specs.orders().user("orders", "orders").build());
		assertThat(registration.files()).extracting(GeneratedFile::path)
			.containsExactly("orders/log/run", "orders/finish", "orders/env/GREETING", "orders/env/RATIO",
					"orders/run");
		assertThat(registration.files()).extracting(GeneratedFile::mode).containsExactly(0755, 0755, 0600, 0600, 0755);
		Golden.assertMatches("orders.runit", registration.describe());
	}

	@Test
	void writesADownFileWhenNotStartedAutomatically() {
		Registration registration = this.generator
			.generate(Specs.orders().autostart(false).restart(Restart.ALWAYS).logDirectory(null).build());
		assertThat(registration.files()).extracting(GeneratedFile::path)
			.containsExactly("orders/down", "orders/env/GREETING", "orders/env/RATIO", "orders/run");
	}

	@Test
	void needsAUserToSetAGroup() {
		assertThatExceptionOfType(RegistrationException.class)
			.isThrownBy(() -> this.generator.generate(Specs.orders().user(null, "staff").build()))
			.withMessageContaining("supervision.registration.run-as.group");
	}

	@Test
	void runScriptGivesBackEveryArgumentAndValueThroughARealShell() throws Exception {
		RealDaemons.requireExecutables("/bin/sh");
		Path printer = this.temp.resolve("print args");
		Files.writeString(printer, "#!/bin/sh\nprintf '%s\\0' \"$@\" \"$PWD\" \"$TRICKY\" \"$FROM_FILE\"\n");
		Files.setPosixFilePermissions(printer, PosixFilePermissions.fromString("rwxr-xr-x"));
		Path workingDirectory = Files.createDirectories(this.temp.resolve("work dir ' $x"));
		Path environmentFile = this.temp.resolve("env");
		Files.writeString(environmentFile, "FROM_FILE='from file'\n");
		// chpst drops spaces and tabs at the end of an envdir value
		String tricky = String.join(" ", Specs.TRICKY_ARGUMENTS) + "end";
		RegistrationSpec spec = Specs.orders()
			.user(null, null)
			.javaBinary(printer)
			.jvmOptions(Specs.TRICKY_ARGUMENTS)
			.arguments(Specs.TRICKY_ARGUMENTS)
			.workingDirectory(workingDirectory)
			.environment("TRICKY", tricky)
			.environmentFile(environmentFile)
			.build();
		new GeneratedFiles(this.temp).write(this.generator.generate(spec));
		// runsv starts ./run in the service directory
		Commands.Result result = Commands.run(Duration.ofSeconds(10), List.of("/bin/sh", "-c",
				"cd \"$1\" && exec /bin/sh ./run", "sh", this.temp.resolve("orders").toString()));
		assertThat(result.exitStatus()).isZero();
		List<String> words = Arrays.asList(result.stdout().split("\0", -1));
		List<String> expected = new ArrayList<>(spec.commandLine().subList(1, spec.commandLine().size()));
		expected.addAll(List.of(workingDirectory.toString(), tricky, "from file", ""));
		assertThat(words).containsExactlyElementsOf(expected);
	}

	@Test
	void keepsEnvironmentValuesOutOfTheRunScript() {
		Registration registration = this.generator
			.generate(Specs.orders().environment("DB_PASSWORD", "hunter2").build());
		assertThat(content(registration, "orders/run")).doesNotContain("hunter2")
			.contains("exec chpst -e \"$envdir\" -u 'orders' ");
		assertThat(content(registration, "orders/env/DB_PASSWORD"))
			.isEqualTo("hunter2\n# " + Registration.markerLine("orders") + "\n");
	}

	@Test
	void refusesAnEnvironmentValueEndingInWhiteSpaceThatChpstWouldDrop() {
		assertThatExceptionOfType(RegistrationException.class)
			.isThrownBy(() -> this.generator.generate(Specs.orders().environment("X", "value ").build()))
			.withMessageContaining("supervision.registration.run-as.environment.X");
	}

	@Test
	void refusesALogDirectoryThatIsALink() throws IOException {
		Path real = Files.createDirectories(this.temp.resolve("real"));
		Path link = Files.createSymbolicLink(this.temp.resolve("log"), real);
		assertThatExceptionOfType(RegistrationException.class)
			.isThrownBy(() -> this.generator.generate(Specs.orders().logDirectory(link).build()))
			.withMessageContaining("supervision.registration.runit.log-directory")
			.withMessageContaining("is a link");
	}

	@Test
	void refusesALogDirectoryWhoseParentOthersMayWrite() throws IOException {
		Path parent = Files.createDirectories(this.temp.resolve("shared"));
		Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxrwxrwx"));
		assertThatExceptionOfType(RegistrationException.class)
			.isThrownBy(() -> this.generator.generate(Specs.orders().logDirectory(parent.resolve("log")).build()))
			.withMessageContaining("supervision.registration.runit.log-directory")
			.withMessageContaining(parent.toString());
		Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
		assertThat(this.generator.generate(Specs.orders().logDirectory(parent.resolve("log")).build()).files())
			.extracting(GeneratedFile::path)
			.contains("orders/log/run");
	}

	private static String content(Registration registration, String path) {
		return registration.files()
			.stream()
			.filter((file) -> file.path().equals(path))
			.map(GeneratedFile::content)
			.findFirst()
			.orElseThrow();
	}

}
