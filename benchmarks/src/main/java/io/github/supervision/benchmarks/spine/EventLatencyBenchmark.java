package io.github.supervision.benchmarks.spine;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.github.supervision.ActionResult;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceName;
import io.github.supervision.ServiceState;
import io.github.supervision.Subscription;
import io.github.supervision.actuate.events.ServiceEventBroadcaster;
import io.github.supervision.benchmarks.Samples;
import io.github.supervision.testsupport.Runsvdir;
import io.github.supervision.testsupport.SseReader;
import io.github.supervision.testsupport.SupervisordDaemon;
import io.github.supervision.testsupport.SystemdSandbox;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Times the service event stream ({@code /actuator/serviceevents}): for each backend
 * asked for, how long a stop or a start takes to reach a client of the stream (from the
 * action's call, and from the moment the catalog's subscription heard of the change),
 * and, with 200 embedded services, {@code GET /actuator/services} with no stream client
 * and with 100 idle ones, alternated. Run it as root for runit and supervisord:
 * {@code java -cp ... io.github.supervision.benchmarks.spine.EventLatencyBenchmark
 * [embedded,runit,supervisord,systemd] [rounds]}.
 *
 * @author Supervision contributors
 */
public final class EventLatencyBenchmark {

	private static final Duration DEADLINE = Duration.ofSeconds(30);

	private static final int IDLE_CLIENTS = 100;

	private static final int SERVICES = 200;

	private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private EventLatencyBenchmark() {
	}

	/**
	 * Run the benchmark and print the figures.
	 * @param args the backends, comma-separated (default {@code embedded,runit}), and the
	 * rounds of stop and start per backend (default 30)
	 * @throws Exception if a step fails
	 */
	public static void main(String[] args) throws Exception {
		List<String> backends = List.of(((args.length > 0) ? args[0] : "embedded,runit").split(","));
		int rounds = (args.length > 1) ? Integer.parseInt(args[1]) : 30;
		List<String> reports = new ArrayList<>();
		for (String backend : backends) {
			switch (backend) {
				case "none" -> {
					// only the idle clients' cost
				}
				case "embedded" -> reports
					.addAll(latency(backend, rounds, List.of("supervision.services.bench.command=/bin/sleep,100000")));
				case "runit" -> {
					Runsvdir runsvdir = Runsvdir
						.withServices((fixture) -> fixture.service("bench", "exec sleep 100000", false));
					runsvdir.start();
					try {
						reports.addAll(latency(backend, rounds,
								List.of("supervision.runit.service-directory=" + runsvdir.scan(),
										"supervision.services.bench.directory=bench")));
					}
					finally {
						runsvdir.close();
					}
				}
				case "supervisord" -> {
					SupervisordDaemon supervisord = SupervisordDaemon
						.withPrograms("[program:bench]\ncommand=/bin/sleep 100000\nstartsecs=0\nstdout_logfile=NONE\n"
								+ "stderr_logfile=NONE\n\n");
					supervisord.start();
					try {
						reports.addAll(latency(backend, rounds,
								List.of("supervision.supervisord.url=unix://" + supervisord.socket(),
										"supervision.supervisord.username=" + SupervisordDaemon.USERNAME,
										"supervision.supervisord.password=" + SupervisordDaemon.PASSWORD,
										"supervision.services.bench.program=bench")));
					}
					finally {
						supervisord.close();
					}
				}
				case "systemd" -> {
					try (SystemdSandbox sandbox = SystemdSandbox.create()) {
						sandbox.unit("bench.service",
								"[Unit]\nDefaultDependencies=no\n\n[Service]\nExecStart=/bin/sleep infinity\n");
						sandbox.start();
						Process start = new ProcessBuilder(sandbox.systemctlCommand("start", "bench.service"))
							.redirectErrorStream(true)
							.redirectOutput(ProcessBuilder.Redirect.DISCARD)
							.start();
						if (!start.waitFor(30, TimeUnit.SECONDS) || start.exitValue() != 0) {
							throw new IllegalStateException("systemctl start bench.service failed");
						}
						reports.addAll(latency(backend, rounds,
								List.of("supervision.systemd.bus-address=" + sandbox.busAddress(),
										"supervision.services.bench.unit=bench.service")));
					}
				}
				default -> throw new IllegalArgumentException("Unknown backend '" + backend + "'");
			}
		}
		reports.addAll(idleClients(rounds));
		System.out.println();
		System.out.printf(Locale.ROOT, "load %s%n", Files.readString(Path.of("/proc/loadavg")).strip());
		reports.forEach(System.out::println);
	}

