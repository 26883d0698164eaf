package io.github.supervision.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.jayway.jsonpath.JsonPath;
import io.github.supervision.testsupport.RealDaemonTest;
import io.github.supervision.testsupport.RealDaemons;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proof with a real Prometheus server (Debian's {@code prometheus}): it scrapes the
 * sample every second with the rules shipped in {@code docs/ops} loaded, and sees a
 * critical service that an operator stops go down and its alert become pending, through
 * Prometheus's own HTTP API.
 *
 * @author Supervision contributors
 */
@RealDaemonTest
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoint.services.access=unrestricted", "spring.security.user.password=secret",
				"spring.application.name=supervision-sample-prometheus" })
class SamplePrometheusTests {

	private static final String PROMETHEUS = "/usr/bin/prometheus";

	private static final Path RULES = Path.of("..", "docs", "ops", "supervision-rules.yml");

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	int port;

	private Path directory;

	private Process prometheus;

	@AfterEach
	void stopPrometheus() throws Exception {
		try {
			if (this.prometheus != null) {
				// SIGTERM, by the PID of the process this test started
				this.prometheus.destroy();
				if (!this.prometheus.waitFor(20, TimeUnit.SECONDS)) {
					this.prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
				}
			}
		}
		finally {
			if (this.directory != null) {
				try (Stream<Path> paths = Files.walk(this.directory)) {
					paths.sorted(Comparator.reverseOrder()).forEach(SamplePrometheusTests::delete);
				}
			}
		}
	}

	@Test
	void aRealPrometheusSeesACriticalServiceStopAndItsAlertBecomePending() throws Exception {
		RealDaemons.requireExecutables(PROMETHEUS);
		assertThat(RULES).isRegularFile();
		String prometheus = startPrometheus();
		Awaitility.await("ticker up in Prometheus")
			.atMost(Duration.ofSeconds(60))
			.until(() -> value(prometheus, "supervision_service_up{service=\"ticker\",backend=\"embedded\"}"),
					"1"::equals);
		HttpResponse<String> stop = post("/actuator/services/ticker", "{\"action\":\"stop\"}");
		assertThat(stop.statusCode()).as(stop.body()).isEqualTo(200);
		assertThat(JsonPath.parse(stop.body()).read("$.outcome", String.class)).isEqualTo("done");
		try {
			Awaitility.await("ticker down in Prometheus")
				.atMost(Duration.ofSeconds(30))
				.until(() -> value(prometheus, "supervision_service_up{service=\"ticker\"}"), "0"::equals);
			// up is 0 from 'stopping' on; 'stopped' may come one scrape later
			Awaitility.await("ticker stopped in Prometheus")
				.atMost(Duration.ofSeconds(30))
				.until(() -> value(prometheus, "supervision_service_state{service=\"ticker\",state=\"stopped\"}"),
						"1"::equals);
			Awaitility.await("SupervisionCriticalServiceDown pending for ticker")
				.atMost(Duration.ofSeconds(30))
				.until(() -> alert(prometheus, "SupervisionCriticalServiceDown", "ticker"), "pending"::equals);
			assertThat(alert(prometheus, "SupervisionCriticalServiceDown", "worker")).as("a service not critical")
				.isNull();
			assertThat(value(prometheus,
					"supervision_service_action_seconds_count{service=\"ticker\",action=\"stop\",outcome=\"done\"}"))
				.isEqualTo("1");
		}
		finally {
			post("/actuator/services/ticker", "{\"action\":\"start\"}");
		}
	}

	private String startPrometheus() throws Exception {
		this.directory = Files.createTempDirectory("supervision-prometheus-");
		Path rules = Files.copy(RULES, this.directory.resolve("supervision-rules.yml"));
		int port = freePort();
		Path config = this.directory.resolve("prometheus.yml");
		Files.writeString(config, """
				global: { scrape_interval: 1s, evaluation_interval: 1s }
				rule_files: [ '%s' ]
				scrape_configs:
				  - job_name: sample
				    metrics_path: /actuator/prometheus
				    static_configs: [ { targets: ['127.0.0.1:%d'] } ]
				    basic_auth: { username: ops, password: secret }
				""".formatted(rules, this.port));
		Path log = this.directory.resolve("prometheus.log");
		this.prometheus = new ProcessBuilder(PROMETHEUS, "--config.file=" + config,
				"--storage.tsdb.path=" + this.directory.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		String base = "http://127.0.0.1:" + port;
		Awaitility.await("Prometheus ready (log: " + log + ")")
			.atMost(Duration.ofSeconds(30))
			.until(() -> this.prometheus.isAlive() && status(base + "/-/ready") == 200 || !this.prometheus.isAlive());
		assertThat(this.prometheus.isAlive()).as(() -> read(log)).isTrue();
		return base;
	}

	// the value of the query's single sample, or null when it has none
	private String value(String prometheus, String query) throws Exception {
		String body = get(prometheus + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8))
			.body();
		List<List<Object>> values = JsonPath.parse(body).read("$.data.result[*].value");
		assertThat(values).as(body).hasSizeLessThanOrEqualTo(1);
		return values.isEmpty() ? null : String.valueOf(values.get(0).get(1));
	}

	// the state (pending, firing) of the alert for the service, or null when it is not
	// active
	private String alert(String prometheus, String name, String service) throws Exception {
		String body = get(prometheus + "/api/v1/alerts").body();
		List<Map<String, Object>> alerts = JsonPath.parse(body)
			.read("$.data.alerts[?(@.labels.alertname == '" + name + "' && @.labels.service == '" + service + "')]");
		return alerts.isEmpty() ? null : (String) alerts.get(0).get("state");
	}

	private int status(String url) {
		try {
			return get(url).statusCode();
		}
		catch (Exception ex) {
			return -1;
		}
	}

	private HttpResponse<String> get(String url) throws Exception {
		return this.client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path, String body) throws Exception {
		return this.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(60))
			.header("Content-Type", "application/json")
			.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString("ops:secret".getBytes(StandardCharsets.UTF_8)))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static String read(Path log) {
		try {
			return Files.readString(log);
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	private static void delete(Path path) {
		try {
			Files.deleteIfExists(path);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
