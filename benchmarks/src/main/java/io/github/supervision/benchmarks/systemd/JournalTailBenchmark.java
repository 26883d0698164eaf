package io.github.supervision.benchmarks.systemd;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceDefinition;
import io.github.supervision.ServiceLog;
import io.github.supervision.ServiceName;
import io.github.supervision.benchmarks.Samples;
import io.github.supervision.systemd.SystemdBackend;
import io.github.supervision.systemd.SystemdOptions;
import io.github.supervision.testsupport.SystemdSandbox;

/**
 * Times a log tail of 1,000 lines through {@link ServiceCatalog#tailLog} (the systemd
 * backend running {@code journalctl --output=export}) against
 * {@code journalctl -u UNIT -n 1000} (short output), {@code journalctl} with the
 * backend's own arguments, with JSON output and with {@code -o cat}, each timed as a
 * whole process with its output discarded, alternating one call of each, in one run, on
 * journald in the tests' {@link SystemdSandbox}. The unit wrote 2,000 lines of 100
 * characters. Run as root: {@code java -cp ... JournalTailBenchmark [lines] [runs]}.
 *
 * @author Supervision contributors
 */
public final class JournalTailBenchmark {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final String UNIT = "chatty.service";

	private JournalTailBenchmark() {
	}

	// One call of each operation in turn, so that a machine shared with other work
	// slows them alike
	private static List<Samples> alternately(Map<String, Callable<?>> operations, int warmup, int runs)
			throws Exception {
		Map<String, List<Long>> nanos = new LinkedHashMap<>();
		operations.keySet().forEach((label) -> nanos.put(label, new ArrayList<>()));
		for (int i = 0; i < warmup + runs; i++) {
			for (Map.Entry<String, Callable<?>> operation : operations.entrySet()) {
				long start = System.nanoTime();
				operation.getValue().call();
				long took = System.nanoTime() - start;
				if (i >= warmup) {
					nanos.get(operation.getKey()).add(took);
				}
			}
		}
		return nanos.entrySet().stream().map((entry) -> Samples.of(entry.getKey(), entry.getValue())).toList();
	}

	// the command's standard output read to its end through a pipe, as a terminal or a
	// program reading it would
	private static long readAll(List<String> command) throws Exception {
		Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
		long bytes;
		try (InputStream output = process.getInputStream()) {
			bytes = output.transferTo(OutputStream.nullOutputStream());
		}
		if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
			process.destroyForcibly();
			throw new IllegalStateException("Command failed: " + command);
		}
		return bytes;
	}

	/**
	 * Run the benchmark.
	 * @param args the number of lines to tail (1000) and of timed runs (50)
	 * @throws Exception if the sandbox cannot boot or a tool fails
	 */
	public static void main(String[] args) throws Exception {
		int lines = (args.length > 0) ? Integer.parseInt(args[0]) : 1000;
		int runs = (args.length > 1) ? Integer.parseInt(args[1]) : 50;
		try (SystemdSandbox sandbox = SystemdSandbox.create().journald()) {
			sandbox.unit(UNIT, SystemdSandbox.service("Writes 2,000 lines",
					"/bin/sh -c 'i=0; while [ $$i -lt 2000 ]; do i=$$((i+1)); printf \"line %%05d %%089d\\\\n\" $$i 0; done'",
					"Type=oneshot\n"));
			sandbox.start();
			SystemdBenchmark.run(sandbox.systemctlCommand("start", UNIT));
			SystemdOptions options = SystemdOptions.forAddress(sandbox.busAddress())
				.withJournalDirectory(sandbox.journalDirectory());
			ServiceName name = ServiceName.of("chatty");
			try (SystemdBackend backend = new SystemdBackend(options);
					ServiceCatalog catalog = new ServiceCatalog(
							List.of(new ServiceDefinition(name, SystemdBackend.ID, UNIT, null, false, null, true)),
							List.of(backend), TIMEOUT, TIMEOUT)) {
				long deadline = System.nanoTime() + TIMEOUT.toNanos();
				ServiceLog log = catalog.tailLog(name, lines);
				while (log.texts().stream().noneMatch((text) -> text.startsWith("line 02000 "))
						&& System.nanoTime() < deadline) {
					TimeUnit.MILLISECONDS.sleep(50);
					log = catalog.tailLog(name, lines);
				}
				int text = log.lines().stream().mapToInt((line) -> line.text().length()).sum();
				System.out.printf(Locale.ROOT, "tail of %d lines: %d lines, %d characters, truncated %s%n", lines,
						log.lines().size(), text, log.truncated());
				String directory = "--directory=" + sandbox.journalDirectory();
				String count = Integer.toString(lines);
				Map<String, Callable<?>> operations = new LinkedHashMap<>();
				operations.put("catalog.tailLog(" + lines + " lines)", () -> catalog.tailLog(name, lines));
				operations.put("journalctl -u -n " + lines + " (process)", () -> SystemdBenchmark
					.run(List.of("/usr/bin/journalctl", "--no-pager", directory, "-u", UNIT, "-n", count)));
				operations.put("journalctl with the backend's arguments (process)",
						() -> SystemdBenchmark.run(List.of("/usr/bin/journalctl", "--output=export", "--all",
								"--output-fields=MESSAGE,_TRANSPORT", "--no-pager", "--reverse", "--lines=" + count,
								directory, "--unit=" + UNIT)));
				operations.put("journalctl -u -n " + lines + " (process, output read)", () -> readAll(
						List.of("/usr/bin/journalctl", "--no-pager", directory, "-u", UNIT, "-n", count)));
				operations.put("journalctl with the backend's arguments (process, output read)",
						() -> readAll(List.of("/usr/bin/journalctl", "--output=export", "--all",
								"--output-fields=MESSAGE,_TRANSPORT", "--no-pager", "--reverse", "--lines=" + count,
								directory, "--unit=" + UNIT)));
				operations.put("journalctl -u -n " + lines + " -o json (process)", () -> SystemdBenchmark.run(List
					.of("/usr/bin/journalctl", "--no-pager", directory, "-u", UNIT, "-n", count, "-o", "json")));
				operations.put("journalctl -u -n " + lines + " -o cat (process)", () -> SystemdBenchmark.run(
						List.of("/usr/bin/journalctl", "--no-pager", directory, "-u", UNIT, "-n", count, "-o", "cat")));
				List<Samples> samples = alternately(operations, 10, runs);
				System.out.printf(Locale.ROOT, "%d runs each, alternating, load %s%n", runs,
						Files.readString(Path.of("/proc/loadavg")).strip());
				samples.forEach((each) -> System.out.println(each.report()));
				Samples ours = samples.get(0);
				Samples shortOutput = samples.get(1);
				System.out.println(Samples.ratio(ours, shortOutput));
				System.out.printf(Locale.ROOT, "ratio of the minimums catalog.tailLog / journalctl -u -n = %.3f%n",
						ours.percentileMillis(0) / shortOutput.percentileMillis(0));
			}
		}
	}

}
