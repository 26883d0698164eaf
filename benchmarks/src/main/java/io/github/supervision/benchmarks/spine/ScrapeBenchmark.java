package io.github.supervision.benchmarks.spine;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceState;
import io.github.supervision.actuate.ServicesEndpoint;
import io.github.supervision.benchmarks.Samples;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Times a Prometheus scrape ({@code GET /actuator/prometheus}) against
 * {@code GET /actuator/services} of the same declared embedded services (500 by default),
 * on one server, alternating the two so that both see the same machine load. The scrape
 * holds every meter of the application, Boot's own included.
 *
 * @author Supervision contributors
 */
public final class ScrapeBenchmark {

	private static final int DEFAULT_SERVICES = 500;

	private static final int ROUNDS = 10;

	private static final int RUNS_PER_ROUND = 50;

	private ScrapeBenchmark() {
	}

	/**
	 * Run the benchmark and print the figures.
	 * @param args the number of services (default 500), then
	 * {@code supervision.metrics.resync-interval} (default 30s)
	 * @throws Exception if a step fails
	 */
	public static void main(String[] args) throws Exception {
		int count = (args.length > 0) ? Integer.parseInt(args[0]) : DEFAULT_SERVICES;
		String resync = (args.length > 1) ? args[1] : "30s";
		List<String> properties = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
				"--management.endpoints.web.exposure.include=services,prometheus", "--spring.main.banner-mode=off",
				"--logging.level.root=warn", "--supervision.metrics.resync-interval=" + resync));
		for (int i = 0; i < count; i++) {
			properties.add("--supervision.services.s" + i + ".command=/bin/sleep,100000");
		}
		SpringApplication application = new SpringApplication(BenchmarkApplication.class);
		try (ConfigurableApplicationContext context = application.run(properties.toArray(String[]::new))) {
			ServiceCatalog catalog = context.getBean(ServiceCatalog.class);
			long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
			while (!catalog.list().stream().allMatch((status) -> status.state() == ServiceState.RUNNING)) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("The services did not start within 120 s");
				}
				Thread.sleep(100);
			}
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			HttpClient client = HttpClient.newHttpClient();
			HttpRequest services = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/services"))
				.build();
			HttpRequest scrape = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
				.build();
			String servicesBody = client.send(services, HttpResponse.BodyHandlers.ofString()).body();
			String scrapeBody = client.send(scrape, HttpResponse.BodyHandlers.ofString()).body();
			long up = scrapeBody.lines().filter((line) -> line.startsWith("supervision_service_up{")).count();
			long running = scrapeBody.lines()
				.filter((line) -> line.startsWith("supervision_service_up{") && line.endsWith(" 1.0"))
				.count();
			if (up != count || running != count) {
				throw new IllegalStateException(
						"Expected " + count + " services up in the scrape, found " + running + " of " + up);
			}
			long series = scrapeBody.lines().filter((line) -> !line.startsWith("#") && !line.isBlank()).count();
			long supervisionSeries = scrapeBody.lines().filter((line) -> line.startsWith("supervision_")).count();
			System.out.println("GET /actuator/services body: " + servicesBody.length() + " bytes; "
					+ "GET /actuator/prometheus body: " + scrapeBody.length() + " bytes, " + series + " series ("
					+ supervisionSeries + " supervision_*); resync-interval " + resync);
			List<Long> servicesNanos = new ArrayList<>();
			List<Long> scrapeNanos = new ArrayList<>();
			// warm-up
			Samples.time("warm-up", 0, 200, () -> client.send(services, HttpResponse.BodyHandlers.ofString()));
			Samples.time("warm-up", 0, 200, () -> client.send(scrape, HttpResponse.BodyHandlers.ofString()));
			for (int round = 0; round < ROUNDS; round++) {
				servicesNanos.addAll(timed(client, services));
				scrapeNanos.addAll(timed(client, scrape));
			}
			PrometheusMeterRegistry registry = context.getBean(PrometheusMeterRegistry.class);
			ServicesEndpoint endpoint = context.getBean(ServicesEndpoint.class);
			JsonMapper mapper = JsonMapper.builder().build();
			Samples scrapeInProcess = Samples.time("PrometheusMeterRegistry.scrape() in process", 100, 500,
					registry::scrape);
			Samples servicesInProcess = Samples.time("services() + JSON in process", 100, 500,
					() -> mapper.writeValueAsBytes(endpoint.services()));
			Samples ours = Samples.of("GET /actuator/prometheus (" + count + " services)", scrapeNanos);
			Samples reference = Samples.of("GET /actuator/services (" + count + " services)", servicesNanos);
			System.out.println(ours.report());
			System.out.println(reference.report());
			System.out.println(scrapeInProcess.report());
			System.out.println(servicesInProcess.report());
			System.out.println(Samples.ratio(ours, reference));
			System.out.println(Samples.ratio(scrapeInProcess, servicesInProcess));
		}
	}

	private static List<Long> timed(HttpClient client, HttpRequest request) throws Exception {
		List<Long> nanos = new ArrayList<>(RUNS_PER_ROUND);
		for (int i = 0; i < RUNS_PER_ROUND; i++) {
			long start = System.nanoTime();
			HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
			nanos.add(System.nanoTime() - start);
			if (response.statusCode() != 200) {
				throw new IllegalStateException(request.uri() + " answered " + response.statusCode());
			}
		}
		return nanos;
	}

	/**
	 * The application under test: auto-configuration only.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class BenchmarkApplication {

	}

}
