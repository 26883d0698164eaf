package io.github.supervision.registration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.supervision.registration.app.RegistrationTestApplication;
import io.github.supervision.testsupport.Commands;
import io.github.supervision.testsupport.RealDaemons;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one-shot mode in a real {@code java} process: a web application started with
 * {@code --supervision.registration.mode} prints or installs its definition and exits
 * with a clear status, without starting its web server or creating its beans.
 *
 * @author Supervision contributors
 */
class RegistrationModeTests {

	@TempDir
	Path temp;

	@Test
	void printsTheUnitAndExitsWithoutStartingTheWebServer() throws Exception {
		Commands.Result result = java("--supervision.registration.mode", "--supervision.registration.name=orders-app",
				"--server.port=0", "--name=with space");
		assertThat(result.exitStatus()).as(result.stderr()).isZero();
		assertThat(result.stdout()).contains("### orders-app.service (systemd")
			.contains("\"" + RegistrationTestApplication.class.getName()
					+ "\" \"--supervision.registration.name=orders-app\" \"--server.port=0\" \"--name=with space\"\n")
			.contains("# Dry run");
		assertThat(result.stdout().lines().filter((line) -> line.startsWith("ExecStart="))).singleElement()
			.asString()
			.doesNotContain("--supervision.registration.mode");
		assertThat(result.stdout() + result.stderr()).doesNotContain("Tomcat").doesNotContain("Started");
	}

	@Test
	void installsAUnitThatSystemdAccepts() throws Exception {
		Commands.Result result = java("--supervision.registration.mode=install",
				"--supervision.registration.name=orders-app", "--supervision.registration.directory=" + this.temp,
				"--supervision.registration.activation.enabled=false", "--server.port=0");
		assertThat(result.exitStatus()).as(result.stderr()).isZero();
		Path unit = this.temp.resolve("orders-app.service");
		assertThat(result.stdout()).contains("Wrote " + unit).contains("systemctl enable orders-app.service");
		RealDaemons.requireExecutables("/usr/bin/systemd-analyze");
		Commands.Result verify = Commands.run(Duration.ofSeconds(30),
				List.of("/usr/bin/systemd-analyze", "verify", unit.toString()));
		assertThat(verify.stdout() + verify.stderr()).as(Files.readString(unit)).isEmpty();
	}

	@Test
	void exitsWithAFailureStatusAndAMessage() throws Exception {
		Commands.Result result = java("--supervision.registration.mode=install",
				"--supervision.registration.name=orders-app", "--supervision.registration.directory=" + this.temp,
				"--supervision.registration.systemd.directives.Service.RestartSecs=1");
		assertThat(result.exitStatus()).isEqualTo(1);
		assertThat(result.stderr()).contains("Registration failed: ").contains("did you mean 'RestartSec'");
		assertThat(this.temp).isEmptyDirectory();
	}

	private static Commands.Result java(String... arguments) throws Exception {
		List<String> command = new ArrayList<>(
				List.of(JvmFacts.current().javaBinary().toString(), "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp",
						System.getProperty("java.class.path"), RegistrationTestApplication.class.getName()));
		command.addAll(List.of(arguments));
		return Commands.run(Duration.ofSeconds(60), command);
	}

}
