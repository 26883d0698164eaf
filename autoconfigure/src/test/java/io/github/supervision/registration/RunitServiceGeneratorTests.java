package io.github.supervision.registration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.github.supervision.registration.RegistrationSpec.Restart;
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
			.containsExactly("orders/log/run", "orders/finish", "orders/run");
		assertThat(registration.files()).allSatisfy((file) -> assertThat(file.mode()).isEqualTo(0755));
		Golden.assertMatches("orders.runit", registration.describe());
	}

	@Test
	void writesADownFileWhenNotStartedAutomatically() {
		Registration registration = this.generator
			.generate(Specs.orders().autostart(false).restart(Restart.ALWAYS).logDirectory(null).build());
		assertThat(registration.files()).extracting(GeneratedFile::path).containsExactly("orders/down", "orders/run");
	}

	@Test
	void needsAUserToSetAGroup() {
		assertThatExceptionOfType(RegistrationException.class)
			.isThrownBy(() -> this.generator.generate(Specs.orders().user(null, "staff").build()))
			.withMessageContaining("supervision.registration.group");
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
		String tricky = String.join(" ", Specs.TRICKY_ARGUMENTS);
		RegistrationSpec spec = Specs.orders()
			.user(null, null)
			.javaBinary(printer)
			.jvmOptions(Specs.TRICKY_ARGUMENTS)
			.arguments(Specs.TRICKY_ARGUMENTS)
			.workingDirectory(workingDirectory)
			.environment("TRICKY", tricky)
			.environmentFile(environmentFile)
			.build();
		Path run = this.temp.resolve("run");
		Files.writeString(run, content(this.generator.generate(spec), "orders/run"));
		Commands.Result result = Commands.run(Duration.ofSeconds(10), List.of("/bin/sh", run.toString()));
		assertThat(result.exitStatus()).isZero();
		List<String> words = Arrays.asList(result.stdout().split("\0", -1));
		List<String> expected = new ArrayList<>(spec.commandLine().subList(1, spec.commandLine().size()));
		expected.addAll(List.of(workingDirectory.toString(), tricky, "from file", ""));
		assertThat(words).containsExactlyElementsOf(expected);
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
