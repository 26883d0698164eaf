package io.github.supervision.registration;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.supervision.registration.app.RegistrationTestApplication;
import io.github.supervision.selfregistration.RegistrationReport;
import io.github.supervision.testsupport.ClassPathJar;
import io.github.supervision.testsupport.Commands;
import io.github.supervision.testsupport.RealDaemonTest;
import io.github.supervision.testsupport.RealDaemons;
import io.github.supervision.testsupport.Runsvdir;
import io.github.supervision.testsupport.SupervisordDaemon;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same application installs itself with
 * {@code java -jar app.jar --supervision.registration.mode=install} under a real
 * {@code supervisord} ({@link SupervisordDaemon}: include file, then update through the
 * supervisord backend) and a real {@code runsvdir} ({@link Runsvdir}: service directory,
 * link into its scan directory), runs there, and reports over HTTP, in
 * {@code /actuator/services}, that it is registered and up to date; a hand edit of the
 * installed file makes it report a difference, without the value.
 *
 * @author Supervision contributors
 */
@RealDaemonTest
class SelfRegistrationReportTests {

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private static final JsonMapper json = JsonMapper.builder().build();

	@RegisterExtension
	static final SupervisordDaemon supervisord = SupervisordDaemon
		.withPrograms("[include]\nfiles=%(here)s/conf.d/*.conf\n")
		.beforeStart((daemon) -> Files.createDirectories(daemon.directory().resolve("conf.d")));

	@RegisterExtension
	static final Runsvdir runsvdir = Runsvdir.create();

	private static Path jar;

	private static Path credentials;

	@BeforeAll
	static void writeTheApplication() throws Exception {
		jar = ClassPathJar.write(supervisord.directory().resolve("app/registration-app.jar"),
				RegistrationTestApplication.class);
		// In a file, not on the command line that the registration writes into the
		// program
		credentials = supervisord.directory().resolve("credentials.properties");
		Files.writeString(credentials, "supervision.supervisord.username=" + SupervisordDaemon.USERNAME
				+ "\nsupervision.supervisord.password=" + SupervisordDaemon.PASSWORD + "\n");
		Files.setPosixFilePermissions(credentials, PosixFilePermissions.fromString("rw-------"));
	}

	@Test
	void installsItselfUnderSupervisordAndReportsItsRegistrationUpToDate() throws Exception {
		Path directory = supervisord.directory();
		int port = freePort();
		List<String> arguments = List.of("--supervision.registration.supervisor=supervisord",
				"--supervision.registration.name=self-app",
				"--supervision.registration.directory=" + directory.resolve("conf.d"),
				"--supervision.registration.supervisord.log-directory=" + directory,
				"--supervision.supervisord.url=" + supervisord.unixUrl(),
				"--spring.config.additional-location=file:" + credentials, "--server.port=" + port,
				"--management.endpoints.web.exposure.include=services");
		Commands.Result install = javaJar("install", arguments);
		assertThat(install.exitStatus()).as(install.stderr()).isZero();
		assertThat(install.stdout()).contains("Wrote " + directory.resolve("conf.d/self-app.conf"))
			.contains("Updated supervisord: added self-app")
			.doesNotContain("Still to do")
			.doesNotContain("Tomcat");
		JsonNode registration = awaitRegistration(port);
		assertThat(registration.path("supervisor").asString()).isEqualTo("supervisord");
		assertThat(registration.path("detected").asBoolean()).isTrue();
		assertThat(registration.path("name").asString()).isEqualTo("self-app");
		assertThat(registration.path("definition").asString())
			.isEqualTo(directory.resolve("conf.d/self-app.conf").toString());
		assertThat(registration.path("registered").asBoolean()).isTrue();
		assertThat(registration.path("upToDate").asBoolean()).as(registration.toString()).isTrue();
		assertThat(registration.path("differences")).isEmpty();

		Path installed = directory.resolve("conf.d/self-app.conf");
		String original = Files.readString(installed);
		Files.writeString(installed, original + "startretries=9\n");
		// the report reads the installed files again once its cache period is over
		JsonNode edited = Awaitility.await()
			.atMost(RegistrationReport.CACHE_PERIOD.multipliedBy(5))
			.until(() -> registration(port), (answer) -> !answer.path("upToDate").asBoolean());
		assertThat(edited.path("registered").asBoolean()).isTrue();
		assertThat(edited.path("upToDate").asBoolean()).isFalse();
		assertThat(edited.path("differences").get(0).asString()).startsWith("self-app.conf: line ")
			.contains("(startretries)")
			.doesNotContain("=9");
		Files.writeString(installed, original);

		Commands.Result uninstall = javaJar("uninstall", arguments);
		assertThat(uninstall.exitStatus()).as(uninstall.stderr()).isZero();
		assertThat(uninstall.stdout().lines().filter((line) -> !line.contains(" INFO ")).toList()).containsExactly(
				"Stopped self-app (STOPPED)", "Removed " + installed, "Updated supervisord: removed self-app");
		assertThat(installed).doesNotExist();
	}

