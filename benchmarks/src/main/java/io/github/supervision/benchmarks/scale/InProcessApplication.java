package io.github.supervision.benchmarks.scale;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceState;
import io.github.supervision.actuate.ServicesEndpoint;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The same declarations in an application in this JVM, auto-configuration only (no
 * security filter chain), to see where the time of {@code GET /actuator/services} goes:
 * the HTTP answer without security, the catalog's read of every service, the endpoint's
 * descriptors, and the descriptors written as JSON.
 *
 * @author Supervision contributors
 */
final class InProcessApplication implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private InProcessApplication(ConfigurableApplicationContext context) {
		this.context = context;
	}

	/**
	 * Start the application and wait until the given number of services run.
	 * @param services the properties that declare the services
	 * @param running how many must run
	 * @param timeout how long that may take
	 * @return the running application
	 * @throws InterruptedException if interrupted while waiting
	 */
	static InProcessApplication start(Map<String, String> services, int running, Duration timeout)
			throws InterruptedException {
		Map<String, Object> properties = new LinkedHashMap<>(services);
		properties.put("server.port", "0");
		properties.put("server.address", "127.0.0.1");
		properties.put("management.endpoints.web.exposure.include", "services");
		properties.put("spring.main.banner-mode", "off");
		properties.put("logging.level.root", "warn");
		ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class).properties(properties)
			.logStartupInfo(false)
			.run();
		InProcessApplication application = new InProcessApplication(context);
		ServiceCatalog catalog = context.getBean(ServiceCatalog.class);
		long deadline = System.nanoTime() + timeout.toNanos();
		while (catalog.list().stream().filter((status) -> status.state() == ServiceState.RUNNING).count() < running) {
			if (System.nanoTime() - deadline > 0) {
				application.close();
				throw new IllegalStateException("Fewer than " + running + " services ran within " + timeout);
			}
			Thread.sleep(200);
		}
		return application;
	}

	/**
	 * Return the operations that split the answer's cost.
	 * @return the operations
	 */
	List<Operation> operations() {
		int port = ((WebServerApplicationContext) this.context).getWebServer().getPort();
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/services"))
			.timeout(Duration.ofSeconds(60))
			.build();
		ServiceCatalog catalog = this.context.getBean(ServiceCatalog.class);
		ServicesEndpoint endpoint = this.context.getBean(ServicesEndpoint.class);
		JsonMapper mapper = JsonMapper.builder().build();
		return List.of(new Operation("GET, in-process app without security", () -> {
			HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
			if (response.statusCode() != 200) {
				throw new IllegalStateException("GET /actuator/services answered " + response.statusCode());
			}
			return response.body().length;
		}), new Operation("ServiceCatalog.list(), in process", catalog::list),
				new Operation("ServicesEndpoint.services(), in process", endpoint::services),
				new Operation("services() + JSON, in process", () -> mapper.writeValueAsBytes(endpoint.services())));
	}

	@Override
	public void close() {
		this.context.close();
	}

	/**
	 * The application: auto-configuration only.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

	}

}
