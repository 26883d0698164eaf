package io.github.supervision.sample;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import io.github.supervision.testsupport.Commands;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the sample's packaged jar, processed ahead of time by
 * {@code spring-boot:process-aot}, with {@code -Dspring.aot.enabled=true}: the context is
 * built from the generated initializers instead of the auto-configurations' classes, and
 * {@code /actuator/services} answers with the three demo services. It runs in the
 * {@code integration-test} phase, after the jar is built ({@code sample.jar} names it),
 * and is skipped elsewhere.
 *
 * @author Supervision contributors
 */
class SampleAotTests {

	private static final String PASSWORD = "aot-secret";

	private static final String SUPERVISORD_SOCKET = "/var/run/supervisor.sock";

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@TempDir
	Path directory;

	private Process application;

	private Path log;

	private int port;

	@AfterEach
	void stopTheApplication() throws InterruptedException {
		if (this.application != null) {
			// SIGTERM, by the PID of the process this test started
			Commands.stop(this.application, Duration.ofSeconds(30));
		}
	}

	@Test
	void theAotProcessedJarListsTheDemoServicesAndActsOnThem() throws Exception {
		String jarProperty = System.getProperty("sample.jar");
		Assumptions.assumeTrue(jarProperty != null, "runs in the integration-test phase, after the jar is built");
		Path jar = Path.of(jarProperty);
		assertThat(jar).isRegularFile();
		try (JarFile contents = new JarFile(jar.toFile())) {
			assertThat(contents.getEntry(
					"BOOT-INF/classes/io/github/supervision/sample/SampleApplication__ApplicationContextInitializer.class"))
				.as("the initializer spring-boot:process-aot generates")
				.isNotNull();
		}
		start(jar);
		Awaitility.await("ticker running (log: " + this.log + ")")
			.atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> this.application.isAlive() && "running".equals(stateOf("ticker"))
					|| !this.application.isAlive());
		assertThat(this.application.isAlive()).as(this::log).isTrue();
		assertThat(log()).contains("Starting AOT-processed SampleApplication");
		HttpResponse<String> health = get("/actuator/health");
		assertThat(health.statusCode()).isIn(200, 503);
		assertThat(JsonPath.parse(health.body()).<Object>read("$.components.supervision")).isNotNull();
		DocumentContext services = JsonPath.parse(get("/actuator/services").body());
		assertThat(services.<List<String>>read("$.services[*].name")).containsExactly("ticker", "worker", "flaky");
		// flaky crashes every 30 s and is restarted: any state but unknown
		assertThat(services.<List<String>>read("$.services[*].state")).hasSize(3)
			.isSubsetOf("starting", "running", "reloading", "stopping", "stopped", "failed");
		assertThat(services.<List<String>>read("$.services[?(@.name == 'ticker')].state")).containsExactly("running");
		assertThat(services.<List<String>>read("$.services[*].backend")).containsOnly("embedded");
		assertThat(services.<Boolean>read("$.backends.embedded.available")).isTrue();
		// nothing in the build's configuration uses them: not defined at build time
		assertThat(services.<Map<String, Object>>read("$.backends")).doesNotContainKeys("systemd", "runit");
		if (!Files.exists(Path.of(SUPERVISORD_SOCKET))) {
			// defined at build time, where the socket cannot be looked for; left out here
			assertThat(services.<Map<String, Object>>read("$.backends")).doesNotContainKey("supervisord");
		}
		// an action, answered with the action's descriptor: access is read at run time
		HttpResponse<String> restart = post("/actuator/services/worker", "{\"action\":\"restart\"}");
		assertThat(restart.statusCode()).as(restart.body()).isEqualTo(200);
		assertThat(JsonPath.parse(restart.body()).<String>read("$.outcome")).isEqualTo("done");
		assertThat(JsonPath.parse(restart.body()).<String>read("$.service.state")).isEqualTo("running");
		HttpResponse<String> lines = get("/actuator/services/ticker/log?lines=5");
		assertThat(lines.statusCode()).as(lines.body()).isEqualTo(200);
		assertThat(JsonPath.parse(lines.body()).<String>read("$.service")).isEqualTo("ticker");
	}

	private void start(Path jar) throws IOException {
		this.port = freePort();
		this.log = this.directory.resolve("sample.log");
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		this.application = new ProcessBuilder(java, "-Dspring.aot.enabled=true", "-jar", jar.toString(),
				"--server.port=" + this.port, "--server.address=127.0.0.1",
				"--spring.security.user.password=" + PASSWORD, "--management.endpoint.services.access=unrestricted")
			.redirectErrorStream(true)
			.redirectOutput(this.log.toFile())
			.start();
	}

	private String stateOf(String service) {
		try {
			HttpResponse<String> response = get("/actuator/services/" + service);
			return (response.statusCode() == 200) ? JsonPath.parse(response.body()).read("$.state") : null;
		}
		catch (IOException ex) {
			return null; // not listening yet
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return this.client.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
		return this.client.send(request(path).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpRequest.Builder request(String path) {
		String credentials = Base64.getEncoder().encodeToString(("ops:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(60))
			.header("Authorization", "Basic " + credentials);
	}

	private String log() {
		try {
			return Files.readString(this.log);
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
