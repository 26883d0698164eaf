package io.github.supervision.benchmarks.logs;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import io.github.supervision.ServiceCapability;
import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceLog;
import io.github.supervision.ServiceName;
import io.github.supervision.benchmarks.Samples;
import io.github.supervision.testsupport.Runsvdir;
import io.github.supervision.testsupport.SupervisordDaemon;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Times a 1,000-line log tail read through
 * {@link ServiceCatalog#tailLog(ServiceName, int)} side by side with the native tool
 * reading the same log (each a whole process), in the same run, alternating one call of
 * each: {@code supervisorctl tail -BYTES} of as many bytes as our 1,000 lines hold
 * (supervisord), {@code tail -n 1000 current} (runit's svlogd log), {@code tail -n 1000}
 * of the embedded service's log file. A backend is measured when it offers
 * {@link ServiceCapability#LOG_TAIL}; the catalog is built by the starter's
 * auto-configuration, as an application's would be.
 * <p>
 * Usage: {@code LogTailBenchmark [backends=supervisord,runit,embedded] [runs=40]
 * [lines=1000]}. Needs the daemons of the backends asked for.
 */
public final class LogTailBenchmark {

	private static final ServiceName SERVICE = ServiceName.of("chatty");

	// 3,000 lines of about 80 bytes, then quiet: the tail is read from a log that no
	// longer changes, so both sides read the same bytes
	private static final String WRITER = "i=0; while [ $i -lt 3000 ]; do "
			+ "echo \"$i lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor\"; "
			+ "i=$((i+1)); done; exec sleep 100000";

	private LogTailBenchmark() {
	}

	/**
	 * Run the benchmark.
	 * @param args the backends, the number of timed runs, and the lines per tail
	 * @throws Exception if a daemon or the application cannot be started
	 */
	public static void main(String[] args) throws Exception {
		List<String> backends = Arrays.asList(((args.length > 0) ? args[0] : "supervisord,runit,embedded").split(","));
		int runs = (args.length > 1) ? Integer.parseInt(args[1]) : 40;
		int lines = (args.length > 2) ? Integer.parseInt(args[2]) : 1000;
		List<String> report = new ArrayList<>();
		for (String backend : backends) {
			switch (backend) {
				case "supervisord" -> report.addAll(supervisord(runs, lines));
				case "runit" -> report.addAll(runit(runs, lines));
				case "embedded" -> report.addAll(embedded(runs, lines));
				default -> report.add(backend + ": not measured by this harness (add its native command here)");
			}
		}
		System.out.println();
		System.out.printf(Locale.ROOT, "%d lines per tail, %d runs each, alternating, load %s%n", lines, runs,
				Files.readString(Path.of("/proc/loadavg")).strip());
		report.forEach(System.out::println);
	}

	private static List<String> supervisord(int runs, int lines) throws Exception {
		SupervisordDaemon daemon = SupervisordDaemon.withPrograms("""
				[program:chatty]
				command=/bin/sh -c "%s"
				startsecs=0
				stdout_logfile=%%(here)s/chatty.out
				stderr_logfile=%%(here)s/chatty.err
				""".formatted(WRITER.replace("\"", "\\\"")));
		try {
			daemon.start();
			Path log = daemon.directory().resolve("chatty.out");
			awaitLines(log, 3000);
			try (ConfigurableApplicationContext context = application("supervision.services.chatty.program=chatty",
					"supervision.supervisord.url=" + daemon.unixUrl(),
					"supervision.supervisord.username=" + SupervisordDaemon.USERNAME,
					"supervision.supervisord.password=" + SupervisordDaemon.PASSWORD)) {
				ServiceCatalog catalog = context.getBean(ServiceCatalog.class);
				if (!offers(catalog)) {
					return List.of("supervisord: the backend does not offer log-tail; not measured");
				}
				int bytes = bytesOf(catalog.tailLog(SERVICE, lines));
				List<String> native_ = List.of(SupervisordDaemon.SUPERVISORCTL, "-c", daemon.config().toString(),
						"tail", "-" + bytes, "chatty");
				return compare("supervisord", catalog, lines, runs, "supervisorctl tail -" + bytes + " (process)",
						() -> run(native_));
			}
		}
		finally {
			daemon.close();
		}
	}

	private static List<String> runit(int runs, int lines) throws Exception {
		Runsvdir runsvdir = Runsvdir.create();
		try {
			runsvdir.start();
			Path service = runsvdir.service("chatty", "exec 2>&1\n" + WRITER, false);
			Files.createDirectories(service.resolve("log/main"));
			Runsvdir.script(service.resolve("log/run"), "exec svlogd ./main");
			runsvdir.awaitSupervised(service);
			Path current = service.resolve("log/main/current");
			awaitLines(current, 3000);
			try (ConfigurableApplicationContext context = application("supervision.services.chatty.directory=chatty",
					"supervision.runit.service-directory=" + runsvdir.scan())) {
				ServiceCatalog catalog = context.getBean(ServiceCatalog.class);
				if (!offers(catalog)) {
					return List.of("runit: the backend does not offer log-tail; not measured");
				}
				List<String> native_ = List.of("tail", "-n", String.valueOf(lines), current.toString());
				return compare("runit", catalog, lines, runs, "tail -n " + lines + " current (process)",
						() -> run(native_));
			}
		}
		finally {
			runsvdir.close();
		}
	}

	private static List<String> embedded(int runs, int lines) throws Exception {
		Path directory = Files.createTempDirectory("log-tail-benchmark");
		Path log = directory.resolve("chatty.log");
		try (ConfigurableApplicationContext context = application("supervision.services.chatty.command[0]=/bin/sh",
				"supervision.services.chatty.command[1]=-c", "supervision.services.chatty.command[2]=" + WRITER,
				"supervision.services.chatty.log-file=" + log, "supervision.embedded.tail-size=1MB")) {
			awaitLines(log, 3000);
			ServiceCatalog catalog = context.getBean(ServiceCatalog.class);
			if (!offers(catalog)) {
				return List.of("embedded: the backend does not offer log-tail; not measured");
			}
			List<String> native_ = List.of("tail", "-n", String.valueOf(lines), log.toString());
			return compare("embedded", catalog, lines, runs, "tail -n " + lines + " of its log file (process)",
					() -> run(native_));
		}
	}

	private static List<String> compare(String backend, ServiceCatalog catalog, int lines, int runs, String nativeLabel,
			Callable<String> nativeTail) throws Exception {
		ServiceLog check = catalog.tailLog(SERVICE, lines);
		String nativeText = nativeTail.call();
		if (check.lines().size() != lines || !nativeText.strip().endsWith(check.texts().get(lines - 1))) {
			throw new IllegalStateException(backend + ": the tails differ: ours has " + check.lines().size()
					+ " lines ending '" + check.texts().get(check.texts().size() - 1) + "'");
		}
		List<Long> ours = new ArrayList<>();
		List<Long> theirs = new ArrayList<>();
		for (int i = 0; i < runs + 5; i++) {
			long started = System.nanoTime();
			catalog.tailLog(SERVICE, lines);
			long between = System.nanoTime();
			nativeTail.call();
			long ended = System.nanoTime();
			if (i >= 5) {
				ours.add(between - started);
				theirs.add(ended - between);
			}
		}
		Samples oursSamples = Samples.of(backend + ": catalog tailLog " + lines + " lines (in-JVM)", ours);
		Samples theirsSamples = Samples.of(backend + ": " + nativeLabel, theirs);
		return List.of(oursSamples.report(), theirsSamples.report(), Samples.ratio(oursSamples, theirsSamples));
	}

	private static boolean offers(ServiceCatalog catalog) {
		return catalog.getCapabilities(SERVICE).contains(ServiceCapability.LOG_TAIL);
	}

	private static int bytesOf(ServiceLog log) {
		return log.texts().stream().mapToInt((text) -> text.getBytes(StandardCharsets.UTF_8).length + 1).sum();
	}

	private static ConfigurableApplicationContext application(String... properties) {
		List<String> all = new ArrayList<>(List.of("spring.main.banner-mode=off", "logging.level.root=WARN",
				"supervision.logs.enabled=true", "supervision.systemd.enabled=false"));
		all.addAll(Arrays.asList(properties));
		return new SpringApplicationBuilder(BenchmarkApplication.class).web(WebApplicationType.NONE)
			.properties(all.toArray(String[]::new))
			.run();
	}

	private static void awaitLines(Path log, int lines) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (System.nanoTime() < deadline) {
			if (Files.exists(log) && Files.readAllLines(log, StandardCharsets.ISO_8859_1).size() >= lines) {
				return;
			}
			Thread.sleep(50);
		}
		throw new IllegalStateException(log + " did not reach " + lines + " lines within 30 s");
	}

	private static String run(List<String> command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		byte[] output;
		try (InputStream input = process.getInputStream()) {
			ByteArrayOutputStream buffer = new ByteArrayOutputStream();
			input.transferTo(buffer);
			output = buffer.toByteArray();
		}
		if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
			process.destroyForcibly();
			throw new IllegalStateException(command.get(0) + " failed: " + new String(output, StandardCharsets.UTF_8));
		}
		return new String(output, StandardCharsets.UTF_8);
	}

	/**
	 * The application whose catalog is measured.
	 */
	@SpringBootApplication
	static class BenchmarkApplication {

	}

}
