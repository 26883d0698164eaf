package io.github.supervision.autoconfigure;

import java.io.File;
import java.time.Duration;

import io.github.supervision.runit.RunitBackend;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for the runit backend (runit, daemontools and s6 services).
 *
 * @author Supervision contributors
 */
@ConfigurationProperties("supervision.runit")
public class RunitProperties {

	/**
	 * Whether the runit backend is enabled. By default it is created only when in use: a
	 * declared service names a directory, or 'discover' is true. 'true' creates it even
	 * when nothing uses it; 'false' never creates it.
	 */
	private boolean enabled = true;

	/**
	 * Scan directory that runsvdir watches, /etc/service by default. Services declared by
	 * a bare 'directory' name are resolved in it, and enabling a service links it here.
	 */
	private File serviceDirectory = RunitBackend.DEFAULT_SERVICE_DIRECTORY.toFile();

	/**
	 * Whether every service in the scan directory is listed, read-only, besides the
	 * declared ones.
	 */
	private boolean discover;

	/**
	 * Whether state changes are seen from file-system events on each service's
	 * directories, a status being kept in memory until its service changes. When false,
	 * or where a directory cannot be watched, services are read on every call and polled.
	 */
	private boolean watch = true;

	/**
	 * Time between two reads of services that cannot be watched, between two checks that
	 * every supervisor still runs (while listeners are registered), and between two
	 * attempts to watch a service that could not be watched.
	 */
	private Duration pollInterval = Duration.ofMillis(500);

	/**
	 * Log file whose tail is shown for a service, relative to its service directory
	 * (where 'svlogd main' in log/run writes).
	 */
	private String logFile = "log/main/current";

	/**
	 * How long a stop waits after TERM before it sends KILL to a service that is still
	 * up, as 'sv force-stop' does. The 'stop-timeout' of a declared service overrides it.
	 */
	private Duration stopTimeout = Duration.ofSeconds(7);

	/**
	 * Whether a stop sends KILL to a service still up after its stop timeout. When false,
	 * a stop of a service that ignores TERM ends with a timeout.
	 */
	private boolean killAfterStopTimeout = true;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public File getServiceDirectory() {
		return this.serviceDirectory;
	}

	public void setServiceDirectory(File serviceDirectory) {
		this.serviceDirectory = serviceDirectory;
	}

	public boolean isDiscover() {
		return this.discover;
	}

	public void setDiscover(boolean discover) {
		this.discover = discover;
	}

	public boolean isWatch() {
		return this.watch;
	}

	public void setWatch(boolean watch) {
		this.watch = watch;
	}

	public Duration getPollInterval() {
		return this.pollInterval;
	}

	public void setPollInterval(Duration pollInterval) {
		this.pollInterval = pollInterval;
	}

	public String getLogFile() {
		return this.logFile;
	}

	public void setLogFile(String logFile) {
		this.logFile = logFile;
	}

	public Duration getStopTimeout() {
		return this.stopTimeout;
	}

	public void setStopTimeout(Duration stopTimeout) {
		this.stopTimeout = stopTimeout;
	}

	public boolean isKillAfterStopTimeout() {
		return this.killAfterStopTimeout;
	}

	public void setKillAfterStopTimeout(boolean killAfterStopTimeout) {
		this.killAfterStopTimeout = killAfterStopTimeout;
	}

}
