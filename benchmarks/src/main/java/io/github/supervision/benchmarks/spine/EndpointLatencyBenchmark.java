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
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Times {@code GET /actuator/services} with 200 declared embedded services, in one run
 * with {@code GET /actuator/info} on the same server as the reference for what the HTTP
 * and actuator stack costs by itself.
 *
 * @author Supervision contributors
 */
public final class EndpointLatencyBenchmark {

	private static final int DEFAULT_SERVICES = 200;

	private EndpointLatencyBenchmark() {
	}

	/**
	 * Run the benchmark and print the figures.
	 * @param args the number of services (default 200)
	 * @throws Exception if a step fails
	 */
	public static void main(String[] args) throws Exception {
		int count = (args.length > 0) ? Integer.parseInt(args[0]) : DEFAULT_SERVICES;
		List<String> properties = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
				"--management.endpoints.web.exposure.include=services,info", "--spring.main.banner-mode=off",
				"--logging.level.root=warn"));
		for (int i = 0; i < count; i++) {
			properties.add("--supervision.services.s" + i + ".command=/bin/sleep,100000");
		}
		SpringApplication application = new SpringApplication(BenchmarkApplication.class);
		try (ConfigurableApplicationContext context = application.run(properties.toArray(String[]::new))) {
			ServiceCatalog catalog = context.getBean(ServiceCatalog.class);
			long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
			while (!catalog.list().stream().allMatch((status) -> status.state() == ServiceState.RUNNING)) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("The services did not start within 60 s");
				}
				Thread.sleep(100);
			}
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			HttpClient client = HttpClient.newHttpClient();
			HttpRequest services = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/services"))
				.build();
			HttpRequest info = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/info"))
				.build();
			String body = client.send(services, HttpResponse.BodyHandlers.ofString()).body();
			if (body.split("\"state\":\"running\"", -1).length - 1 != count) {
				throw new IllegalStateException("Expected " + count + " running services");
			}
			System.out
				.println("GET /actuator/services body: " + body.length() + " bytes, " + count + " services running");
			ServicesEndpoint endpoint = context.getBean(ServicesEndpoint.class);
			JsonMapper mapper = JsonMapper.builder().build();
			Samples describe = Samples.time("ServicesEndpoint.services() in process", 200, 500, endpoint::services);
			Samples json = Samples.time("services() + JSON in process", 200, 500,
					() -> mapper.writeValueAsBytes(endpoint.services()));
			Samples ours = Samples.time("GET /actuator/services (" + count + " services)", 200, 500,
					() -> client.send(services, HttpResponse.BodyHandlers.ofString()));
			Samples reference = Samples.time("GET /actuator/info (empty)", 200, 500,
					() -> client.send(info, HttpResponse.BodyHandlers.ofString()));
			Samples catalogList = Samples.time("ServiceCatalog.list() (" + count + " services)", 200, 500,
					catalog::list);
			System.out.println(ours.report());
			System.out.println(reference.report());
			System.out.println(catalogList.report());
			System.out.println(describe.report());
			System.out.println(json.report());
			System.out.println(Samples.ratio(ours, reference));
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