	@Test
	void installsItselfUnderRunsvdirAndReportsItsRegistrationUpToDate() throws Exception {
		RealDaemons.requireRoot();
		Path directory = runsvdir.root();
		int port = freePort();
		Path scan = runsvdir.scan();
		List<String> arguments = List.of("--supervision.registration.supervisor=runit",
				"--supervision.registration.name=self-runit", "--supervision.registration.run-as.user=root",
				"--supervision.registration.directory=" + directory.resolve("sv"),
				"--supervision.registration.runit.scan-directory=" + scan, "--server.port=" + port,
				"--management.endpoints.web.exposure.include=services");
		Commands.Result install = javaJar("install", arguments);
		assertThat(install.exitStatus()).as(install.stderr()).isZero();
		assertThat(install.stdout()).contains("Wrote " + directory.resolve("sv/self-runit/run"))
			.contains("Linked " + scan.resolve("self-runit"));
		JsonNode registration = awaitRegistration(port);
		assertThat(registration.path("supervisor").asString()).isEqualTo("runit");
		assertThat(registration.path("detected").asBoolean()).isTrue();
		assertThat(registration.path("name").asString()).isEqualTo("self-runit");
		assertThat(registration.path("definition").asString())
			.isEqualTo(directory.resolve("sv/self-runit/run").toString());
		assertThat(registration.path("registered").asBoolean()).isTrue();
		assertThat(registration.path("upToDate").asBoolean()).as(registration.toString()).isTrue();
		Commands.Result status = Commands.run(Duration.ofSeconds(10),
				List.of("/usr/bin/sv", "status", scan.resolve("self-runit").toString()));
		assertThat(status.stdout()).startsWith("run: ");

		Path run = directory.resolve("sv/self-runit/run");
		String original = Files.readString(run);
		Files.writeString(run, original.replace("exec 2>&1\n", "exec 2>&1\nexport SECRET=hunter2\n"));
		// the report reads the installed files again once its cache period is over
		JsonNode edited = Awaitility.await()
			.atMost(RegistrationReport.CACHE_PERIOD.multipliedBy(5))
			.until(() -> registration(port), (answer) -> !answer.path("upToDate").asBoolean());
		assertThat(edited.path("upToDate").asBoolean()).isFalse();
		assertThat(edited.toString()).contains("self-runit/run: line ").doesNotContain("hunter2");
		Files.writeString(run, original);
		Awaitility.await()
			.atMost(RegistrationReport.CACHE_PERIOD.multipliedBy(5))
			.until(() -> registration(port).path("upToDate").asBoolean());

		Commands.Result uninstall = javaJar("uninstall", arguments);
		assertThat(uninstall.exitStatus()).as(uninstall.stderr()).isZero();
		assertThat(scan.resolve("self-runit")).doesNotExist();
		// runsvdir stops the service and its runsv once the link is gone
		assertThat(Commands.await(Duration.ofSeconds(20), () -> !isUp(port))).isTrue();
	}

	private static JsonNode awaitRegistration(int port) throws Exception {
		boolean up = Commands.await(Duration.ofSeconds(60), () -> isUp(port));
		assertThat(up).as("the application answers on port %d", port).isTrue();
		return registration(port);
	}

	private static boolean isUp(int port) {
		try {
			return get(port).statusCode() == 200;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private static JsonNode registration(int port) throws Exception {
		HttpResponse<String> response = get(port);
		assertThat(response.statusCode()).isEqualTo(200);
		return json.readTree(response.body()).path("registration");
	}

	private static HttpResponse<String> get(int port) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/services"))
			.timeout(Duration.ofSeconds(5))
			.build();
		return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
	}

	private static Commands.Result javaJar(String mode, List<String> arguments) throws Exception {
		List<String> command = new ArrayList<>(List.of(JvmFacts.current().javaBinary().toString(),
				"-XX:TieredStopAtLevel=1", "-jar", jar.toString(), "--supervision.registration.mode=" + mode));
		command.addAll(arguments);
		return Commands.run(Duration.ofSeconds(90), command);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
