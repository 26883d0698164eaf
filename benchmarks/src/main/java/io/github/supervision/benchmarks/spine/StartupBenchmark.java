package io.github.supervision.benchmarks.spine;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.github.supervision.benchmarks.Samples;

/**
 * Times the sample application's start-up, from launching {@code java} to the first
 * answer from {@code /actuator/health}, with and without the starter, alternating the two
 * in one run. "Without" runs the same extracted application with the
 * {@code supervision-spring-boot} jar removed from its {@code lib/} folder, so no class
 * or auto-configuration of ours is on the class path.
 * <p>
 * Besides the wall-clock time it reports the CPU time the JVM had used by its first
 * answer (all its threads: start-up, JIT and GC), which depends far less on what else the
 * machine runs, and the median of the paired differences: each launch with the starter
 * minus the launch without it that followed, two launches that met the same load.
 * <p>
 * With {@code aa} as fourth argument both sides launch the application with the starter
 * (an A/A run), which prints what the harness reports for no difference at all: the noise
 * a difference must stand above on this machine.
 *
 * @author Supervision contributors
 */
public final class StartupBenchmark {

	private StartupBenchmark() {
	}

	/**
	 * Run the benchmark and print the figures.
	 * @param args the sample's jar, the number of runs of each kind (default 10), a free
	 * port (default 18080), and {@code aa} for an A/A run
	 * @throws Exception if a step fails
	 */
	public static void main(String[] args) throws Exception {
		Path jar = Path.of((args.length > 0) ? args[0] : "sample-app/target/supervision-sample-app-0.1.0-SNAPSHOT.jar")
			.toAbsolutePath();
		int runs = (args.length > 1) ? Integer.parseInt(args[1]) : 10;
		int port = (args.length > 2) ? Integer.parseInt(args[2]) : 18080;
		boolean aa = args.length > 3 && "aa".equals(args[3]);
		Path work = Files.createTempDirectory("supervision-startup");
		Path with = extract(jar, work.resolve("with"));
		Path without = aa ? with : withoutStarter(extract(jar, work.resolve("without")));
		List<Launch> withLaunches = new ArrayList<>();
		List<Launch> withoutLaunches = new ArrayList<>();
		startOnce(with, port);
		startOnce(without, port);
		for (int i = 0; i < runs; i++) {
			withLaunches.add(startOnce(with, port));
			withoutLaunches.add(startOnce(without, port));
		}
		String other = aa ? "with the starter again (A/A)" : "without the starter";
		Samples ours = Samples.of("sample start-up with the starter", wall(withLaunches));
		Samples theirs = Samples.of("sample start-up " + other, wall(withoutLaunches));
		System.out.println(ours.report());
		System.out.println(theirs.report());
		System.out.println(Samples.ratio(ours, theirs));
		System.out.printf(Locale.ROOT, "difference of medians: %.1f ms%n", ours.medianMillis() - theirs.medianMillis());
		System.out.printf(Locale.ROOT, "median of paired differences: %.1f ms%n",
				medianMillis(differences(wall(withLaunches), wall(withoutLaunches))));
		Samples ourCpu = Samples.of("CPU by the first answer, with the starter", cpu(withLaunches));
		Samples theirCpu = Samples.of("CPU by the first answer, " + other, cpu(withoutLaunches));
		System.out.println(ourCpu.report());
		System.out.println(theirCpu.report());
		System.out.printf(Locale.ROOT, "CPU: difference of medians: %.1f ms, median of paired differences: %.1f ms%n",
				ourCpu.medianMillis() - theirCpu.medianMillis(),
				medianMillis(differences(cpu(withLaunches), cpu(withoutLaunches))));
	}

	// removes our jars from an extracted application's lib/
	private static Path withoutStarter(Path applicationJar) throws IOException {
		try (Stream<Path> libs = Files.list(applicationJar.getParent().resolve("lib"))) {
			List<Path> ours = libs.filter((lib) -> lib.getFileName().toString().startsWith("supervision-spring-boot-"))
				.toList();
			if (ours.isEmpty()) {
				throw new IllegalStateException("No supervision-spring-boot jar in " + applicationJar.getParent());
			}
			for (Path lib : ours) {
				Files.delete(lib);
			}
		}
		return applicationJar;
	}

	private static List<Long> wall(List<Launch> launches) {
		return launches.stream().map(Launch::wallNanos).toList();
	}

	private static List<Long> cpu(List<Launch> launches) {
		return launches.stream().map(Launch::cpuNanos).toList();
	}

	private static List<Long> differences(List<Long> ours, List<Long> theirs) {
		List<Long> differences = new ArrayList<>();
		for (int i = 0; i < ours.size(); i++) {
			differences.add(ours.get(i) - theirs.get(i));
		}
		return differences;
	}

	private static double medianMillis(List<Long> nanos) {
		List<Long> sorted = nanos.stream().sorted().toList();
		int middle = sorted.size() / 2;
		double median = (sorted.size() % 2 == 1) ? sorted.get(middle)
				: (sorted.get(middle - 1) + sorted.get(middle)) / 2.0;
		return median / 1_000_000.0;
	}

	private static Path extract(Path jar, Path destination) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(javaBinary(), "-Djarmode=tools", "-jar", jar.toString(), "extract",
				"--destination", destination.toString())
			.inheritIO()
			.start();
		if (process.waitFor() != 0) {
			throw new IllegalStateException("Could not extract " + jar);
		}
		try (Stream<Path> files = Files.list(destination)) {
			return files.filter((file) -> file.toString().endsWith(".jar"))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("No application jar in " + destination));
		}
	}

	private static Launch startOnce(Path applicationJar, int port) throws Exception {
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
		HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
			.timeout(Duration.ofSeconds(2))
			.build();
		long start = System.nanoTime();
		// both kinds: the sample's readiness group names the starter's health contributor
		Process process = new ProcessBuilder(javaBinary(), "-jar", applicationJar.toString(), "--server.port=" + port,
				"--server.address=127.0.0.1", "--management.endpoint.health.validate-group-membership=false")
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		try {
			long deadline = start + Duration.ofSeconds(90).toNanos();
			while (System.nanoTime() < deadline) {
				try {
					// Any answer counts: the sample's health is DOWN (503) until its
					// critical service has run for start-seconds, which is not start-up
					// cost.
					client.send(health, HttpResponse.BodyHandlers.discarding());
					long wall = System.nanoTime() - start;
					long cpu = process.toHandle()
						.info()
						.totalCpuDuration()
						.map(Duration::toNanos)
						.orElseThrow(() -> new IllegalStateException("The JVM's CPU time cannot be read here"));
					return new Launch(wall, cpu);
				}
				catch (IOException ex) {
					// not listening yet
				}
				if (!process.isAlive()) {
					throw new IllegalStateException("The application exited with " + process.exitValue());
				}
				Thread.sleep(20);
			}
			throw new IllegalStateException("The application was not ready within 90 s");
		}
		finally {
			process.destroy();
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor();
			}
		}
	}

	private static String javaBinary() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	/**
	 * One launch: the time to the first answer and the CPU time the JVM had used by then.
	 *
	 * @param wallNanos from launching {@code java} to the first answer
	 * @param cpuNanos the CPU time of every thread of the JVM by the first answer
	 */
	private record Launch(long wallNanos, long cpuNanos) {
	}

}
