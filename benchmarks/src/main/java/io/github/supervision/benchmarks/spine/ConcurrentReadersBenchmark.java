package io.github.supervision.benchmarks.spine;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.supervision.ActionResult;
import io.github.supervision.BackendAvailability;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceDefinition;
import io.github.supervision.ServiceName;
import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import io.github.supervision.ServiceStatusListener;
import io.github.supervision.Subscription;
import io.github.supervision.SupervisionBackend;
import io.github.supervision.benchmarks.Samples;
import io.github.supervision.benchmarks.runit.RunitBenchmark;
import io.github.supervision.runit.RunitBackend;
import io.github.supervision.testsupport.Runsvdir;

/**
 * Times {@code GET /actuator/services} of the sample application (its security filter
 * chain and registration report included) with N runit services under a real
 * {@code runsvdir}: one kept-alive reader against one {@code sv status} of the same
 * services, alternating, and 32 concurrent kept-alive readers (median, p99, requests per
 * second). It also counts, in process, how many backend reads 32 concurrent
 * {@link ServiceCatalog#list()} callers cost. Several builds of the sample can be given
 * ({@code label=jar}): they run side by side and are measured alternately, so that an A/B
 * comparison sees the same load. Run it as root on a machine with runit:
 * {@code java -cp ... io.github.supervision.benchmarks.spine.ConcurrentReadersBenchmark
 * [services] [readers] [seconds] [label=jar ...]}.
 *
 * @author Supervision contributors
 */
public final class ConcurrentReadersBenchmark {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final int ROUNDS = 8;

	// USER_HZ, what /proc/PID/stat counts CPU time in
	private static final int TICKS_PER_SECOND = 100;

	private static final String DEFAULT_JAR = "sample-app/target/supervision-sample-app-0.1.0-SNAPSHOT.jar";

	private ConcurrentReadersBenchmark() {
	}

