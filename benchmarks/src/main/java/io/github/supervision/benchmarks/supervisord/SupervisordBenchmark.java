package io.github.supervision.benchmarks.supervisord;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.supervision.benchmarks.Samples;
import io.github.supervision.supervisord.SupervisordBackend;
import io.github.supervision.supervisord.SupervisordClient;
import io.github.supervision.supervisord.SupervisordMethod;
import io.github.supervision.testsupport.SupervisordDaemon;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Times, in one run against one supervisord with many programs: {@code supervisorctl
 * status} (a whole process), a raw {@code getAllProcessInfo} over the Unix socket with
 * {@code curl} (a whole process), our client and backend alone, and
 * {@code GET /actuator/services} of a Spring Boot app that declares every program, with
 * the status cache off ({@code poll-interval=0}) and on (the default, 1 s).
 * <p>
 * Usage: {@code SupervisordBenchmark [programs=300] [runs=40]}. Needs
 * {@code /usr/bin/supervisord}, {@code /usr/bin/supervisorctl} and {@code curl}.
 */
public final class SupervisordBenchmark {

	private static final String USERNAME = SupervisordDaemon.USERNAME;

	private static final String PASSWORD = SupervisordDaemon.PASSWORD;

	private SupervisordBenchmark() {
	}

	/**
	 * Run the benchmark.
	 * @param args the number of programs and the number of timed runs
	 * @throws Exception if supervisord or the app cannot be started
	 */
	public static void main(String[] args) throws Exception {
		int programs = (args.length > 0) ? Integer.parseInt(args[0]) : 300;
		int runs = (args.length > 1) ? Integer.parseInt(args[1]) : 40;
		SupervisordDaemon supervisord = SupervisordDaemon.withPrograms(programs(programs));
		try {
			supervisord.start();
			Path directory = supervisord.directory();
			Path config = supervisord.config();
			Path socket = supervisord.socket();
			awaitRunning(config, programs);
			Path request = directory.resolve("request.xml");
			Files.writeString(request, "<?xml version=\"1.0\"?><methodCall><methodName>supervisor.getAllProcessInfo"
					+ "</methodName><params></params></methodCall>");
			Path curlConfig = directory.resolve("curl.conf");
			Files.writeString(curlConfig, "user = \"" + USERNAME + ":" + PASSWORD + "\"\n");
			List<String> curl = List.of("curl", "-sS", "--fail", "-K", curlConfig.toString(), "--unix-socket",
					socket.toString(), "-H", "Content-Type: text/xml", "--data-binary", "@" + request,
					"http://localhost/RPC2");
			List<String> ctl = List.of("/usr/bin/supervisorctl", "-c", config.toString(), "status");
			check(run(curl), "<name>statename</name>", programs, "curl");
			check(run(ctl), "RUNNING", programs, "supervisorctl status");
			List<Samples> samples = new ArrayList<>();
			Samples supervisorctl = Samples.time("supervisorctl status (process)", 3, runs, () -> run(ctl));
			Samples raw = Samples.time("curl getAllProcessInfo, unix socket (process)", 3, runs, () -> run(curl));
			samples.add(supervisorctl);
			samples.add(raw);
			try (SupervisordClient client = new SupervisordClient("unix://" + socket, USERNAME, PASSWORD,
					Duration.ofSeconds(2), 2, 64 * 1024 * 1024)) {
				samples.add(Samples.time("getAllProcessInfo, our client only (in-JVM)", 10, runs,
						() -> client.call(SupervisordMethod.GET_ALL_PROCESS_INFO, List.of(), Duration.ofSeconds(10))));
			}
			List<String> targets = new ArrayList<>();
			for (int i = 1; i <= programs; i++) {
				targets.add(program(i));
			}
			try (SupervisordBackend backend = new SupervisordBackend(new SupervisordClient("unix://" + socket, USERNAME,
					PASSWORD, Duration.ofSeconds(2), 2, 64 * 1024 * 1024), Duration.ofSeconds(10), Duration.ZERO,
					false)) {
				samples.add(Samples.time("backend status of all, poll-interval=0s (in-JVM)", 10, runs,
						() -> backend.status(targets, Duration.ofSeconds(10))));
			}
			Map<String, Samples> ours = new LinkedHashMap<>();
			for (String pollInterval : List.of("0s", "1s")) {
				ours.put(pollInterval, timeApp(socket, programs, pollInterval, runs));
			}
			samples.addAll(ours.values());
			System.out.println();
			System.out.printf(Locale.ROOT, "supervisord %s, %d programs, %d runs each, answer %d bytes, load %s%n",
					version(), programs, runs, run(curl).length(), Files.readString(Path.of("/proc/loadavg")).strip());
			samples.forEach((sample) -> System.out.println(sample.report()));
			for (Samples sample : ours.values()) {
				System.out.println(Samples.ratio(sample, raw));
				System.out.println(Samples.ratio(sample, supervisorctl));
			}
		}
		finally {
			supervisord.close();
		}
	}

