package io.github.supervision.actuate;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import io.github.supervision.testsupport.LocalHttp;
import io.github.supervision.testsupport.RealDaemonTest;
import io.github.supervision.testsupport.Runsvdir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the verbs beyond the classic actions over real HTTP, with real processes: a
 * signal to an embedded service's process group, enable and disable of a runit service
 * (its {@code down} file, as {@code sv status} reports it), and the 400 answers of a
 * signal that is missing or unknown and of a verb the backend does not have.
 *
 * @author Supervision contributors
 */
@RealDaemonTest
@SpringBootTest(classes = ServiceVerbsHttpTests.TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=services",
				"management.endpoint.services.access=unrestricted", "supervision.services.ticker.backend=embedded",
				"supervision.services.ticker.actions=start,stop,signal,enable,reset-failed",
				"supervision.services.worker.directory=worker",
				"supervision.services.worker.actions=start,stop,enable,disable,signal",
				"supervision.services.plain.backend=embedded", "supervision.services.plain.command=/bin/sleep,1000" })
class ServiceVerbsHttpTests {

	@RegisterExtension
	static final Runsvdir runsvdir = Runsvdir.withServices((runsvdir) -> {
		runsvdir.service("worker", "exec sleep 1000", false);
		Runsvdir.script(runsvdir.root().resolve("ticker.sh"), "trap 'echo usr1 >> " + runsvdir.root()
				+ "/ticker.txt' USR1\necho ready >> " + runsvdir.root() + "/ticker.txt\nwhile :; do sleep 0.05; done");
	});

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("supervision.runit.service-directory", () -> runsvdir.scan().toString());
		registry.add("supervision.services.ticker.command[0]", () -> "/bin/sh");
		registry.add("supervision.services.ticker.command[1]", () -> runsvdir.root().resolve("ticker.sh").toString());
	}

	/**
	 * Send a signal through the endpoint and check that it answered done, with the
	 * service still running.
	 * @param port the server's port
	 * @param service the service
	 * @param signal the signal's name
	 * @return the answer's body
	 * @throws Exception if the request fails
	 */
	static DocumentContext signalDone(int port, String service, String signal) throws Exception {
		HttpResponse<String> response = LocalHttp.post(port, "/actuator/services/" + service,
				"{\"action\":\"signal\",\"signal\":\"" + signal + "\"}");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		DocumentContext body = JsonPath.parse(response.body());
		assertThat(body.read("$.action", String.class)).isEqualTo("signal");
		assertThat(body.read("$.outcome", String.class)).isEqualTo("done");
		assertThat(body.read("$.backendResult", String.class)).isEqualTo(signal);
		assertThat(body.read("$.service.state", String.class)).isEqualTo("running");
		return body;
	}

	@Test
	void theActionsListShowsTheNewVerbsOnlyWhereListedAndSupported() throws Exception {
		DocumentContext ticker = JsonPath.parse(LocalHttp.get(this.port, "/actuator/services/ticker").body());
		assertThat(ticker.<List<Object>>read("$.actions")).containsExactly("start", "stop", "signal");
		assertThat(ticker.<List<Object>>read("$.capabilities")).contains("signal").doesNotContain("enable");
		DocumentContext worker = JsonPath.parse(LocalHttp.get(this.port, "/actuator/services/worker").body());
		assertThat(worker.<List<Object>>read("$.actions")).containsExactly("start", "stop", "enable", "disable",
				"signal");
		DocumentContext plain = JsonPath.parse(LocalHttp.get(this.port, "/actuator/services/plain").body());
		assertThat(plain.<List<Object>>read("$.actions")).containsExactly("start", "stop", "restart", "reload");
	}

	@Test
	void aSignalReachesTheEmbeddedServiceAndAnswersDone() throws Exception {
		Path log = runsvdir.root().resolve("ticker.txt");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> Files.exists(log) && Files.readString(log).contains("ready"));
		// running once its start seconds have passed, not only once its trap is set
		await().atMost(Duration.ofSeconds(10))
			.until(() -> "running"
				.equals(JsonPath.parse(LocalHttp.get(this.port, "/actuator/services/ticker").body()).read("$.state")));
		signalDone(this.port, "ticker", "USR1");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Files.readString(log)).contains("usr1"));
	}

	@Test
	void aMissingOrUnknownSignalIs400BeforeAnythingIsTouched() throws Exception {
		for (String json : List.of("{\"action\":\"signal\"}", "{\"action\":\"signal\",\"signal\":\"SEGV\"}",
				"{\"action\":\"signal\",\"signal\":\"\"}")) {
			HttpResponse<String> response = LocalHttp.post(this.port, "/actuator/services/ticker", json);
			assertThat(response.statusCode()).as(json).isEqualTo(400);
			DocumentContext body = JsonPath.parse(response.body());
			assertThat(body.read("$.error", String.class)).isEqualTo("invalid-action");
			assertThat(body.read("$.message", String.class)).contains("HUP, INT, QUIT, USR1");
		}
	}

	@Test
	void aVerbTheBackendDoesNotHaveIs400UnsupportedWithTheReason() throws Exception {
		HttpResponse<String> response = LocalHttp.post(this.port, "/actuator/services/ticker",
				"{\"action\":\"reset-failed\"}");
		assertThat(response.statusCode()).isEqualTo(400);
		DocumentContext body = JsonPath.parse(response.body());
		assertThat(body.read("$.outcome", String.class)).isEqualTo("unsupported");
		assertThat(body.read("$.message", String.class)).contains("reset-failed", "start it instead");
		HttpResponse<String> enable = LocalHttp.post(this.port, "/actuator/services/ticker", "{\"action\":\"enable\"}");
		assertThat(enable.statusCode()).isEqualTo(400);
		assertThat(JsonPath.parse(enable.body()).read("$.message", String.class)).contains("autostart");
	}

	@Test
	void aVerbNotListedForTheServiceIs403() throws Exception {
		HttpResponse<String> response = LocalHttp.post(this.port, "/actuator/services/plain",
				"{\"action\":\"signal\",\"signal\":\"HUP\"}");
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(JsonPath.parse(response.body()).read("$.error", String.class)).isEqualTo("not-allowed");
	}

	@Test
	void disableAndEnableOfARunitServiceWriteItsDownFile() throws Exception {
		Path worker = runsvdir.scan().resolve("worker");
		HttpResponse<String> disabled = LocalHttp.post(this.port, "/actuator/services/worker",
				"{\"action\":\"disable\"}");
		assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);
		assertThat(JsonPath.parse(disabled.body()).read("$.outcome", String.class)).isEqualTo("done");
		assertThat(Runsvdir.sv("status", worker.toString())).contains("normally down");
		HttpResponse<String> enabled = LocalHttp.post(this.port, "/actuator/services/worker",
				"{\"action\":\"enable\"}");
		assertThat(enabled.statusCode()).as(enabled.body()).isEqualTo(200);
		assertThat(Runsvdir.sv("status", worker.toString())).doesNotContain("normally down");
		HttpResponse<String> again = LocalHttp.post(this.port, "/actuator/services/worker", "{\"action\":\"enable\"}");
		assertThat(JsonPath.parse(again.body()).read("$.outcome", String.class)).isEqualTo("no_change");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
