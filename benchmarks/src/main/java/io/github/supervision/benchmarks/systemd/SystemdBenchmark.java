package io.github.supervision.benchmarks.systemd;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import io.github.supervision.Subscription;
import io.github.supervision.benchmarks.Samples;
import io.github.supervision.systemd.SystemdBackend;
import io.github.supervision.systemd.SystemdOptions;
import io.github.supervision.testsupport.SystemdSandbox;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Times the systemd backend against the native tools in one run, on a systemd booted in a
 * private namespace with 500 running units: the backend's status call for all 500 and the
 * catalog's list (what {@code GET /actuator/services} reads) against
 * {@code busctl call ... ListUnitsByNames} for the same 500 and
 * {@code systemctl list-units}, each native tool timed as a whole process. Then measures
 * how long a state change takes to reach a listener, from systemd's own timestamp of the
 * change. The systemd is the tests' {@link SystemdSandbox}. Run as root:
 * {@code java -cp ... SystemdBenchmark [units] [runs]}.
 *
 * @author Supervision contributors
 */
public final class SystemdBenchmark {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private SystemdBenchmark() {
	}

	/**
	 * Run the benchmark.
	 * @param args the number of units (500) and of timed runs (50)
	 * @throws Exception if the sandbox cannot boot or a tool fails
	 */
	public static void main(String[] args) throws Exception {
		int count = (args.length > 0) ? Integer.parseInt(args[0]) : 500;
		int runs = (args.length > 1) ? Integer.parseInt(args[1]) : 50;
		List<String> units = IntStream.range(0, count).mapToObj((i) -> "bench-" + i + ".service").toList();
		try (SystemdSandbox sandbox = SystemdSandbox.create()) {
			for (String unit : units) {
				sandbox.unit(unit, "[Unit]\nDefaultDependencies=no\n\n[Service]\nExecStart=/bin/sleep infinity\n");
			}
			sandbox.unit("latency.service",
					"[Unit]\nDefaultDependencies=no\n\n[Service]\nExecStart=/bin/sleep infinity\n");
			sandbox.start();
			List<String> start = new ArrayList<>(List.of("start"));
			start.addAll(units);
			run(sandbox.systemctlCommand(start.toArray(String[]::new)));
			SystemdOptions options = SystemdOptions.forAddress(sandbox.busAddress());
			try (SystemdBackend backend = new SystemdBackend(options);
					SystemdBackend uncached = new SystemdBackend(options.withStatusCacheTtl(Duration.ZERO))) {
				Map<String, ServiceStatus> first = backend.status(units, TIMEOUT);
				long running = first.values()
					.stream()
					.filter((status) -> status.state() == ServiceState.RUNNING)
					.count();
				System.out.printf(Locale.ROOT, "%d units, %d running as seen by the backend%n", count, running);
				Samples ours = Samples.time(
						"backend.status(" + count + " units), ttl " + options.statusCacheTtl().toMillis() + "ms", 200,
						runs, () -> backend.status(units, TIMEOUT));
				Samples ours0 = Samples.time("backend.status(" + count + " units), ttl 0ms", 200, runs,
						() -> uncached.status(units, TIMEOUT));
				Samples endpoint = endpoint(sandbox, units, runs, null);
				Samples endpoint0 = endpoint(sandbox, units, runs, Duration.ZERO);
				List<String> busctl = new ArrayList<>(List.of("/usr/bin/busctl", "--address=" + sandbox.busAddress(),
						"call", "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
						"org.freedesktop.systemd1.Manager", "ListUnitsByNames", "as", Integer.toString(count)));
				busctl.addAll(units);
				Samples native1 = Samples.time("busctl ListUnitsByNames (process)", 5, runs, () -> run(busctl));
				List<String> listUnits = sandbox.systemctlCommand("list-units");
				Samples native2 = Samples.time("systemctl list-units (process)", 5, runs, () -> run(listUnits));
				for (Samples samples : List.of(ours, ours0, endpoint, endpoint0, native1, native2)) {
					System.out.println(samples.report());
				}
				for (Samples samples : List.of(ours, ours0, endpoint, endpoint0)) {
					System.out.println(Samples.ratio(samples, native1));
					System.out.println(Samples.ratio(samples, native2));
				}
				latency(backend, sandbox, Math.max(20, runs / 2));
			}
		}
	}

