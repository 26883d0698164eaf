package io.github.supervision.benchmarks.scale;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import io.github.supervision.benchmarks.Samples;
import io.github.supervision.testsupport.Runsvdir;

/**
 * The scale curve: for each backend and each number of services, sets the services up
 * under the real daemon, starts the sample application's jar with them declared, and
 * times in alternating rounds {@code GET /actuator/services} through the sample (a
 * kept-alive client, anonymous as the sample allows reads; with {@code -Dscale.auth=true}
 * also with basic credentials, which cost one BCrypt check per request), our status call
 * of every service in this JVM, and the native tool reading the same services as a whole
 * process. Then the same declarations in an application in this JVM (no security) split
 * the answer's cost. Prints every figure, and a Markdown table per backend for
 * {@code docs/benchmarks.md}. Run as root from the project's folder, after building the
 * sample's jar:
 * {@code java -cp ... ScaleBenchmark [backends=systemd,runit,supervisord,embedded] [sizes=50,500,5000] [rounds=10]}.
 * <p>
 * System properties: {@code scale.up} (share of services that run, 0.9),
 * {@code scale.jar} (the sample's jar), {@code scale.jvmArgs} (options of the sample's
 * JVM, such as a flight recording), {@code scale.breakdown} (whether to run the
 * in-process split, true), {@code scale.auth} (whether to also time a {@code GET} with
 * basic credentials, which costs one BCrypt check per request, false),
 * {@code scale.budgetMillis} (time per operation per round, 300).
 *
 * @author Supervision contributors
 */
public final class ScaleBenchmark {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(300);

	// The sample's JVM is fresh: its request path is compiled before it is timed
	private static final Duration SAMPLE_WARMUP = Duration.ofSeconds(10);

	private static final Map<String, Supplier<ScaleTarget>> TARGETS = Map.of("systemd", SystemdScale::new, "runit",
			RunitScale::new, "supervisord", SupervisordScale::new, "embedded", EmbeddedScale::new);

	private ScaleBenchmark() {
	}

	/**
	 * Run the benchmark.
	 * @param args the backends, the sizes and the number of rounds, each optional
	 * @throws Exception if a step fails
	 */
	public static void main(String[] args) throws Exception {
		List<String> backends = List
			.of(((args.length > 0) ? args[0] : "systemd,runit,supervisord,embedded").split(","));
		List<Integer> sizes = Arrays.stream(((args.length > 1) ? args[1] : "50,500,5000").split(","))
			.map(Integer::valueOf)
			.toList();
		int rounds = (args.length > 2) ? Integer.parseInt(args[2]) : 10;
		double share = Double.parseDouble(System.getProperty("scale.up", "0.9"));
		Path jar = Path
			.of(System.getProperty("scale.jar", "sample-app/target/supervision-sample-app-0.1.0-SNAPSHOT.jar"));
		String jvmArgs = System.getProperty("scale.jvmArgs", "").strip();
		List<String> jvmArguments = jvmArgs.isEmpty() ? List.of() : List.of(jvmArgs.split("\\s+"));
		boolean breakdown = Boolean.parseBoolean(System.getProperty("scale.breakdown", "true"));
		boolean authenticated = Boolean.parseBoolean(System.getProperty("scale.auth", "false"));
		Duration budget = Duration.ofMillis(Long.parseLong(System.getProperty("scale.budgetMillis", "300")));
		if (!Files.isRegularFile(jar)) {
			throw new IllegalArgumentException("No sample jar at " + jar + ": build it, or set -Dscale.jar");
		}
		System.out.printf(Locale.ROOT, "scale run %s: backends %s, sizes %s, %d rounds, %.0f %% running, jar %s%n",
				Instant.now(), backends, sizes, rounds, share * 100, jar);
		Map<String, List<Row>> rows = new LinkedHashMap<>();
		for (String backend : backends) {
			Supplier<ScaleTarget> target = TARGETS.get(backend);
			if (target == null) {
				throw new IllegalArgumentException("Unknown backend " + backend + "; one of " + TARGETS.keySet());
			}
			for (int size : sizes) {
				int up = (int) Math.round(size * share);
				try {
					rows.computeIfAbsent(backend, (key) -> new ArrayList<>())
						.add(run(target.get(), size, up, rounds, budget, jar, jvmArguments, breakdown, authenticated));
				}
				catch (Exception ex) {
					System.out.printf(Locale.ROOT, "%n%s with %d services FAILED: %s%n", backend, size, ex);
					for (Throwable suppressed : ex.getSuppressed()) {
						System.out.println("  and then: " + suppressed);
					}
					rows.computeIfAbsent(backend, (key) -> new ArrayList<>()).add(Row.failed(size, up, ex));
				}
			}
		}
		System.out.println();
		rows.forEach(ScaleBenchmark::printTable);
	}

