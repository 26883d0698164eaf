package io.github.supervision.registration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link RegistrationSpec}.
 *
 * @author Supervision contributors
 */
class RegistrationSpecTests {

	private static final Path JAVA = Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java");

	@Test
	void runsTheAbsoluteJarWhenStartedWithDashJar() {
		JvmFacts facts = new JvmFacts(JAVA, List.of("-Xmx256m", "-Dspring.profiles.active=prod"),
				"build/app.jar --server.port=9000", "build/app.jar", Path.of("/srv/app"));
		RegistrationSpec spec = RegistrationSpec.fromJvm("app", facts, List.of("--server.port=9000"), false).build();
		assertThat(spec.commandLine()).containsExactly(JAVA.toString(), "-Xmx256m", "-Dspring.profiles.active=prod",
				"-jar", "/srv/app/build/app.jar", "--server.port=9000");
		assertThat(spec.runAs().workingDirectory()).isEqualTo(Path.of("/srv/app"));
	}

	@Test
	void runsTheMainClassWithTheAbsoluteClassPathOtherwise() {
		JvmFacts facts = new JvmFacts(JAVA, List.of(), "com.example.App a b", "classes:lib/x.jar:/opt/y.jar",
				Path.of("/srv/app"));
		RegistrationSpec spec = RegistrationSpec.fromJvm("app", facts, List.of("a", "b"), false).build();
		assertThat(spec.commandLine()).containsExactly(JAVA.toString(), "-cp",
				"/srv/app/classes:/srv/app/lib/x.jar:/opt/y.jar", "com.example.App", "a", "b");
	}

	@Test
	void dropsDebuggerAndAgentOptionsUnlessAsked() {
		List<String> options = List.of("-agentlib:jdwp=transport=dt_socket,server=y,address=5005",
				"-javaagent:/opt/agent.jar", "-agentpath:/opt/libyjp.so", "-Xdebug", "-Xrunjdwp:server=y", "-Xms1g");
		JvmFacts facts = new JvmFacts(JAVA, options, "app.jar", "app.jar", Path.of("/srv"));
		assertThat(RegistrationSpec.fromJvm("app", facts, List.of(), false).build().command().jvmOptions())
			.containsExactly("-Xms1g");
		assertThat(RegistrationSpec.fromJvm("app", facts, List.of(), true).build().command().jvmOptions())
			.containsExactlyElementsOf(options);
	}

	@Test
	void dropsTheModeButKeepsTheOtherRegistrationSettingsForTheRunningService() {
		JvmFacts facts = new JvmFacts(JAVA, List.of("-Dsupervision.registration.mode=install",
				"-Dsupervision.registration.supervisor=runit", "-Dkeep=1"), "app.jar", "app.jar", Path.of("/srv"));
		RegistrationSpec spec = RegistrationSpec.fromJvm("app", facts,
				List.of("--supervision.registration.mode=install", "--debug", "--supervision.registration.mode",
						"--supervision.registration.name=x", "--supervision.registration.modes=y",
						"--supervision.services.db.unit=pg.service"),
				false)
			.build();
		assertThat(spec.command().jvmOptions()).containsExactly("-Dsupervision.registration.supervisor=runit",
				"-Dkeep=1");
		assertThat(spec.command().arguments()).containsExactly("--debug", "--supervision.registration.name=x",
				"--supervision.registration.modes=y", "--supervision.services.db.unit=pg.service");
	}

	@Test
	void findsALaunchedJarWhosePathHoldsASpaceWhenTheLauncherChangedTheClassPath(@TempDir Path temp)
			throws IOException {
		Path jar = Files.createFile(Files.createDirectories(temp.resolve("my apps")).resolve("booter.jar"));
		JvmFacts facts = new JvmFacts(JAVA, List.of(), jar + " " + temp.resolve("my apps/x.jar") + " arg",
				"/opt/lib/a.jar:/opt/lib/b.jar", temp);
		RegistrationSpec spec = RegistrationSpec.fromJvm("orders", facts, List.of(), false).build();
		assertThat(spec.command().jar()).isEqualTo(jar);
		assertThat(spec.command().mainClass()).isNull();
	}

	@Test
	void readsTheRunningJvm() {
		RegistrationSpec spec = RegistrationSpec.fromRunningJvm("tests", List.of("x"), false).build();
		assertThat(spec.command().javaBinary()).isAbsolute();
		assertThat(Files.isExecutable(spec.command().javaBinary())).isTrue();
		assertThat(spec.commandLine()).endsWith("x");
		assertThat(spec.command().jvmOptions()).noneMatch(JavaCommand::isDebugOption);
	}

	@Test
	void namesThePropertyOfAValueWithANewline() {
		assertThatExceptionOfType(RegistrationException.class)
			.isThrownBy(() -> Specs.orders().environment("GREETING", "hello\nworld").build())
			.withMessageStartingWith("'supervision.registration.run-as.environment.GREETING': ")
			.withMessageContaining("control characters");
		assertThatExceptionOfType(RegistrationException.class)
			.isThrownBy(() -> Specs.orders().arguments(List.of("ok", "bad\r")).build())
			.withMessageStartingWith("'program argument 2': ");
		assertThatExceptionOfType(RegistrationException.class)
			.isThrownBy(() -> Specs.orders().description("two\nlines").build())
			.withMessageStartingWith("'supervision.registration.description': ");
	}

	@Test
	void rejectsRelativePathsAndBadNames() {
		assertThatExceptionOfType(RegistrationException.class)
			.isThrownBy(() -> Specs.orders().jar(Path.of("app.jar")).build())
			.withMessageContaining("absolute");
		assertThatExceptionOfType(RegistrationException.class)
			.isThrownBy(() -> Specs.orders().javaBinary(Path.of("java")).build())
			.withMessageContaining("java-binary");
		assertThatExceptionOfType(RegistrationException.class)
			.isThrownBy(() -> Specs.orders().workingDirectory(Path.of("relative")).build())
			.withMessageContaining("working-directory");
		for (String name : List.of("../x", "-x", ".x", "a/b", "a b", "a:b", "")) {
			assertThatExceptionOfType(RegistrationException.class)
				.isThrownBy(() -> RegistrationSpec.builder(name).javaBinary(JAVA).jar(Path.of("/a.jar")).build())
				.withMessageContaining("supervision.registration.name");
		}
		assertThatExceptionOfType(RegistrationException.class)
			.isThrownBy(() -> Specs.orders().environment("NOT-A-NAME", "x").build())
			.withMessageContaining("environment variable names");
		assertThatExceptionOfType(RegistrationException.class)
			.isThrownBy(() -> Specs.orders().user("root;rm", null).build())
			.withMessageContaining("supervision.registration.run-as.user");
	}

}
