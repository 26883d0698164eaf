package io.github.supervision.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * How the embedded supervisor runs one service.
 *
 * @param name the service's name
 * @param command the command line, as a list of arguments; the first is the executable
 * @param workingDirectory the process's working directory, or {@code null} for the JVM's
 * @param environment variables added to the JVM's environment for the process
 * @param restart when the process is restarted after it exits
 * @param startSeconds how long the process must run to count as started
 * @param startRetries how many quick failures in a row are retried before the service is
 * {@code FAILED}; a run is a quick failure when it ends within {@link #healthyRun()}
 * @param restartDelay how long to wait before the process is run again after it exited,
 * doubled after each quick failure in a row
 * @param restartDelayMax the most the restart delay grows to; must be positive
 * @param stopTimeout how long to wait after SIGTERM before the process tree is killed
 * @param autostart whether the service starts when the backend starts
 * @param logFile a file the process's output is appended to, or {@code null}
 * @param tailBytes how many bytes of the latest output are kept in memory
 * @author Supervision contributors
 */
public record EmbeddedServiceSpec(String name, List<String> command, @Nullable Path workingDirectory,
		Map<String, String> environment, RestartPolicy restart, Duration startSeconds, int startRetries,
		Duration restartDelay, Duration restartDelayMax, Duration stopTimeout, boolean autostart,
		@Nullable Path logFile, int tailBytes) {

	/**
	 * Create a new spec.
	 */
	public EmbeddedServiceSpec {
		if (name == null || name.isEmpty()) {
			throw new IllegalArgumentException("'name' must not be empty");
		}
		if (command == null || command.isEmpty()) {
			throw new IllegalArgumentException("'command' must not be empty");
		}
		command = List.copyOf(command);
		environment = (environment != null) ? Map.copyOf(environment) : Map.of();
		if (restart == null) {
			throw new IllegalArgumentException("'restart' must not be null");
		}
		if (startSeconds == null || startSeconds.isNegative()) {
			throw new IllegalArgumentException("'startSeconds' must not be negative");
		}
		if (startRetries < 0) {
			throw new IllegalArgumentException("'startRetries' must not be negative");
		}
		if (restartDelay == null || restartDelay.isNegative()) {
			throw new IllegalArgumentException("'restartDelay' must not be negative");
		}
		if (restartDelayMax == null || restartDelayMax.isNegative() || restartDelayMax.isZero()) {
			throw new IllegalArgumentException("'restartDelayMax' must be positive");
		}
		if (restartDelayMax.compareTo(restartDelay) < 0) {
			throw new IllegalArgumentException("'restartDelayMax' must not be less than 'restartDelay'");
		}
		if (stopTimeout == null || stopTimeout.isNegative()) {
			throw new IllegalArgumentException("'stopTimeout' must not be negative");
		}
		if (tailBytes < 0) {
			throw new IllegalArgumentException("'tailBytes' must not be negative");
		}
	}

	/**
	 * Return how long a run must last to count as healthy, which ends a series of quick
	 * failures: at least start-seconds, and at least the longest restart delay, so that a
	 * program that keeps crashing either ends {@code FAILED} or is run at most once per
	 * {@code restartDelayMax}, even with start-seconds of zero.
	 * @return the longer of {@code startSeconds} and {@code restartDelayMax}
	 */
	public Duration healthyRun() {
		return (this.startSeconds.compareTo(this.restartDelayMax) > 0) ? this.startSeconds : this.restartDelayMax;
	}

}