	private static Row run(ScaleTarget target, int size, int up, int rounds, Duration budget, Path jar,
			List<String> jvmArguments, boolean breakdown, boolean authenticated) throws Exception {
		System.out.printf(Locale.ROOT, "%n=== %s, %d services (%d running), load %s%n", target.backend(), size, up,
				load());
		Path directory = Files.createTempDirectory("supervision-scale-");
		Row row;
		try {
			row = measure(target, size, up, rounds, budget, jar, directory, jvmArguments, breakdown, authenticated);
		}
		catch (Exception ex) {
			// the failure is what counts; a stop that fails as well is reported with it
			try {
				target.stop();
			}
			catch (Exception stop) {
				ex.addSuppressed(stop);
			}
			Runsvdir.delete(directory);
			throw ex;
		}
		try {
			target.stop();
		}
		finally {
			Runsvdir.delete(directory);
		}
		return row;
	}

	private static Row measure(ScaleTarget target, int size, int up, int rounds, Duration budget, Path jar,
			Path directory, List<String> jvmArguments, boolean breakdown, boolean authenticated) throws Exception {
		long start = System.nanoTime();
		target.start(size, up);
		double setup = (System.nanoTime() - start) / 1e9;
		System.out.printf(Locale.ROOT, "%s; set up in %.1f s%n", target.describe(), setup);
		Row row = new Row(size, up, setup);
		start = System.nanoTime();
		try (SampleProcess sample = SampleProcess.start(jar, directory, target.properties(), up, jvmArguments,
				START_TIMEOUT)) {
			row.sampleStart = (System.nanoTime() - start) / 1e9;
			byte[] body = sample.get(false).body();
			String text = new String(body, StandardCharsets.UTF_8);
			row.bytesPerService = (double) body.length / size;
			System.out.printf(Locale.ROOT,
					"sample up in %.1f s (pid %d); GET /actuator/services: %d bytes, %.0f per service, %d running%n",
					row.sampleStart, sample.handle().pid(), body.length, row.bytesPerService,
					SampleProcess.count(text, "\"state\":\"running\""));
			long warm = System.nanoTime() + SAMPLE_WARMUP.toNanos();
			for (int i = 0; i < 2000 && System.nanoTime() - warm < 0; i++) {
				sample.get(false);
			}
			List<Operation> operations = new ArrayList<>();
			operations.add(new Operation("GET /actuator/services, sample, anonymous", () -> sample.get(false)));
			if (authenticated) {
				operations.add(new Operation("GET /actuator/services, sample, basic auth", () -> sample.get(true)));
			}
			operations.addAll(target.statusOperations());
			List<Operation> natives = target.nativeOperations(sample.handle());
			operations.addAll(natives);
			row.record(Rounds.run(operations, rounds, budget), natives.get(0).label());
		}
		if (breakdown) {
			try (InProcessApplication application = InProcessApplication.start(target.properties(), up,
					START_TIMEOUT)) {
				List<Operation> operations = new ArrayList<>(application.operations());
				List<Operation> natives = target.nativeOperations(ProcessHandle.current());
				operations.addAll(natives);
				row.record(Rounds.run(operations, rounds, budget), natives.get(0).label());
			}
		}
		System.out.printf(Locale.ROOT, "load %s%n", load());
		return row;
	}

