package com.example.consumer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import io.github.supervision.testsupport.Runsvdir;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application starts with the installed starter and answers for an embedded and a
 * runit service. Runsvdir starts before the application and is stopped, by pid, after it;
 * without runit it skips the class with the reason (fails it under CI=true).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ConsumerApplicationTests {

	@RegisterExtension
	static final Runsvdir runsvdir = Runsvdir
		.withServices((runit) -> runit.service("worker", "exec sleep 1000", false));

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void runitService(DynamicPropertyRegistry registry) {
		registry.add("supervision.services.worker.directory", () -> runsvdir.scan().resolve("worker").toString());
	}

	@Test
	void answersForTheEmbeddedAndTheRunitService() {
		DocumentContext services = Awaitility.await("the services to run")
			.atMost(Duration.ofSeconds(30))
			.until(() -> JsonPath.parse(get("/actuator/services", 200)),
					(json) -> json.<List<String>>read("$.services[?(@.state == 'running')].name")
						.containsAll(List.of("ticker", "worker")));
		assertThat(services.<List<String>>read("$.services[?(@.name == 'ticker')].backend")).containsExactly("embedded");
		assertThat(services.<List<String>>read("$.services[?(@.name == 'worker')].backend")).containsExactly("runit");
		assertThat(services.<List<Integer>>read("$.services[?(@.name == 'worker')].pid")).singleElement()
			.satisfies((pid) -> assertThat(pid).isPositive());
		assertThat(services.read("$.backends.embedded.available", Boolean.class)).isTrue();
		assertThat(services.read("$.backends.runit.available", Boolean.class)).isTrue();
	}

	@Test
	void healthIsUpWhileBothCriticalServicesRun() {
		DocumentContext health = Awaitility.await("health to be UP")
			.atMost(Duration.ofSeconds(30))
			.until(() -> JsonPath.parse(get("/actuator/health", null)),
					(json) -> "UP".equals(json.read("$.status", String.class)));
		assertThat(health.read("$.components.supervision.components.ticker.status", String.class)).isEqualTo("UP");
		assertThat(health.read("$.components.supervision.components.worker.status", String.class)).isEqualTo("UP");
	}

	private String get(String path, Integer expectedStatus) throws Exception {
		HttpResponse<String> response = this.client.send(HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(10))
			.build(), HttpResponse.BodyHandlers.ofString());
		if (expectedStatus != null) {
			assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
		}
		return response.body();
	}

}
