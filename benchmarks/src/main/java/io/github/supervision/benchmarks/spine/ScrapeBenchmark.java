package io.github.supervision.benchmarks.spine;

import java.io.OutputStream;
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
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
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
 * <p>
 * It also times the floor under any scrape of these series: the exposition format writers
 * of {@code prometheus-metrics} (which Boot's {@code prometheus} endpoint uses) writing
 * snapshots taken once beforehand, so no meter, collector or catalog is asked. That is
 * what the series cost however they are collected: the {@code supervision_*} families the
 * starter publishes, and the four series a service would have with its state as one
 * series (up, state, restarts, start time) instead of one per state.
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
			MetricSnapshots supervision = registry.getPrometheusRegistry()
				.scrape((name) -> name.startsWith("supervision_"));
			MetricSnapshots withoutStates = registry.getPrometheusRegistry()
				.scrape((name) -> name.startsWith("supervision_") && !name.startsWith("supervision_service_state"));
			PrometheusTextFormatWriter text = PrometheusTextFormatWriter.create();
			OpenMetricsTextFormatWriter openMetrics = OpenMetricsTextFormatWriter.create();
			Samples collect = Samples.time("PrometheusRegistry.scrape(): the snapshots only", 100, 500,
					() -> registry.getPrometheusRegistry().scrape());
			Samples textFloor = Samples.time("text writer, supervision_* snapshots taken once", 100, 500,
					() -> write(text, supervision));
			Samples openMetricsFloor = Samples.time("OpenMetrics writer, same snapshots", 100, 500,
					() -> write(openMetrics, supervision));
			Samples fewerFloor = Samples.time("text writer, without the per-state family", 100, 500,
					() -> write(text, withoutStates));
			Samples ours = Samples.of("GET /actuator/prometheus (" + count + " services)", scrapeNanos);
			Samples reference = Samples.of("GET /actuator/services (" + count + " services)", servicesNanos);
			System.out.println(ours.report());
			System.out.println(reference.report());
			System.out.println(scrapeInProcess.report());
			System.out.println(servicesInProcess.report());
			System.out.println(collect.report());
			System.out.println(textFloor.report());
			System.out.println(openMetricsFloor.report());
			System.out.println(fewerFloor.report());
			System.out.println(Samples.ratio(ours, reference));
			System.out.println(Samples.ratio(scrapeInProcess, servicesInProcess));
			System.out.println(Samples.ratio(textFloor, servicesInProcess));
			System.out.println(Samples.ratio(fewerFloor, servicesInProcess));
		}
	}

	private static long write(ExpositionFormatWriter writer, MetricSnapshots snapshots) throws Exception {
		CountingOutputStream out = new CountingOutputStream();
		writer.write(out, snapshots, EscapingScheme.DEFAULT);
		return out.count;
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
	 * Counts what a writer writes and keeps none of it.
	 */
	private static final class CountingOutputStream extends OutputStream {

		private long count;

		@Override
		public void write(int b) {
			this.count++;
		}

		@Override
		public void write(byte[] bytes, int offset, int length) {
			this.count += length;
		}

	}

	/**
	 * The application under test: auto-configuration only.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class BenchmarkApplication {

	}

}
