package io.github.supervision.registration;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.github.supervision.testsupport.Commands;
import io.github.supervision.testsupport.RealDaemons;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link SupervisordProgramGenerator}, with the section read back by
 * supervisord's own parsing code.
 *
 * @author Supervision contributors
 */
class SupervisordProgramGeneratorTests {

	private static final String PYTHON = "/usr/bin/python3";

	private final SupervisordProgramGenerator generator = new SupervisordProgramGenerator();

	@TempDir
	Path temp;

	@Test
	void aProgramWithoutEnvironmentIsReadableByAll() {
		Registration registration = this.generator.generate(RegistrationSpec.builder("plain")
			.javaBinary(Path.of("/usr/bin/java"))
			.jar(Path.of("/opt/plain.jar"))
			.build());
		assertThat(registration.files()).singleElement().satisfies((file) -> assertThat(file.mode()).isEqualTo(0644));
	}

	@Test
	void generatesTheGoldenProgramSection() throws IOException {
		Registration registration = this.generator.generate(Specs.orders().build());
		assertThat(registration.files()).singleElement().satisfies((file) -> {
			assertThat(file.path()).isEqualTo("orders.conf");
			assertThat(file.mode()).as("it holds environment values").isEqualTo(0600);
		});
		Golden.assertMatches("orders.conf", registration.files().get(0).content());
	}

	@Test
	void rejectsWhatSupervisordCannotDo() {
		assertThatExceptionOfType(RegistrationException.class)
			.isThrownBy(() -> this.generator.generate(Specs.orders().user("orders", "staff").build()))
			.withMessageContaining("supervision.registration.run-as.group");
		assertThatExceptionOfType(RegistrationException.class)
			.isThrownBy(() -> this.generator.generate(Specs.orders().environmentFile(Path.of("/etc/env")).build()))
			.withMessageContaining("supervision.registration.run-as.environment-file");
	}

	@Test
	void rejectsEnvironmentValuesSupervisordWouldChange() {
		for (String value : List.of("\"quoted\"", "'x", "both \" and '", "a ;comment", "a #comment")) {
			assertThatExceptionOfType(RegistrationException.class)
				.isThrownBy(() -> this.generator.generate(Specs.orders().environment("X", value).build()))
				.withMessageContaining("supervision.registration.run-as.environment.X");
		}
		assertThatExceptionOfType(RegistrationException.class)
			.isThrownBy(() -> this.generator.generate(Specs.orders().workingDirectory(Path.of("/srv/a ;b")).build()))
			.withMessageContaining("supervision.registration.run-as.working-directory");
	}

	@Test
	void commandAndEnvironmentReadBackThroughSupervisordsParser() throws Exception {
		RealDaemons.requireExecutables(PYTHON);
		RealDaemons.require(Files.isDirectory(Path.of("/usr/lib/python3/dist-packages/supervisor")),
				"supervisor (Debian package 'supervisor') is not installed");
		Path workingDirectory = Path.of("/srv/100% work ' dir");
		RegistrationSpec spec = Specs.orders()
			.javaBinary(Path.of("/opt/j d k/bin/java"))
			.jvmOptions(Specs.TRICKY_ARGUMENTS)
			.arguments(Specs.TRICKY_ARGUMENTS)
			.workingDirectory(workingDirectory)
			.environment("QUOTE", "it's 100% \\ $HOME, a=b")
			.environment("DOUBLE", "say \"hi\";x")
			.environment("EMPTY", "")
			.environment("UNICODE", "\u65e5\u672c \u2713")
			.build();
		Path conf = this.temp.resolve("orders.conf");
		Files.writeString(conf, this.generator.generate(spec).files().get(0).content());
		Path script = this.temp.resolve("parse.py");
		try (InputStream stream = getClass().getResourceAsStream("/registration/supervisord-parse.py")) {
			Files.write(script, stream.readAllBytes());
		}
		Commands.Result result = Commands.run(Duration.ofSeconds(20),
				List.of(PYTHON, script.toString(), conf.toString()));
		assertThat(result.stderr()).isEmpty();
		List<String> expected = new ArrayList<>(spec.commandLine());
		expected.add("");
		spec.runAs().environment().forEach((key, value) -> expected.add(key + "=" + value));
		expected.add("");
		expected.add(workingDirectory.toString());
		assertThat(Arrays.asList(result.stdout().split("\0", -1))).containsExactlyElementsOf(expected);
	}

}
