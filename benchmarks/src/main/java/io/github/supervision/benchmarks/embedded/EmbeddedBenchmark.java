package io.github.supervision.benchmarks.embedded;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.github.supervision.ActionResult;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import io.github.supervision.benchmarks.Samples;
import io.github.supervision.embedded.EmbeddedBackend;
import io.github.supervision.embedded.EmbeddedServiceSpec;
import io.github.supervision.embedded.RestartPolicy;

/**
 * Times the embedded backend against the native tools in one run: the status of 200
 * running services against one {@code ps} call for their pids, and a start + stop cycle
 * against a bare {@code ProcessBuilder} start, SIGTERM and wait.
 *
 * @author Supervision contributors
 */
public final class EmbeddedBenchmark {

	private static final int SERVICES = 200;

	private EmbeddedBenchmark() {
	}

	/**
	 * Run the benchmark and print the figures.
	 * @param args ignored
	 * @throws Exception if a step fails
	 */
	public static void main(String[] args) throws Exception {
		List<EmbeddedServiceSpec> specs = new ArrayList<>();
		for (int i = 0; i < SERVICES; i++) {
			specs.add(spec("s" + i, true));
		}
		specs.add(spec("cycle", false));
		try (EmbeddedBackend backend = new EmbeddedBackend(specs)) {
			long started = System.nanoTime();
			backend.start();
			List<String> names = specs.stream()
				.map(EmbeddedServiceSpec::name)
				.filter((name) -> !"cycle".equals(name))
				.toList();
			long deadline = started + TimeUnit.SECONDS.toNanos(60);
			long spawned = 0;
			while (true) {
				Collection<ServiceStatus> statuses = backend.status(names, Duration.ofSeconds(1)).values();
				if (spawned == 0 && statuses.stream().allMatch((status) -> status.pid() != null)) {
					spawned = System.nanoTime();
				}
				if (statuses.stream().allMatch((status) -> status.state() == ServiceState.RUNNING)) {
					break;
				}
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("The services did not start within 60 s");
				}
				Thread.sleep(5);
			}
			System.out.printf(Locale.ROOT,
					"autostart of %d services: all spawned after %.0f ms, all running after %.0f ms"
							+ " (start-seconds 0)%n",
					SERVICES, (spawned - started) / 1e6, (System.nanoTime() - started) / 1e6);
			String pids = backend.status(names, Duration.ofSeconds(1))
				.values()
				.stream()
				.map((status) -> String.valueOf(status.pid()))
				.collect(Collectors.joining(","));
			Samples ours = Samples.time("embedded status() of " + SERVICES + " services", 1000, 10000,
					() -> backend.status(names, Duration.ofSeconds(1)));
			Samples ps = Samples.time("ps -o pid=,stat= -p <" + SERVICES + " pids>", 5, 50,
					() -> run("ps", "-o", "pid=,stat=", "-p", pids));
			print(ours, ps);
			Samples cycle = Samples.time("embedded START + STOP (sleep 600)", 3, 30, () -> {
				check(backend.perform("cycle", ServiceAction.START, Duration.ofSeconds(10)).get());
				return check(backend.perform("cycle", ServiceAction.STOP, Duration.ofSeconds(10)).get());
			});
			Samples bare = Samples.time("ProcessBuilder start + SIGTERM + waitFor", 3, 30, () -> {
				Process process = new ProcessBuilder("/bin/sleep", "600").start();
				process.destroy();
				return process.waitFor();
			});
			print(cycle, bare);
		}
	}

	private static ActionResult check(ActionResult result) {
		if (!result.isSuccessful()) {
			throw new IllegalStateException(result.message());
		}
		return result;
	}

	private static void print(Samples ours, Samples theirs) {
		System.out.println(ours.report());
		System.out.println(theirs.report());
		System.out.println(Samples.ratio(ours, theirs));
	}

	private static String run(String... command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		process.waitFor(10, TimeUnit.SECONDS);
		return output;
	}

	private static EmbeddedServiceSpec spec(String name, boolean autostart) {
		return new EmbeddedServiceSpec(name, List.of("/bin/sleep", "600"), null, Map.of(), RestartPolicy.ALWAYS,
				Duration.ZERO, 0, Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(5), autostart, null,
				1024);
	}

}
