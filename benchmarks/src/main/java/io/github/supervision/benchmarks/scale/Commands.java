package io.github.supervision.benchmarks.scale;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a native tool as a whole process, as a user's shell would, reading its output on
 * the calling thread; a watchdog kills a process that runs longer than a minute.
 *
 * @author Supervision contributors
 */
final class Commands {

	private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "scale-command-watchdog");
		thread.setDaemon(true);
		return thread;
	});

	private Commands() {
	}

	/**
	 * Run a command and return its output (stdout and stderr).
	 * @param command the command and its arguments
	 * @param exitCodes the exit codes that count as success (0 when none is given)
	 * @return the output
	 * @throws Exception if it fails or does not finish within 60 s
	 */
	static String run(List<String> command, int... exitCodes) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		ScheduledFuture<?> watchdog = WATCHDOG.schedule(process::destroyForcibly, 60, TimeUnit.SECONDS);
		try {
			process.getOutputStream().close();
			byte[] output = process.getInputStream().readAllBytes();
			if (!process.waitFor(60, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException(command.get(0) + " did not finish within 60 s");
			}
			String text = new String(output, StandardCharsets.UTF_8);
			int exit = process.exitValue();
			for (int code : (exitCodes.length > 0) ? exitCodes : new int[] { 0 }) {
				if (exit == code) {
					return text;
				}
			}
			throw new IllegalStateException(
					command.get(0) + " exited with " + exit + ": " + text.substring(0, Math.min(500, text.length())));
		}
		finally {
			watchdog.cancel(false);
		}
	}

}
