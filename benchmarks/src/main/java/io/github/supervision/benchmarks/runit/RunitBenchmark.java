package io.github.supervision.benchmarks.runit;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import io.github.supervision.Subscription;
import io.github.supervision.benchmarks.Samples;
import io.github.supervision.runit.RunitBackend;
import io.github.supervision.testsupport.Runsvdir;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Times the runit backend against {@code sv} on 500 services under a real
 * {@code runsvdir}, in one run: our status call for all 500,
 * {@code GET /actuator/services} with the 500 declared, one {@code sv status} process
 * given the 500 directories, one {@code sv status} process per service, and how long a
 * state change takes to reach a listener (inotify, and the polling fallback). Run it as
 * root on a machine with runit:
 * {@code java -cp ... io.github.supervision.benchmarks.runit.RunitBenchmark [services]}.
 *
 * @author Supervision contributors
 */
public final class RunitBenchmark {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final int ROUNDS = 10;

	private RunitBenchmark() {
	}

	/**
	 * Run the benchmark.
	 * @param args the number of services (500 when not given)
	 * @throws Exception on failure
	 */
	public static void main(String[] args) throws Exception {
		int count = (args.length > 0) ? Integer.parseInt(args[0]) : 500;
		List<String> names = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			names.add(String.format("s%03d", i));
		}
		Runsvdir runsvdir = Runsvdir.withServices((fixture) -> {
			Files.setPosixFilePermissions(fixture.root(), PosixFilePermissions.fromString("rwxr-xr-x"));
			for (String name : names) {
				fixture.service(name, "exec sleep 100000", false);
			}
		});
		try {
			runsvdir.start();
			run(runsvdir, names);
		}
		finally {
			runsvdir.close();
			System.out.printf("stopped runsvdir; %d processes had to be killed%n", runsvdir.survivors().size());
		}
	}

	private static void run(Runsvdir runsvdir, List<String> names) throws Exception {
		int count = names.size();
		Path scan = runsvdir.scan();
		try (RunitBackend backend = new RunitBackend(scan, false, Duration.ofMillis(500), true,
				RunitBackend.DEFAULT_LOG_FILE, names)) {
			awaitRunning(backend, names);
			System.out.printf("%d services running under runsvdir (pid %d)%n", count, runsvdir.pid());
			startup(scan, names);
			List<String> paths = names.stream().map((name) -> scan.resolve(name).toString()).toList();
			// The machine is shared: ours and sv are timed in alternating rounds, so that
			// both see the same load, and the ratio is the median of the rounds' ratios
			List<Double> ratios = new ArrayList<>();
			Samples ours = null;
			Samples svBatch = null;
			for (int round = 0; round < ROUNDS; round++) {
				ours = Samples.time("ours: status() of " + count, (round == 0) ? 100 : 5, 40,
						() -> backend.status(names, TIMEOUT));
				svBatch = Samples.time("sv status, " + count + " names, 1 process", (round == 0) ? 3 : 1, 10,
						() -> sv(paths));
				ratios.add(ours.medianMillis() / svBatch.medianMillis());
				System.out.println(ours.report());
				System.out.println(svBatch.report());
			}
			double ourCpu = ourCpuMillis(backend, names);
			double svCpu = svCpuMillis(paths);
			Samples svEach = Samples.time("sv status, 1 process per service", 1, 3, () -> {
				for (String path : paths) {
					sv(List.of(path));
				}
				return null;
			});
			Samples http = http(scan, names, paths);
			Samples rewritten = rewritten(backend, scan, names, 100);
			Samples watched = latency("listener latency, inotify", backend, scan, names, 100);
			Samples polled;
			try (RunitBackend polling = new RunitBackend(scan, false, Duration.ofMillis(500), false,
					RunitBackend.DEFAULT_LOG_FILE, names)) {
				polled = latency("listener latency, 500 ms polling", polling, scan, names, 10);
			}
			List<Samples> dead = deadSupervisor(runsvdir, backend);
			System.out.println();
			List<Samples> all = new ArrayList<>(List.of(ours, svBatch, svEach, rewritten, watched, polled));
			all.addAll(dead);
			for (Samples samples : all) {
				System.out.println(samples.report());
			}
			if (http != null) {
				System.out.println(http.report());
			}
			System.out.println();
			System.out.println(Samples.ratio(ours, svBatch) + "   (last round)");
			System.out.printf("median over %d rounds of ours / sv status = %.3f   (target <= 0.5)%n", ROUNDS,
					median(ratios));
			System.out.printf(
					"CPU per call: ours %.3f ms (calling thread), sv status %.3f ms (user + system); " + "ratio %.3f%n",
					ourCpu, svCpu, ourCpu / svCpu);
			System.out.printf("listener latency median %.3f ms   (target <= 50 ms)%n", watched.medianMillis());
		}
	}

	// What watching costs once: start() sets an inotify watch on each service's
	// directories, and the first status() reads every file before snapshots serve
	private static void startup(Path scan, List<String> names) {
		try (RunitBackend fresh = new RunitBackend(scan, false, Duration.ofMillis(500), true,
				RunitBackend.DEFAULT_LOG_FILE, names)) {
			long start = System.nanoTime();
			fresh.start();
			long started = System.nanoTime();
			fresh.status(names, TIMEOUT);
			long first = System.nanoTime();
			fresh.status(names, TIMEOUT);
			long second = System.nanoTime();
			System.out.printf("watching %d services: start() %.1f ms, first status() %.3f ms, second %.3f ms%n",
					names.size(), (started - start) / 1e6, (first - started) / 1e6, (second - first) / 1e6);
		}
	}

	private static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		return sorted.get(sorted.size() / 2);
	}

	// Wall time on a shared machine depends on the load; CPU time does not. Ours is the
	// calling thread's CPU time (garbage collection runs on other threads and is left
	// out)
	private static double ourCpuMillis(RunitBackend backend, List<String> names) {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		int runs = 200;
		long start = threads.getCurrentThreadCpuTime();
		for (int i = 0; i < runs; i++) {
			backend.status(names, TIMEOUT);
		}
		return (threads.getCurrentThreadCpuTime() - start) / 1e6 / runs;
	}

	/**
	 * Return the CPU time (user and system) of one {@code sv status} of the given service
	 * directories, as bash's {@code times} reports it for its children over 50 runs.
	 * @param paths the service directories
	 * @return the CPU milliseconds per run
	 * @throws IOException if bash cannot be started
	 * @throws InterruptedException if interrupted
	 */
	public static double svCpuMillis(List<String> paths) throws IOException, InterruptedException {
		int runs = 50;
		List<String> command = new ArrayList<>(List.of("/bin/bash", "-c",
				"for i in $(seq " + runs + "); do /usr/bin/sv status \"$@\" >/dev/null; done; times", "bash"));
		command.addAll(paths);
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		process.waitFor(60, TimeUnit.SECONDS);
		String[] lines = output.strip().split("\n");
		String[] children = lines[lines.length - 1].trim().split("\\s+");
		return (seconds(children[0]) + seconds(children[1])) * 1000 / runs;
	}

	private static double seconds(String time) {
		int minutes = time.indexOf('m');
		return Integer.parseInt(time.substring(0, minutes)) * 60
				+ Double.parseDouble(time.substring(minutes + 1, time.length() - 1));
	}

	private static void awaitRunning(RunitBackend backend, List<String> names) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (backend.status(names, TIMEOUT).values().stream().anyMatch((s) -> s.state() != ServiceState.RUNNING)) {
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("The services did not all start within 60 s");
			}
			Thread.sleep(100);
		}
	}

	/**
	 * Run one {@code sv status} process for the given service directories.
	 * @param paths the service directories
	 * @return its output
	 * @throws IOException if it cannot be started
	 * @throws InterruptedException if interrupted
	 */
	public static String sv(List<String> paths) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add("/usr/bin/sv");
		command.add("status");
		command.addAll(paths);
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		byte[] output = process.getInputStream().readAllBytes();
		if (!process.waitFor(10, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IllegalStateException("sv did not finish");
		}
		return new String(output, StandardCharsets.UTF_8);
	}

	private static Samples http(Path scan, List<String> names, List<String> paths) throws Exception {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("server.port", "0");
		properties.put("supervision.runit.service-directory", scan.toString());
		properties.put("management.endpoints.web.exposure.include", "services");
		for (String name : names) {
			properties.put("supervision.services." + name + ".directory", name);
		}
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
			.properties(properties)
			.logStartupInfo(false)
			.run()) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			HttpClient client = HttpClient.newHttpClient();
			HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/services"))
				.timeout(TIMEOUT)
				.build();
			HttpResponse<String> first = client.send(request, HttpResponse.BodyHandlers.ofString());
			if (first.statusCode() != 200) {
				System.out.printf("GET /actuator/services answered %d: no services endpoint in this build%n",
						first.statusCode());
				return null;
			}
			System.out.printf("GET /actuator/services answers %d bytes%n", first.body().length());
			// What the endpoint reads, without the endpoint: the rest of its time is its
			// own
			ServiceCatalog catalog = context.getBean(ServiceCatalog.class);
			System.out
				.println(Samples.time("ServiceCatalog.list(), " + names.size() + " declared", 50, 200, catalog::list)
					.report());
			List<Double> ratios = new ArrayList<>();
			Samples http = null;
			for (int round = 0; round < ROUNDS; round++) {
				http = Samples.time("GET /actuator/services, " + names.size() + " declared", (round == 0) ? 50 : 3, 20,
						() -> {
							HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
							if (response.statusCode() != 200) {
								throw new IllegalStateException("HTTP " + response.statusCode());
							}
							return response.body().length();
						});
				Samples sv = Samples.time("sv status, " + names.size() + " names, 1 process", 1, 10, () -> sv(paths));
				ratios.add(http.medianMillis() / sv.medianMillis());
				System.out.println(http.report());
				System.out.println(sv.report());
			}
			System.out.printf("median over %d rounds of GET /actuator/services / sv status = %.3f   (target <= 1.0)%n",
					ROUNDS, median(ratios));
			return http;
		}
	}

	// the subscription only has to stay open while the round runs
	@SuppressWarnings("try")
	private static Samples latency(String label, RunitBackend backend, Path scan, List<String> names, int runs)
			throws Exception {
		BlockingQueue<ServiceStatus> events = new LinkedBlockingQueue<>();
		try (Subscription subscription = backend.watch(events::add)) {
			int[] index = { 0 };
			Thread.sleep(200);
			return Samples.time(label, 4, runs, () -> {
				String name = names.get(index[0]++ % names.size());
				boolean up = backend.status(List.of(name), TIMEOUT).get(name).state() == ServiceState.RUNNING;
				ServiceState wanted = up ? ServiceState.STOPPED : ServiceState.RUNNING;
				events.clear();
				control(scan.resolve(name), up ? "d" : "u");
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
				while (true) {
					ServiceStatus status = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
					if (status == null) {
						throw new IllegalStateException("No event for " + name);
					}
					if (status.target().equals(name) && status.state() == wanted) {
						return status;
					}
				}
			});
		}
	}

	// The floor under the listener latency: how long runsv takes to act and rename a new
	// status file into place, seen by spinning on the file.
	private static Samples rewritten(RunitBackend backend, Path scan, List<String> names, int runs) throws Exception {
		int[] index = { 0 };
		return Samples.time("status file rewritten (spin-read)", 4, runs, () -> {
			String name = names.get(index[0]++ % names.size());
			boolean up = backend.status(List.of(name), TIMEOUT).get(name).state() == ServiceState.RUNNING;
			Path status = scan.resolve(name).resolve("supervise/status");
			byte[] before = Files.readAllBytes(status);
			control(scan.resolve(name), up ? "d" : "u");
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
			while (Arrays.equals(before, Files.readAllBytes(status))) {
				if (System.nanoTime() - deadline > 0) {
					throw new IllegalStateException("No change for " + name);
				}
				Thread.onSpinWait();
			}
			return null;
		});
	}

	// How fast a dead supervisor is seen, by a status read and by an action, which must
	// fail at once rather than hang on the FIFO that nobody reads
	private static List<Samples> deadSupervisor(Runsvdir runsvdir, RunitBackend backend) throws Exception {
		Path service = runsvdir.service(runsvdir.root(), "orphan", "exec sleep 100000", false);
		Process runsv = runsvdir.runsv(service);
		String target = service.toString();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (backend.status(List.of(target), TIMEOUT).get(target).state() != ServiceState.RUNNING) {
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("runsv did not start the orphan");
			}
			Thread.sleep(20);
		}
		long pid = backend.status(List.of(target), TIMEOUT).get(target).pid();
		runsv.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
		ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
		Samples status = Samples.time("status() of 1 service whose runsv is dead", 20, 200, () -> {
			ServiceStatus read = backend.status(List.of(target), TIMEOUT).get(target);
			if (!read.rawState().equals("runsv not running")) {
				throw new IllegalStateException(read.rawState());
			}
			return read;
		});
		Samples action = Samples.time("start on a dead runsv, until it fails", 20, 200, () -> {
			try {
				backend.perform(target, ServiceAction.START, Duration.ofSeconds(30)).get(5, TimeUnit.SECONDS);
				throw new IllegalStateException("The action did not fail");
			}
			catch (ExecutionException ex) {
				return ex.getCause();
			}
		});
		return List.of(status, action);
	}

	private static void control(Path service, String letters) throws IOException {
		try (FileChannel channel = FileChannel.open(service.resolve("supervise/control"), StandardOpenOption.READ,
				StandardOpenOption.WRITE)) {
			channel.write(ByteBuffer.wrap(letters.getBytes(StandardCharsets.US_ASCII)));
		}
	}

	/**
	 * The application that serves {@code /actuator/services}.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

	}

}
