package io.github.supervision.benchmarks.systemd;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceDefinition;
import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import io.github.supervision.Subscription;
import io.github.supervision.benchmarks.Samples;
import io.github.supervision.systemd.SystemdBackend;
import io.github.supervision.systemd.SystemdOptions;

/**
 * Times the systemd backend against the native tools in one run, on a systemd booted in a
 * private namespace with 500 running units: the backend's status call for all 500 and the
 * catalog's list (what {@code GET /actuator/services} reads) against
 * {@code busctl call ... ListUnitsByNames} for the same 500 and
 * {@code systemctl list-units}, each native tool timed as a whole process. Then measures
 * how long a state change takes to reach a listener, from systemd's own timestamp of the
 * change. Run as root: {@code java -cp ... SystemdBenchmark [units] [runs]}.
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
		try (Sandbox sandbox = new Sandbox()) {
			for (String unit : units) {
				sandbox.unit(unit, "[Unit]\nDefaultDependencies=no\n\n[Service]\nExecStart=/bin/sleep infinity\n");
			}
			sandbox.unit("latency.service",
					"[Unit]\nDefaultDependencies=no\n\n[Service]\nExecStart=/bin/sleep infinity\n");
			sandbox.start();
			List<String> start = new ArrayList<>(List.of("start"));
			start.addAll(units);
			Sandbox.run(sandbox.systemctl(start.toArray(String[]::new)));
			try (SystemdBackend backend = new SystemdBackend(SystemdOptions.forAddress(sandbox.busAddress()))) {
				Map<String, ServiceStatus> first = backend.status(units, TIMEOUT);
				long running = first.values()
					.stream()
					.filter((status) -> status.state() == ServiceState.RUNNING)
					.count();
				System.out.printf(Locale.ROOT, "%d units, %d running as seen by the backend%n", count, running);
				List<ServiceDefinition> definitions = units.stream()
					.map((unit) -> new ServiceDefinition(unit, "systemd", unit, Set.of(), false, null))
					.toList();
				try (ServiceCatalog catalog = new ServiceCatalog(definitions, List.of(backend), TIMEOUT, TIMEOUT)) {
					Samples ours = Samples.time("backend.status(" + count + " units)", 200, runs,
							() -> backend.status(units, TIMEOUT));
					Samples list = Samples.time("catalog.list() of " + count + " units", 200, runs, catalog::list);
					List<String> busctl = new ArrayList<>(List.of("/usr/bin/busctl",
							"--address=" + sandbox.busAddress(), "call", "org.freedesktop.systemd1",
							"/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager", "ListUnitsByNames", "as",
							Integer.toString(count)));
					busctl.addAll(units);
					Samples native1 = Samples.time("busctl ListUnitsByNames (process)", 5, runs, () -> run(busctl));
					List<String> listUnits = sandbox.systemctl("list-units", "--no-pager");
					Samples native2 = Samples.time("systemctl list-units (process)", 5, runs, () -> run(listUnits));
					System.out.println(ours.report());
					System.out.println(list.report());
					System.out.println(native1.report());
					System.out.println(native2.report());
					System.out.println(Samples.ratio(ours, native1));
					System.out.println(Samples.ratio(ours, native2));
					System.out.println(Samples.ratio(list, native1));
				}
				latency(backend, sandbox, Math.max(20, runs / 2));
			}
		}
	}

	private static Object run(List<String> command) throws Exception {
		Sandbox.run(command);
		return command;
	}

	private static void latency(SystemdBackend backend, Sandbox sandbox, int runs) throws Exception {
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
				Sandbox.run(sandbox.systemctl(verb, unit));
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
			Collections.sort(samples);
			System.out.printf(Locale.ROOT, "%-48s n=%-4d median=%9.3f ms  p90=%9.3f ms  min=%9.3f ms%n",
					"listener latency (systemd timestamp to listener)", samples.size(),
					samples.get(samples.size() / 2) / 1000.0,
					samples.get((int) Math.min(samples.size() - 1, Math.round(0.9 * (samples.size() - 1)))) / 1000.0,
					samples.get(0) / 1000.0);
		}
	}

}
