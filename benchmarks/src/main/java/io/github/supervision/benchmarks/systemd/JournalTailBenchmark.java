package io.github.supervision.benchmarks.systemd;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.github.supervision.ServiceLog;
import io.github.supervision.benchmarks.Samples;
import io.github.supervision.systemd.SystemdBackend;
import io.github.supervision.systemd.SystemdOptions;
import io.github.supervision.testsupport.SystemdSandbox;

/**
 * Times the systemd backend's log tail of 1,000 lines against
 * {@code journalctl -u UNIT -n 1000} (short output and JSON output), each timed as a
 * whole process with its output discarded, in one run, on journald in the tests'
 * {@link SystemdSandbox}. The unit wrote 2,000 lines of 100 characters. Run as root:
 * {@code java -cp ... JournalTailBenchmark [lines] [runs]}.
 *
 * @author Supervision contributors
 */
public final class JournalTailBenchmark {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final String UNIT = "chatty.service";

	private JournalTailBenchmark() {
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
			try (SystemdBackend backend = new SystemdBackend(options)) {
				long deadline = System.nanoTime() + TIMEOUT.toNanos();
				ServiceLog log = backend.tailLog(UNIT, lines, TIMEOUT);
				while (log.texts().stream().noneMatch((text) -> text.startsWith("line 02000 "))
						&& System.nanoTime() < deadline) {
					TimeUnit.MILLISECONDS.sleep(50);
					log = backend.tailLog(UNIT, lines, TIMEOUT);
				}
				int text = log.lines().stream().mapToInt((line) -> line.text().length()).sum();
				System.out.printf(Locale.ROOT, "tail of %d lines: %d lines, %d characters, truncated %s%n", lines,
						log.lines().size(), text, log.truncated());
				String directory = "--directory=" + sandbox.journalDirectory();
				String count = Integer.toString(lines);
				Samples ours = Samples.time("backend.tailLog(" + lines + " lines)", 10, runs,
						() -> backend.tailLog(UNIT, lines, TIMEOUT));
				Samples shortOutput = Samples.time("journalctl -u -n " + lines + " (process)", 5, runs,
						() -> SystemdBenchmark
							.run(List.of("/usr/bin/journalctl", "--no-pager", directory, "-u", UNIT, "-n", count)));
				Samples jsonOutput = Samples.time("journalctl -u -n " + lines + " -o json (process)", 5, runs,
						() -> SystemdBenchmark.run(List.of("/usr/bin/journalctl", "--no-pager", directory, "-u", UNIT,
								"-n", count, "-o", "json")));
				Samples sameArguments = Samples.time("journalctl with the backend's arguments (process)", 5, runs,
						() -> SystemdBenchmark.run(List.of("/usr/bin/journalctl", "--output=json", "--all",
								"--output-fields=MESSAGE,_TRANSPORT", "--no-pager", "--reverse", "--lines=" + count,
								directory, "--unit=" + UNIT)));
				Samples catOutput = Samples.time("journalctl -u -n " + lines + " -o cat (process)", 5, runs,
						() -> SystemdBenchmark.run(List.of("/usr/bin/journalctl", "--no-pager", directory, "-u", UNIT,
								"-n", count, "-o", "cat")));
				for (Samples samples : List.of(ours, shortOutput, jsonOutput, sameArguments, catOutput)) {
					System.out.println(samples.report());
				}
				System.out.println(Samples.ratio(ours, shortOutput));
				System.out.println(Samples.ratio(ours, jsonOutput));
			}
		}
	}

}
