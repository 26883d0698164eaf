package io.github.supervision.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the sample application over real HTTP, with its real embedded services.
 *
 * @author Supervision contributors
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoint.services.access=unrestricted", "spring.security.user.password=secret" })
class SampleApplicationTests {

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	int port;

	@Test
	void listsTheDemoServicesRunningWithoutCredentials() throws Exception {
		HttpResponse<String> response = await("ticker", "running");
		assertThat(response.statusCode()).isEqualTo(200);
		DocumentContext services = JsonPath.parse(get("/actuator/services").body());
		assertThat(services.<List<Object>>read("$.services[*].name")).contains("ticker", "worker", "flaky");
		assertThat(services.<List<Object>>read("$.services[*].backend")).contains("embedded");
		// only embedded services are declared: no idle systemd or runit backend
		assertThat(services.<Map<String, Object>>read("$.backends")).containsKey("embedded")
			.doesNotContainKeys("systemd", "runit");
		assertThat(JsonPath.parse(get("/actuator/services/worker").body()).<List<Object>>read("$.actions"))
			.containsExactly("start", "stop", "restart", "reload");
		assertThat(services.<List<Object>>read("$.services[?(@.name == 'ticker')].capabilities[*]"))
			.containsExactly("log-tail", "signal");
		assertThat(JsonPath.parse(get("/actuator/health").body()).<Map<String, Object>>read("$.components"))
			.containsKey("supervision");
	}

	@Test
	void readsTheLogOfADemoServiceLikeAnyOtherRead() throws Exception {
		await("ticker", "running");
		Awaitility.await("a line from ticker")
			.atMost(Duration.ofSeconds(20))
			.until(() -> JsonPath.parse(get("/actuator/services/ticker/log?lines=5").body())
				.<List<Object>>read("$.lines[*].text")
				.size() > 0);
		HttpResponse<String> response = get("/actuator/services/ticker/log?lines=5");
		assertThat(response.statusCode()).isEqualTo(200);
		DocumentContext log = JsonPath.parse(response.body());
		assertThat(log.read("$.service", String.class)).isEqualTo("ticker");
		assertThat(log.read("$.backend", String.class)).isEqualTo("embedded");
		assertThat(log.<List<String>>read("$.lines[*].text")).hasSizeBetween(1, 5)
			.allMatch((text) -> text.matches(".*\\d\\d:\\d\\d:\\d\\d.*"));
		assertThat(get("/actuator/services/ticker/log?lines=0").statusCode()).isEqualTo(400);
	}

	@Test
	void restartByAnOperatorChangesThePid() throws Exception {
		long before = pid(await("worker", "running").body());
		assertThat(ProcessHandle.of(before)).isPresent();
		HttpResponse<String> response = post("/actuator/services/worker", "{\"action\":\"restart\"}",
				"application/json", "ops:secret");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(JsonPath.parse(response.body()).read("$.outcome", String.class)).isEqualTo("done");
		long after = pid(get("/actuator/services/worker").body());
		assertThat(after).isNotEqualTo(before);
		assertThat(ProcessHandle.of(after)).isPresent();
		assertThat(ProcessHandle.of(before).map(ProcessHandle::isAlive).orElse(false)).isFalse();
	}

	@Test
	void writesNeedCredentials() throws Exception {
		HttpResponse<String> response = post("/actuator/services/worker", "{\"action\":\"stop\"}", "application/json",
				null);
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(get("/actuator/services/worker").body()).doesNotContain("\"state\":\"stopped\"");
	}

	@Test
	void aCrossSiteFormPostIsRefusedByCsrfProtection() throws Exception {
		HttpResponse<String> response = post("/actuator/services/worker", "action=stop",
				"application/x-www-form-urlencoded", "ops:secret");
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(get("/actuator/services/worker").body()).doesNotContain("\"state\":\"stopped\"");
	}

	@Test
	void aContentTypeThatDoesNotParseIsRefusedWithoutAServerError() throws Exception {
		for (String contentType : new String[] { "garbage", "application/", "text/plain; charset", ";;;" }) {
			HttpResponse<String> response = post("/actuator/services/worker", "{\"action\":\"stop\"}", contentType,
					"ops:secret");
			assertThat(response.statusCode()).as(contentType).isEqualTo(403);
		}
		assertThat(get("/actuator/services/worker").body()).doesNotContain("\"state\":\"stopped\"");
	}

	@Test
	void anActionIsLoggedWithThePrincipalWhoAskedForIt(CapturedOutput output) throws Exception {
		await("worker", "running");
		HttpResponse<String> response = post("/actuator/services/worker", "{\"action\":\"reload\"}", "application/json",
				"ops:secret");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(output).contains("Action reload on service 'worker' by ops: done");
	}

	@Test
	void actionsOutsideTheServicesListAreNotAllowed() throws Exception {
		HttpResponse<String> response = post("/actuator/services/flaky", "{\"action\":\"kill\"}", "application/json",
				"ops:secret");
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(JsonPath.parse(response.body()).read("$.error", String.class)).isEqualTo("not-allowed");
	}