	private static String load() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).strip();
		}
		catch (java.io.IOException ex) {
			return "?";
		}
	}

	private static void printTable(String backend, List<Row> rows) {
		System.out.println("### " + backend);
		System.out.println();
		System.out.println("| N (running) | status() ms, median / p99 | GET ms, median / p99 | native ms, median / p99 "
				+ "| status() / native | GET / native | bytes per service |");
		System.out.println("|---|---|---|---|---|---|---|");
		for (Row row : rows) {
			System.out.println(row.markdown());
		}
		System.out.println();
		System.out
			.println("Every operation (median / p99 ms, and median over rounds of the ratio to the native tool):");
		System.out.println();
		for (Row row : rows) {
			System.out.printf(Locale.ROOT, "- N=%d: set-up %.1f s, sample start %.1f s%n", row.size, row.setup,
					row.sampleStart);
			row.details.forEach((line) -> System.out.println("- N=" + row.size + ": " + line));
		}
		System.out.println();
	}

	/**
	 * The figures of one backend at one size.
	 */
	private static final class Row {

		private final int size;

		private final int up;

		private final double setup;

		private double sampleStart;

		private double bytesPerService;

		private final Map<String, double[]> figures = new LinkedHashMap<>();

		private final List<String> details = new ArrayList<>();

		private String failure = "";

		Row(int size, int up, double setup) {
			this.size = size;
			this.up = up;
			this.setup = setup;
		}

		static Row failed(int size, int up, Exception ex) {
			Row row = new Row(size, up, 0);
			row.failure = String.valueOf(ex.getMessage()).lines().findFirst().orElse("");
			return row;
		}

		// Prints and keeps every operation's median and p99, and its ratio to the
		// reference (the median of the rounds' ratios)
		void record(Rounds rounds, String reference) {
			for (String label : rounds.labels()) {
				System.out.println(rounds.report(label));
			}
			for (String label : rounds.labels()) {
				Samples samples = rounds.samples(label);
				double ratio = rounds.ratio(label, reference);
				this.figures.put(label, new double[] { samples.medianMillis(), samples.percentileMillis(99), ratio });
				if (!label.equals(reference)) {
					System.out.printf(Locale.ROOT, "ratio %s / %s = %.3f (median over the rounds)%n", label, reference,
							ratio);
				}
				this.details.add(String.format(Locale.ROOT, "%s: %.3f / %.3f%s", label, samples.medianMillis(),
						samples.percentileMillis(99),
						label.equals(reference) ? " (reference)" : String.format(Locale.ROOT, ", ratio %.3f", ratio)));
			}
			this.figures.putIfAbsent("native", this.figures.get(reference));
		}

		String markdown() {
			if (!this.failure.isEmpty()) {
				return String.format(Locale.ROOT, "| %d (%d) | failed: %s | | | | | |", this.size, this.up,
						this.failure.replace("|", "/"));
			}
			double[] status = first("status()", "ServiceCatalog.list()");
			double[] get = this.figures.get("GET /actuator/services, sample, anonymous");
			double[] reference = this.figures.get("native");
			return String.format(Locale.ROOT, "| %d (%d) | %s | %s | %s | %s | %s | %.0f |", this.size, this.up,
					millis(status), millis(get), millis(reference), ratio(status), ratio(get), this.bytesPerService);
		}

		private double[] first(String... prefixes) {
			for (String prefix : prefixes) {
				for (Map.Entry<String, double[]> entry : this.figures.entrySet()) {
					if (entry.getKey().startsWith(prefix)) {
						return entry.getValue();
					}
				}
			}
			return new double[0];
		}

		private static String millis(double[] figures) {
			return (figures == null || figures.length < 2) ? "—"
					: String.format(Locale.ROOT, "%.3f / %.3f", figures[0], figures[1]);
		}

		private static String ratio(double[] figures) {
			return (figures == null || figures.length < 3) ? "—" : String.format(Locale.ROOT, "%.3f", figures[2]);
		}

	}

}