	private static List<String> latency(String backend, int rounds, List<String> serviceProperties) throws Exception {
		List<String> properties = new ArrayList<>(common());
		properties.addAll(serviceProperties);
		try (ConfigurableApplicationContext context = start(properties)) {
			ServiceCatalog catalog = context.getBean(ServiceCatalog.class);
			ServiceName name = ServiceName.of("bench");
			awaitState(catalog, name, ServiceState.RUNNING);
			Map<String, Long> heard = new ConcurrentHashMap<>();
			Map<ServiceAction, List<Long>> fromAction = new EnumMap<>(ServiceAction.class);
			List<Long> fromBackend = new ArrayList<>();
			// the backend's own notification, on its thread: the change as the starter
			// first knows it, before the catalog's hand-off, the JSON and the write
			Subscription subscription = catalog.getBackend(backend)
				.watch((status) -> heard.putIfAbsent(status.state().name(), System.nanoTime()));
			try (SseReader stream = SseReader.open(client, uri(context, "/actuator/serviceevents?service=bench"))) {
				for (int i = 0; i < rounds + 3; i++) {
					for (ServiceAction action : List.of(ServiceAction.STOP, ServiceAction.START)) {
						String state = (action == ServiceAction.STOP) ? "stopped" : "running";
						heard.clear();
						stream.drain();
						long start = System.nanoTime();
						ActionResult result = catalog.perform(name, action);
						if (!result.isSuccessful()) {
							throw new IllegalStateException(action + ": " + result.message());
						}
						SseReader.Event event = stream
							.next((each) -> each.data().contains("\"state\":\"" + state + "\""), DEADLINE);
						Long caught = heard.get(state.toUpperCase(Locale.ROOT));
						if (i >= 3) {
							fromAction.computeIfAbsent(action, (key) -> new ArrayList<>())
								.add(event.receivedNanos() - start);
							if (caught != null) {
								fromBackend.add(event.receivedNanos() - caught);
							}
						}
					}
				}
			}
			finally {
				subscription.close();
			}
			List<String> reports = List.of(
					Samples.of(backend + ": backend's change notification -> SSE client has the event", fromBackend)
						.report(),
					Samples
						.of(backend + ": stop called -> SSE client has 'stopped'", fromAction.get(ServiceAction.STOP))
						.report(),
					Samples
						.of(backend + ": start called -> SSE client has 'running'", fromAction.get(ServiceAction.START))
						.report());
			// printed at once too, so that a later failure does not lose them
			reports.forEach(System.out::println);
			return reports;
		}
	}

	private static List<String> idleClients(int rounds) throws Exception {
		List<String> properties = new ArrayList<>(common());
		properties.add("supervision.events.max-clients=" + (IDLE_CLIENTS * 2));
		// closed clients are pruned at the next heartbeats, between rounds
		properties.add("supervision.events.heartbeat=5s");
		for (int i = 0; i < SERVICES; i++) {
			properties.add("supervision.services.s" + i + ".command=/bin/sleep,100000");
		}
		try (ConfigurableApplicationContext context = start(properties)) {
			ServiceCatalog catalog = context.getBean(ServiceCatalog.class);
			long deadline = System.nanoTime() + DEADLINE.toNanos() * 2;
			while (!catalog.list().stream().allMatch((status) -> status.state() == ServiceState.RUNNING)) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("The services did not start in time");
				}
				Thread.sleep(100);
			}
			ServiceEventBroadcaster broadcaster = context.getBean(ServiceEventBroadcaster.class);
			HttpRequest services = HttpRequest.newBuilder(uri(context, "/actuator/services")).build();
			// the idle clients have a client of their own, as they would be other
			// processes:
			// the timed GETs do not share its selector thread with 100 streams
			HttpClient idleClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
			List<Long> without = new ArrayList<>();
			List<Long> with = new ArrayList<>();
			Samples.time("warm-up", 300, 0, () -> client.send(services, HttpResponse.BodyHandlers.discarding()));
			for (int round = 0; round < Math.max(rounds / 5, 5); round++) {
				timeInto(without, services);
				List<SseReader> idle = new ArrayList<>();
				try {
					for (int i = 0; i < IDLE_CLIENTS; i++) {
						idle.add(SseReader.open(idleClient, uri(context, "/actuator/serviceevents")));
					}
					if (broadcaster.getClientCount() < IDLE_CLIENTS) {
						throw new IllegalStateException(broadcaster.getClientCount() + " clients connected");
					}
					timeInto(with, services);
				}
				finally {
					idle.forEach(SseReader::close);
				}
				long closing = System.nanoTime() + DEADLINE.toNanos();
				while (broadcaster.getClientCount() > 0 && System.nanoTime() < closing) {
					Thread.sleep(50);
				}
			}
			Samples zero = Samples.of("GET /actuator/services (" + SERVICES + " services), no stream client", without);
			Samples hundred = Samples.of(
					"GET /actuator/services (" + SERVICES + " services), " + IDLE_CLIENTS + " idle stream clients",
					with);
			return List.of(zero.report(), hundred.report(), Samples.ratio(hundred, zero));
		}
	}

	private static void timeInto(List<Long> nanos, HttpRequest request) throws Exception {
		for (int i = 0; i < 100; i++) {
			long start = System.nanoTime();
			HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
			nanos.add(System.nanoTime() - start);
			if (response.statusCode() != 200) {
				throw new IllegalStateException("GET answered " + response.statusCode());
			}
		}
	}

	private static List<String> common() {
		return List.of("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
				"logging.level.root=WARN", "management.endpoints.web.exposure.include=services,serviceevents",
				"management.endpoint.services.access=unrestricted");
	}

	private static ConfigurableApplicationContext start(List<String> properties) {
		return new SpringApplicationBuilder(BenchmarkApplication.class).web(WebApplicationType.SERVLET)
			.properties(properties.toArray(String[]::new))
			.run();
	}

	private static URI uri(ConfigurableApplicationContext context, String path) {
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		return URI.create("http://127.0.0.1:" + port + path);
	}

	private static void awaitState(ServiceCatalog catalog, ServiceName name, ServiceState state) throws Exception {
		long deadline = System.nanoTime() + DEADLINE.toNanos();
		while (catalog.status(name).state() != state) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(name + " is not " + state + " in time");
			}
			Thread.sleep(50);
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