	@Test
	void aPrometheusScrapeNeedsCredentialsAndShowsTheServices() throws Exception {
		assertThat(get("/actuator/prometheus").statusCode()).isEqualTo(401);
		await("ticker", "running");
		HttpResponse<String> scrape = this.client
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/prometheus"))
				.header("Authorization",
						"Basic " + Base64.getEncoder().encodeToString("ops:secret".getBytes(StandardCharsets.UTF_8)))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(scrape.statusCode()).isEqualTo(200);
		assertThat(scrape.body()).contains("supervision_service_up{backend=\"embedded\",service=\"ticker\"} 1")
			.contains("supervision_service_state{backend=\"embedded\",service=\"ticker\",state=\"running\"} 1")
			.contains("supervision_service_critical{backend=\"embedded\",service=\"ticker\"} 1")
			.contains("supervision_backend_available{backend=\"embedded\"} 1");
	}

	@Test
	void anyoneMayReadTheEventStreamAndSeeARestart() throws Exception {
		await("worker", "running");
		HttpResponse<Stream<String>> stream = this.client
			.sendAsync(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/serviceevents?service=worker"))
				.build(), HttpResponse.BodyHandlers.ofLines())
			.get(20, TimeUnit.SECONDS);
		try (Stream<String> lines = stream.body()) {
			assertThat(stream.statusCode()).isEqualTo(200);
			assertThat(stream.headers().firstValue("Content-Type"))
				.hasValueSatisfying((contentType) -> assertThat(contentType).startsWith("text/event-stream"));
			assertThat(post("/actuator/services/worker", "{\"action\":\"restart\"}", "application/json", "ops:secret")
				.statusCode()).isEqualTo(200);
			CompletableFuture<String> event = CompletableFuture.supplyAsync(
					() -> lines.filter((line) -> line.startsWith("data:") && line.contains("\"name\":\"worker\""))
						.findFirst()
						.orElseThrow());
			assertThat(event.get(20, TimeUnit.SECONDS)).contains("\"backend\":\"embedded\"");
		}
	}

	@Test
	void theAuditTrailShowsWhoActedToOpsOnly() throws Exception {
		await("worker", "running");
		assertThat(post("/actuator/services/worker", "{\"action\":\"reload\"}", "application/json", "ops:secret")
			.statusCode()).isEqualTo(200);
		assertThat(get("/actuator/auditevents?type=SERVICE_ACTION").statusCode()).isEqualTo(401);
		HttpResponse<String> response = this.client.send(HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/auditevents?type=SERVICE_ACTION"))
			.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString("ops:secret".getBytes(StandardCharsets.UTF_8)))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		DocumentContext audit = JsonPath.parse(response.body());
		assertThat(audit.<List<Object>>read("$.events[?(@.data.action == 'reload')].principal")).contains("ops");
		assertThat(audit.<List<Object>>read("$.events[?(@.data.action == 'reload')].data.service")).contains("worker");
		assertThat(audit.<List<Object>>read("$.events[?(@.data.action == 'reload')].data.outcome")).contains("done");
	}

	@Test
	void readinessGoesDownWhileTheCriticalTickerIsStoppedAndLivenessStaysUp() throws Exception {
		await("ticker", "running");
		assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
		assertThat(post("/actuator/services/ticker", "{\"action\":\"stop\"}", "application/json", "ops:secret")
			.statusCode()).isEqualTo(200);
		try {
			Awaitility.await("readiness to go down").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				HttpResponse<String> readiness = get("/actuator/health/readiness");
				assertThat(readiness.statusCode()).isEqualTo(503);
				DocumentContext body = JsonPath.parse(readiness.body());
				assertThat(body.read("$.status", String.class)).isEqualTo("DOWN");
				assertThat(body.read("$.components.readinessState.status", String.class)).isEqualTo("UP");
				assertThat(body.read("$.components.supervision.components.ticker.status", String.class))
					.isEqualTo("DOWN");
			});
			HttpResponse<String> liveness = get("/actuator/health/liveness");
			assertThat(liveness.statusCode()).isEqualTo(200);
			DocumentContext body = JsonPath.parse(liveness.body());
			assertThat(body.read("$.status", String.class)).isEqualTo("UP");
			assertThat(body.<Map<String, Object>>read("$.components")).containsOnlyKeys("livenessState");
		}
		finally {
			post("/actuator/services/ticker", "{\"action\":\"start\"}", "application/json", "ops:secret");
		}
		await("ticker", "running");
		Awaitility.await("readiness to come back")
			.atMost(Duration.ofSeconds(10))
			.until(() -> get("/actuator/health/readiness").statusCode() == 200);
	}

	private HttpResponse<String> await(String name, String state) {
		return Awaitility.await(name + " to be " + state)
			.atMost(Duration.ofSeconds(10))
			.until(() -> get("/actuator/services/" + name),
					(response) -> state.equals(JsonPath.parse(response.body()).read("$.state", String.class)));
	}

	private long pid(String body) {
		Long pid = JsonPath.parse(body).read("$.pid", Long.class);
		assertThat(pid).as(body).isNotNull();
		return pid;
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path, String body, String contentType, String credentials)
			throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Content-Type", contentType)
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (credentials != null) {
			request.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
		}
		return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
