package io.github.supervision.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties of the embedded supervisor, which runs declared commands as
 * child processes of the application. They are the defaults of every embedded service's
 * own keys.
 *
 * @author Supervision contributors
 */
@ConfigurationProperties("supervision.embedded")
public class EmbeddedProperties {

	/**
	 * Whether the embedded supervisor is enabled.
	 */
	private boolean enabled = true;

	/**
	 * How long a process must run to count as started.
	 */
	private Duration startSeconds = Duration.ofSeconds(1);

	/**
	 * How many quick failures in a row are retried before the service is FAILED. A run is
	 * a quick failure when it ends within the longer of start-seconds and
	 * restart-delay-max.
	 */
	private int startRetries = 3;

	/**
	 * How long to wait before a process that exited is run again. Doubled after each
	 * quick failure in a row, up to restart-delay-max.
	 */
	private Duration restartDelay = Duration.ofSeconds(1);

	/**
	 * Longest wait before a process that exited is run again. A run must also last this
	 * long (and start-seconds) to count as healthy and clear the quick failures. Must be
	 * positive and not less than restart-delay.
	 */
	private Duration restartDelayMax = Duration.ofSeconds(10);

	/**
	 * How long to wait after SIGTERM before the process tree is killed with SIGKILL.
	 */
	private Duration stopTimeout = Duration.ofSeconds(10);

	/**
	 * How much of the latest output (stdout and stderr) of each service is kept in
	 * memory.
	 */
	private DataSize tailSize = DataSize.ofKilobytes(64);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getStartSeconds() {
		return this.startSeconds;
	}

	public void setStartSeconds(Duration startSeconds) {
		this.startSeconds = startSeconds;
	}

	public int getStartRetries() {
		return this.startRetries;
	}

	public void setStartRetries(int startRetries) {
		this.startRetries = startRetries;
	}

	public Duration getRestartDelay() {
		return this.restartDelay;
	}

	public void setRestartDelay(Duration restartDelay) {
		this.restartDelay = restartDelay;
	}

	public Duration getRestartDelayMax() {
		return this.restartDelayMax;
	}

	public void setRestartDelayMax(Duration restartDelayMax) {
		this.restartDelayMax = restartDelayMax;
	}

	public Duration getStopTimeout() {
		return this.stopTimeout;
	}

	public void setStopTimeout(Duration stopTimeout) {
		this.stopTimeout = stopTimeout;
	}

	public DataSize getTailSize() {
		return this.tailSize;
	}

	public void setTailSize(DataSize tailSize) {
		this.tailSize = tailSize;
	}

}