	private static Samples endpoint(SystemdSandbox sandbox, List<String> units, int runs, @Nullable Duration ttl)
			throws Exception {
		List<String> properties = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
				"--management.endpoints.web.exposure.include=services", "--spring.main.banner-mode=off",
				"--logging.level.root=warn", "--supervision.embedded.enabled=false",
				"--supervision.systemd.bus-address=" + sandbox.busAddress()));
		for (int i = 0; i < units.size(); i++) {
			properties.add("--supervision.services.u" + i + ".unit=" + units.get(i));
		}
		if (ttl != null) {
			properties.add("--supervision.systemd.status-cache-ttl=" + ttl.toMillis() + "ms");
		}
		String label = "GET /actuator/services (" + units.size() + " units), ttl "
				+ ((ttl != null) ? ttl.toMillis() : SystemdOptions.DEFAULT_STATUS_CACHE_TTL.toMillis()) + "ms";
		SpringApplication application = new SpringApplication(BenchmarkApplication.class);
		try (ConfigurableApplicationContext context = application.run(properties.toArray(String[]::new))) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			HttpClient client = HttpClient.newHttpClient();
			HttpRequest services = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/services"))
				.build();
			String body = client.send(services, HttpResponse.BodyHandlers.ofString()).body();
			int running = body.split("\"state\":\"running\"", -1).length - 1;
			if (running != units.size()) {
				throw new IllegalStateException("Expected " + units.size() + " running services, got " + running);
			}
			System.out.printf(Locale.ROOT, "GET /actuator/services body: %d bytes, %d units running%n", body.length(),
					running);
			return Samples.time(label, 200, runs, () -> client.send(services, HttpResponse.BodyHandlers.ofString()));
		}
	}

	// also times JournalTailBenchmark's native command
	static Object run(List<String> command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		if (!process.waitFor(30, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IllegalStateException("Command did not finish: " + command.get(0));
		}
		if (process.exitValue() != 0) {
			throw new IllegalStateException("Command failed with " + process.exitValue() + ": " + command);
		}
		return command;
	}

	// the subscription only has to stay open while the round runs
	@SuppressWarnings("try")
	private static void latency(SystemdBackend backend, SystemdSandbox sandbox, int runs) throws Exception {
		String unit = "latency.service";
		backend.status(List.of(unit), TIMEOUT);
		BlockingQueue<Long> micros = new LinkedBlockingQueue<>();
		BlockingQueue<ServiceState> states = new LinkedBlockingQueue<>();
		try (Subscription subscription = backend.watch((status) -> {
			Instant now = Instant.now();
			if (status.target().equals(unit) && status.since() != null
					&& (status.state() == ServiceState.RUNNING || status.state() == ServiceState.STOPPED)) {
				micros.add(Duration.between(status.since(), now).toNanos() / 1000);
				states.add(status.state());
			}
		})) {
			List<Long> samples = new ArrayList<>();
			for (int i = 0; i < runs; i++) {
				String verb = (i % 2 == 0) ? "start" : "stop";
				run(sandbox.systemctlCommand(verb, unit));
				ServiceState expected = (i % 2 == 0) ? ServiceState.RUNNING : ServiceState.STOPPED;
				while (true) {
					Long sample = micros.poll(5, TimeUnit.SECONDS);
					ServiceState state = states.poll(1, TimeUnit.SECONDS);
					if (sample == null) {
						throw new IllegalStateException("No change reached the listener within 5 s");
					}
					if (state == expected) {
						samples.add(sample);
						break;
					}
				}
			}
			System.out.println(Samples
				.of("listener latency (systemd timestamp to call)", samples.stream().map((us) -> us * 1000).toList())
				.report());
		}
	}

	/**
	 * The application whose endpoint is timed: auto-configuration only.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class BenchmarkApplication {

	}

}
