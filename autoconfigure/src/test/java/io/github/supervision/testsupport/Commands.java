package io.github.supervision.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Runs programs for tests, each with a deadline.
 *
 * @author Supervision contributors
 */
public final class Commands {

	private Commands() {
	}

	/**
	 * Run a program to completion.
	 * @param timeout how long it may take; it is killed afterwards
	 * @param command the command line
	 * @return the exit status and output
	 * @throws IOException if it cannot be started
	 * @throws InterruptedException if interrupted while waiting
	 */
	public static Result run(Duration timeout, List<String> command) throws IOException, InterruptedException {
		Path out = Files.createTempFile("command", ".out");
		Path err = Files.createTempFile("command", ".err");
		try {
			Process process = new ProcessBuilder(command).redirectOutput(out.toFile())
				.redirectError(err.toFile())
				.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
				.start();
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
				throw new IllegalStateException(command.get(0) + " did not finish within " + timeout);
			}
			return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
					Files.readString(err, StandardCharsets.UTF_8));
		}
		finally {
			Files.deleteIfExists(out);
			Files.deleteIfExists(err);
		}
	}

	/**
	 * Stop a process the test started: SIGTERM, then SIGKILL if it has not exited in
	 * time.
	 * @param process the process
	 * @param timeout how long to wait after SIGTERM
	 * @throws InterruptedException if interrupted while waiting
	 */
	public static void stop(Process process, Duration timeout) throws InterruptedException {
		process.destroy();
		if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
		}
	}

	/**
	 * Wait until a condition holds.
	 * @param timeout how long to wait
	 * @param condition the condition
	 * @return whether it held before the deadline
	 */
	public static boolean await(Duration timeout, BooleanSupplier condition) {
		try {
			Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(condition::getAsBoolean);
			return true;
		}
		catch (ConditionTimeoutException ex) {
			return false;
		}
	}

	/**
	 * Whether a process catches a signal, read from its {@code /proc/<pid>/status}: a
	 * signal sent before its handler is installed takes the default action instead.
	 * @param procStatus the text of the process's {@code /proc/<pid>/status}
	 * @param signal the signal's number, such as 1 for HUP
	 * @return whether it has a handler for the signal
	 */
	public static boolean catchesSignal(String procStatus, int signal) {
		return procStatus.lines()
			.filter((line) -> line.startsWith("SigCgt:"))
			.map((line) -> Long.parseUnsignedLong(line.substring("SigCgt:".length()).strip(), 16))
			.anyMatch((caught) -> (caught & (1L << (signal - 1))) != 0);
	}

	/**
	 * The outcome of a finished program.
	 *
	 * @param exitStatus the exit status
	 * @param stdout what it wrote to standard output
	 * @param stderr what it wrote to standard error
	 */
	public record Result(int exitStatus, String stdout, String stderr) {

	}

}
