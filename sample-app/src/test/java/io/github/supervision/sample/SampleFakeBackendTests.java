package io.github.supervision.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceState;
import io.github.supervision.test.AutoConfigureSupervisionTest;
import io.github.supervision.test.FakeSupervision;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the sample application's security rules, health and error mapping over real
 * HTTP, with its services answered by the fake backend of
 * {@code supervision-spring-boot-test}: states and failures that real processes would
 * take long or be hard to produce. {@link SampleApplicationTests} runs the real embedded
 * services.
 *
 * @author Supervision contributors
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoint.services.access=unrestricted", "spring.security.user.password=secret" })
@AutoConfigureSupervisionTest
class SampleFakeBackendTests {

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	int port;

	@Autowired
	FakeSupervision supervision;

	@AfterEach
	void resetFakes() {
		this.supervision.reset();
	}

	@Test
	void healthIsDownWhileTheCriticalTickerIsStopped() throws Exception {
		assertThat(get("/actuator/health").statusCode()).isEqualTo(200);
		this.supervision.setState("ticker", ServiceState.STOPPED);
		HttpResponse<String> health = get("/actuator/health");
		assertThat(health.statusCode()).isEqualTo(503);
		DocumentContext body = JsonPath.parse(health.body());
		assertThat(body.read("$.components.supervision.components.ticker.status", String.class)).isEqualTo("DOWN");
		assertThat(body.read("$.components.supervision.components.worker.status", String.class)).isEqualTo("UP");
	}

	@Test
	void aWriteWithoutCredentialsNeverReachesTheBackend() throws Exception {
		assertThat(post("/actuator/services/worker", "{\"action\":\"stop\"}", null).statusCode()).isEqualTo(401);
		assertThat(this.supervision.getActions("worker")).isEmpty();
		assertThat(this.supervision.getState("worker")).isEqualTo(ServiceState.RUNNING);
	}

	@Test
	void anOperatorStopsTheWorker() throws Exception {
		HttpResponse<String> response = post("/actuator/services/worker", "{\"action\":\"stop\"}", "ops:secret");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(JsonPath.parse(response.body()).read("$.service.state", String.class)).isEqualTo("stopped");
		assertThat(this.supervision.getActions("worker")).containsExactly(ServiceAction.STOP);
	}

	@Test
	void aFailedRestartIsA502WithTheSupervisorsMessage() throws Exception {
		this.supervision.failAction("flaky", ServiceAction.RESTART, "exited too quickly");
		HttpResponse<String> response = post("/actuator/services/flaky", "{\"action\":\"restart\"}", "ops:secret");
		assertThat(response.statusCode()).isEqualTo(502);
		DocumentContext body = JsonPath.parse(response.body());
		assertThat(body.read("$.outcome", String.class)).isEqualTo("failed");
		assertThat(body.read("$.message", String.class)).isEqualTo("exited too quickly");
	}

	@Test
	void anActionTheServiceDoesNotAllowIsRefusedBeforeTheBackend() throws Exception {
		HttpResponse<String> response = post("/actuator/services/flaky", "{\"action\":\"reload\"}", "ops:secret");
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(this.supervision.getActions("flaky")).isEmpty();
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path, String body, @Nullable String credentials) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (credentials != null) {
			request.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
		}
		return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