	/**
	 * Run the benchmark and print the figures.
	 * @param args the number of services (500), of concurrent readers (32), the seconds
	 * each concurrent run lasts (10), then {@code label=jar} for each build of the sample
	 * to measure (the one in {@code sample-app/target} when none is given)
	 * @throws Exception if a step fails
	 */
	public static void main(String[] args) throws Exception {
		int count = (args.length > 0) ? Integer.parseInt(args[0]) : 500;
		int readers = (args.length > 1) ? Integer.parseInt(args[1]) : 32;
		int seconds = (args.length > 2) ? Integer.parseInt(args[2]) : 10;
		List<String[]> jars = new ArrayList<>();
		for (int i = 3; i < args.length; i++) {
			jars.add(args[i].split("=", 2));
		}
		if (jars.isEmpty()) {
			jars.add(new String[] { "sample", DEFAULT_JAR });
		}
		List<String> names = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			names.add(String.format(Locale.ROOT, "s%03d", i));
		}
		Runsvdir runsvdir = Runsvdir.withServices((fixture) -> {
			Files.setPosixFilePermissions(fixture.root(), PosixFilePermissions.fromString("rwxr-xr-x"));
			for (String name : names) {
				fixture.service(name, "exec sleep 100000", false);
			}
		});
		List<App> apps = new ArrayList<>();
		try {
			runsvdir.start();
			inProcess(runsvdir.scan(), names, readers, seconds);
			for (String[] jar : jars) {
				apps.add(App.start(jar[0], Path.of(jar[1]), runsvdir.scan(), names));
			}
			for (App app : apps) {
				app.awaitRunning(count);
			}
			singleReader(apps, runsvdir.scan(), names);
			concurrentReaders(apps, readers, seconds);
		}
		finally {
			for (App app : apps) {
				app.close();
			}
			runsvdir.close();
			System.out.printf("stopped runsvdir; %d processes had to be killed%n", runsvdir.survivors().size());
		}
	}

	// 32 callers of ServiceCatalog.list() over the real runit backend, in this JVM:
	// how many backend reads they cost, and how many ran at once (runit's cache period
	// is one read: /proc/locks is read on every call)
	private static void inProcess(Path scan, List<String> names, int readers, int seconds) throws Exception {
		try (CountingBackend backend = new CountingBackend(
				new RunitBackend(scan, false, Duration.ofMillis(500), true, RunitBackend.DEFAULT_LOG_FILE, names))) {
			List<ServiceDefinition> definitions = names.stream()
				.map((name) -> new ServiceDefinition(ServiceName.of(name), backend.id(), name,
						Set.of(ServiceAction.RESTART), false, null))
				.toList();
			try (ServiceCatalog catalog = new ServiceCatalog(definitions, List.of(backend), TIMEOUT, TIMEOUT)) {
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
				while (!catalog.list().stream().allMatch((status) -> status.state() == ServiceState.RUNNING)) {
					if (System.nanoTime() - deadline > 0) {
						throw new IllegalStateException("The services did not all start within 60 s");
					}
					Thread.sleep(100);
				}
				Samples one = Samples.time("in process: list() of " + names.size() + ", 1 caller", 200, 500,
						catalog::list);
				long readsBefore = backend.reads.get();
				List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
				long elapsed = run(readers, seconds, nanos, () -> {
					long start = System.nanoTime();
					catalog.list();
					return System.nanoTime() - start;
				});
				long reads = backend.reads.get() - readsBefore;
				Samples many = Samples.of("in process: list(), " + readers + " callers", nanos);
				System.out.println(one.tailReport());
				System.out.println(many.tailReport());
				System.out.printf(Locale.ROOT,
						"in process: %d list() calls cost %d backend reads (%.1f callers per read), "
								+ "at most %d read(s) at once; %.0f lists/s%n",
						nanos.size(), reads, nanos.size() / (double) reads, backend.maxConcurrent.get(),
						nanos.size() / (elapsed / 1e9));
			}
		}
	}

	private static void singleReader(List<App> apps, Path scan, List<String> names) throws Exception {
		List<String> paths = names.stream().map((name) -> scan.resolve(name).toString()).toList();
		Map<App, List<Double>> ratios = new LinkedHashMap<>();
		Map<App, List<Long>> all = new LinkedHashMap<>();
		apps.forEach((app) -> {
			ratios.put(app, new ArrayList<>());
			all.put(app, new ArrayList<>());
		});
		HttpClient client = client();
		for (int round = 0; round < ROUNDS; round++) {
			for (int i = 0; i < apps.size(); i++) {
				App app = apps.get((round + i) % apps.size());
				Samples get = Samples.time(app.label + ": GET, 1 reader", (round == 0) ? 100 : 5, 30,
						() -> app.get(client));
				Samples sv = Samples.time("sv status, " + names.size() + " names, 1 process", 1, 10,
						() -> RunitBenchmark.sv(paths));
				ratios.get(app).add(get.medianMillis() / sv.medianMillis());
				System.out.println(get.report());
				System.out.println(sv.report());
			}
		}
		// Wall time on a loaded machine says more about the load than about the code; CPU
		// time does not: the application's CPU per GET (all its threads, from /proc)
		// against sv's (user and system, from bash's 'times')
		double svCpu = RunitBenchmark.svCpuMillis(paths);
		for (int round = 0; round < 2; round++) {
			for (App app : apps) {
				int runs = 300;
				long before = app.cpuTicks();
				for (int i = 0; i < runs; i++) {
					app.get(client);
				}
				double cpu = (app.cpuTicks() - before) * 1000.0 / TICKS_PER_SECOND / runs;
				System.out.printf(Locale.ROOT,
						"%s: CPU per GET %.3f ms, sv status %.3f ms: ratio %.3f (%d GETs in a row)%n", app.label, cpu,
						svCpu, cpu / svCpu, runs);
			}
		}
		// One GET of each build in turn, so that every pair sees the same moment's load
		if (apps.size() > 1) {
			int pairs = 1000;
			for (int i = 0; i < pairs; i++) {
				for (App app : apps) {
					long start = System.nanoTime();
					app.get(client);
					all.get(app).add(System.nanoTime() - start);
				}
			}
			List<Samples> interleaved = new ArrayList<>();
			for (App app : apps) {
				interleaved.add(Samples.of(app.label + ": GET, 1 reader, interleaved", all.get(app)));
			}
			interleaved.forEach((samples) -> System.out.println(samples.tailReport()));
			for (int i = 1; i < interleaved.size(); i++) {
				System.out.println(Samples.ratio(interleaved.get(i), interleaved.get(0)));
			}
		}
		for (App app : apps) {
			List<Double> sorted = ratios.get(app).stream().sorted().toList();
			System.out.printf(Locale.ROOT,
					"%s: median over %d rounds of GET /actuator/services / sv status = %.3f (rounds %s)%n", app.label,
					ROUNDS, sorted.get(sorted.size() / 2), sorted);
		}
	}

	private static void concurrentReaders(List<App> apps, int readers, int seconds) throws Exception {
		Map<App, List<String>> lines = new LinkedHashMap<>();
		apps.forEach((app) -> lines.put(app, new ArrayList<>()));
		for (int pass = 0; pass < 2; pass++) {
			for (int i = 0; i < apps.size(); i++) {
				App app = apps.get((pass + i) % apps.size());
				List<HttpClient> clients = new ArrayList<>();
				for (int r = 0; r < readers; r++) {
					clients.add(client());
				}
				// warm every connection
				run(readers, 2, Collections.synchronizedList(new ArrayList<>()), clientCall(app, clients));
				List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
				long ticks = app.cpuTicks();
				long elapsed = run(readers, seconds, nanos, clientCall(app, clients));
				double cpu = (app.cpuTicks() - ticks) * 1000.0 / TICKS_PER_SECOND / nanos.size();
				Samples samples = Samples.of(app.label + ": GET, " + readers + " readers", nanos);
				String line = samples.tailReport() + String.format(Locale.ROOT,
						"  %.0f requests/s, CPU %.3f ms per GET", nanos.size() / (elapsed / 1e9), cpu);
				System.out.println(line);
				lines.get(app).add(line);
			}
		}
		System.out.println();
		lines.values().forEach((each) -> each.forEach(System.out::println));
		for (App app : apps) {
			System.out.printf("%s: body %d bytes, %.0f bytes per service%n", app.label, app.bodyBytes,
					app.bodyBytes / (double) app.serviceCount);
		}
	}

	private static Timed clientCall(App app, List<HttpClient> clients) {
		AtomicInteger next = new AtomicInteger();
		ThreadLocal<HttpClient> mine = ThreadLocal
			.withInitial(() -> clients.get(next.getAndIncrement() % clients.size()));
		return () -> {
			long start = System.nanoTime();
			app.get(mine.get());
			return System.nanoTime() - start;
		};
	}

	// Runs the call on that many threads for that long; returns the elapsed nanos
	private static long run(int threads, int seconds, List<Long> nanos, Timed call) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			long start = System.nanoTime();
			long end = start + TimeUnit.SECONDS.toNanos(seconds);
			List<Future<?>> futures = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				futures.add(executor.submit(() -> {
					List<Long> mine = new ArrayList<>();
					while (System.nanoTime() - end < 0) {
						mine.add(call.call());
					}
					nanos.addAll(mine);
					return null;
				}));
			}
			for (Future<?> future : futures) {
				future.get(seconds + 60L, TimeUnit.SECONDS);
			}
			return System.nanoTime() - start;
		}
		finally {
			executor.shutdownNow();
		}
	}

	private static HttpClient client() {
		return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
	}

	@FunctionalInterface
	private interface Timed {

		long call() throws Exception;

	}

	/**
	 * One build of the sample, running in a process of its own.
	 */
	private static final class App {

		private final String label;

		private final Process process;

		private final URI services;

		private final Path log;

		private int bodyBytes;

		private int serviceCount;

		private App(String label, Process process, int port, Path log) {
			this.label = label;
			this.process = process;
			this.services = URI.create("http://127.0.0.1:" + port + "/actuator/services");
			this.log = log;
		}

		static App start(String label, Path jar, Path scan, List<String> names) throws IOException {
			int port;
			try (ServerSocket socket = new ServerSocket(0)) {
				port = socket.getLocalPort();
			}
			List<String> command = new ArrayList<>();
			command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
			String jvmArgs = System.getenv("BENCH_JVM_ARGS");
			if (jvmArgs != null && !jvmArgs.isBlank()) {
				command.addAll(List.of(jvmArgs.trim().split("\\s+")));
			}
			command.addAll(List.of("-jar", jar.toString(), "--server.port=" + port, "--server.address=127.0.0.1",
					"--supervision.runit.service-directory=" + scan));
			for (String name : names) {
				command.add("--supervision.services." + name + ".directory=" + name);
			}
			Path log = Files.createTempFile("concurrent-readers-" + label, ".log");
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			System.out.printf("%s: %s on port %d (pid %d, log %s)%n", label, jar, port, process.pid(), log);
			return new App(label, process, port, log);
		}

		void awaitRunning(int count) throws Exception {
			HttpClient client = client();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
			while (true) {
				if (!this.process.isAlive()) {
					throw new IllegalStateException(this.label + " exited; see " + this.log);
				}
				try {
					HttpResponse<String> response = client.send(request(), HttpResponse.BodyHandlers.ofString());
					String body = response.body();
					int running = body.split("\"backend\":\"runit\"", -1).length - 1;
					if (response.statusCode() == 200 && running == count && !body.contains("\"state\":\"unknown\"")) {
						this.bodyBytes = body.getBytes(StandardCharsets.UTF_8).length;
						this.serviceCount = body.split("\"target\":", -1).length - 1;
						return;
					}
				}
				catch (IOException ex) {
					// not listening yet
				}
				if (System.nanoTime() - deadline > 0) {
					throw new IllegalStateException(this.label + " did not list " + count + " runit services");
				}
				Thread.sleep(200);
			}
		}

		private HttpRequest request() {
			return HttpRequest.newBuilder(this.services).timeout(TIMEOUT).build();
		}

		// utime + stime of every thread of the process
		long cpuTicks() throws IOException {
			String stat = Files.readString(Path.of("/proc/" + this.process.pid() + "/stat"));
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
		}

		int get(HttpClient client) throws Exception {
			HttpResponse<byte[]> response = client.send(request(), HttpResponse.BodyHandlers.ofByteArray());
			if (response.statusCode() != 200) {
				throw new IllegalStateException(this.label + ": HTTP " + response.statusCode());
			}
			return response.body().length;
		}

		void close() throws InterruptedException {
			this.process.destroy();
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}

	}

	/**
	 * A backend that counts the reads of the one it wraps, and how many ran at once.
	 */
	private static final class CountingBackend implements SupervisionBackend {

		private final SupervisionBackend delegate;

		private final AtomicLong reads = new AtomicLong();

		private final AtomicInteger inFlight = new AtomicInteger();

		private final AtomicInteger maxConcurrent = new AtomicInteger();

		CountingBackend(SupervisionBackend delegate) {
			this.delegate = delegate;
		}

		@Override
		public String id() {
			return this.delegate.id();
		}

		@Override
		public BackendAvailability availability() {
			return this.delegate.availability();
		}

		@Override
		public void validateTarget(String target) {
			this.delegate.validateTarget(target);
		}

		@Override
		public Map<String, ServiceStatus> status(Collection<String> targets, Duration timeout) {
			this.reads.incrementAndGet();
			int now = this.inFlight.incrementAndGet();
			this.maxConcurrent.accumulateAndGet(now, Math::max);
			try {
				return this.delegate.status(targets, timeout);
			}
			finally {
				this.inFlight.decrementAndGet();
			}
		}

		@Override
		public CompletableFuture<ActionResult> perform(String target, ServiceAction action, Duration timeout) {
			return this.delegate.perform(target, action, timeout);
		}

		@Override
		public Subscription watch(ServiceStatusListener listener) {
			return this.delegate.watch(listener);
		}

		@Override
		public Set<ServiceAction> supportedActions() {
			return this.delegate.supportedActions();
		}

		@Override
		public void start() {
			this.delegate.start();
		}

		@Override
		public void close() {
			this.delegate.close();
		}

	}

}