	private static Samples timeApp(Path socket, int programs, String pollInterval, int runs) throws Exception {
		List<String> properties = new ArrayList<>(List.of("server.port=0", "spring.main.banner-mode=off",
				"logging.level.root=WARN", "supervision.supervisord.url=unix://" + socket,
				"supervision.supervisord.username=" + USERNAME, "supervision.supervisord.password=" + PASSWORD,
				"supervision.supervisord.poll-interval=" + pollInterval,
				"management.endpoints.web.exposure.include=services"));
		for (int i = 1; i <= programs; i++) {
			properties.add("supervision.services." + program(i) + ".program=" + program(i));
		}
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(BenchmarkApplication.class)
			.web(WebApplicationType.SERVLET)
			.properties(properties.toArray(String[]::new))
			.run()) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
			HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/services"))
				.timeout(Duration.ofSeconds(10))
				.build();
			String body = client.send(request, HttpResponse.BodyHandlers.ofString()).body();
			check(body, "\"rawState\":\"RUNNING\"", programs, "GET /actuator/services");
			return Samples.time("GET /actuator/services, poll-interval=" + pollInterval, 10, runs, () -> {
				HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() != 200) {
					throw new IllegalStateException("GET /actuator/services answered " + response.statusCode());
				}
				return response.body();
			});
		}
	}

	private static String program(int i) {
		return String.format(Locale.ROOT, "p%03d", i);
	}

	private static String programs(int programs) {
		StringBuilder config = new StringBuilder();
		for (int i = 1; i <= programs; i++) {
			config.append("[program:")
				.append(program(i))
				.append("]\ncommand=/bin/sleep 100000\nstartsecs=0\n")
				.append("stdout_logfile=NONE\nstderr_logfile=NONE\n\n");
		}
		return config.toString();
	}

	private static void awaitRunning(Path config, int programs) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
		while (System.nanoTime() < deadline) {
			Thread.sleep(500);
			try {
				String status = run(List.of("/usr/bin/supervisorctl", "-c", config.toString(), "status"));
				if (count(status, "RUNNING") == programs) {
					return;
				}
			}
			catch (IllegalStateException ex) {
				// not up yet
			}
		}
		throw new IllegalStateException("supervisord did not run all " + programs + " programs within 120 s");
	}

	private static String run(List<String> command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		byte[] output = process.getInputStream().readAllBytes();
		if (!process.waitFor(30, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IllegalStateException(command.get(0) + " did not finish within 30 s");
		}
		String text = new String(output, StandardCharsets.UTF_8);
		if (process.exitValue() != 0 && !command.get(0).endsWith("supervisorctl")) {
			throw new IllegalStateException(command.get(0) + " exited with " + process.exitValue());
		}
		return text;
	}

	private static void check(String output, String marker, int expected, String what) {
		int found = count(output, marker);
		if (found < expected) {
			throw new IllegalStateException(what + " reported " + found + " of " + expected + " programs");
		}
	}

	private static int count(String text, String marker) {
		int count = 0;
		for (int index = text.indexOf(marker); index >= 0; index = text.indexOf(marker, index + 1)) {
			count++;
		}
		return count;
	}

	private static String version() throws Exception {
		return run(List.of("/usr/bin/supervisord", "--version")).strip();
	}

	/**
	 * The application under test: the starter's auto-configuration, with the services
	 * endpoint exposed.
	 */
	@SpringBootApplication
	public static class BenchmarkApplication {

	}

}
