package io.github.supervision.autoconfigure;

import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.supervision.ServiceAction;
import io.github.supervision.embedded.RestartPolicy;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for supervision: the declared services and the deadlines that
 * apply to every backend.
 *
 * @author Supervision contributors
 */
@ConfigurationProperties("supervision")
public class SupervisionProperties {

	/**
	 * Whether supervision is enabled. When false, no backend, catalog, endpoint or health
	 * contributor is created: no thread, socket or file watch. sd_notify has its own
	 * switch, 'supervision.notify.enabled'.
	 */
	private boolean enabled = true;

	/**
	 * Services the application depends on, keyed by the name they are shown and addressed
	 * under. The backend is inferred from the key used: 'unit' for systemd, 'directory'
	 * for runit, 'program' for supervisord, 'command' for the embedded supervisor.
	 */
	private final Map<String, Service> services = new LinkedHashMap<>();

	/**
	 * Most time a status read may take before the services of a backend that did not
	 * answer are reported as UNKNOWN.
	 */
	private Duration readTimeout = Duration.ofSeconds(5);

	/**
	 * Most time an action (start, stop, restart...) may take before it is reported as
	 * timed out.
	 */
	private Duration actionTimeout = Duration.ofSeconds(30);

	private final Jmx jmx = new Jmx();

	private final Logs logs = new Logs();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Map<String, Service> getServices() {
		return this.services;
	}

	public Duration getReadTimeout() {
		return this.readTimeout;
	}

	public void setReadTimeout(Duration readTimeout) {
		this.readTimeout = readTimeout;
	}

	public Duration getActionTimeout() {
		return this.actionTimeout;
	}

	public void setActionTimeout(Duration actionTimeout) {
		this.actionTimeout = actionTimeout;
	}

	public Jmx getJmx() {
		return this.jmx;
	}

	public Logs getLogs() {
		return this.logs;
	}

	/**
	 * Log settings.
	 */
	public static class Logs {

		/**
		 * Whether the declared services' logs may be read (GET
		 * /actuator/services/{name}/log, and log lines on the event stream). Logs may
		 * hold secrets, and once on, anyone with read access to the services endpoint can
		 * read them. Each service's own 'logs' setting overrides it.
		 */
		private boolean enabled;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * JMX settings.
	 */
	public static class Jmx {

		/**
		 * Whether the services endpoint acts on services over JMX when JMX exposes it and
		 * its access is unrestricted. JMX bypasses the web security that guards HTTP
		 * writes: anyone who can reach the MBean server could stop services.
		 */
		private boolean writesEnabled;

		public boolean isWritesEnabled() {
			return this.writesEnabled;
		}

		public void setWritesEnabled(boolean writesEnabled) {
			this.writesEnabled = writesEnabled;
		}

	}

	/**
	 * A declared service.
	 */
	public static class Service {

		/**
		 * Backend that supervises the service: 'systemd', 'runit', 'supervisord' or
		 * 'embedded'. Inferred from 'unit', 'directory', 'program' or 'command' when not
		 * set.
		 */
		private @Nullable String backend;

		/**
		 * systemd unit name, such as 'nginx.service' or 'getty@tty1.service'.
		 */
		private @Nullable String unit;

		/**
		 * runit (or daemontools, s6) service directory, absolute, or a name resolved in
		 * 'supervision.runit.service-directory'.
		 */
		private @Nullable String directory;

		/**
		 * supervisord program name, such as 'web' or 'group:web-1', or 'group:*' for a
		 * whole group as one service.
		 */
		private @Nullable String program;

		/**
		 * Command line the embedded supervisor runs, as a list of arguments. No shell is
		 * involved unless the command names one.
		 */
		private List<String> command = new ArrayList<>();

		/**
		 * Description shown with the service's status.
		 */
		private @Nullable String description;

		/**
		 * Actions allowed on the service through the endpoint. 'start', 'stop', 'restart'
		 * and 'reload' when not set; 'kill', 'once', 'pause', 'continue', 'enable',
		 * 'disable', 'reset-failed', 'signal', 'try-restart' and 'reload-or-restart' only
		 * when listed.
		 */
		private @Nullable Set<ServiceAction> actions;

		/**
		 * Whether health is DOWN while this service is not running.
		 */
		private boolean critical;

		/**
		 * Working directory of an embedded service's process. The application's working
		 * directory when not set.
		 */
		private @Nullable File workingDirectory;

		/**
		 * Environment variables added to an embedded service's process.
		 */
		private final Map<String, String> environment = new LinkedHashMap<>();

		/**
		 * When the embedded supervisor restarts the process after it exits.
		 */
		private @Nullable RestartPolicy restart;

		/**
		 * How long an embedded service's process must run to count as started. Defaults
		 * to 'supervision.embedded.start-seconds'.
		 */
		private @Nullable Duration startSeconds;

		/**
		 * How many quick failures in a row the embedded supervisor retries before the
		 * service is FAILED. Defaults to 'supervision.embedded.start-retries'.
		 */
		private @Nullable Integer startRetries;

		/**
		 * How long the embedded supervisor waits before it runs the process again after
		 * it exited, doubled after each quick failure in a row. Defaults to
		 * 'supervision.embedded.restart-delay'.
		 */
		private @Nullable Duration restartDelay;

		/**
		 * Longest wait of the embedded supervisor before it runs the process again, and
		 * how long a run must last to count as healthy. Defaults to
		 * 'supervision.embedded.restart-delay-max'.
		 */
		private @Nullable Duration restartDelayMax;

		/**
		 * How long a stop waits after SIGTERM before it kills: the embedded supervisor
		 * kills the process tree (defaults to 'supervision.embedded.stop-timeout'), the
		 * runit backend sends KILL (defaults to 'supervision.runit.stop-timeout').
		 */
		private @Nullable Duration stopTimeout;

		/**
		 * Whether the embedded supervisor starts the service when the application starts.
		 */
		private boolean autostart = true;

		/**
		 * File the embedded service's output (stdout and stderr) is appended to, besides
		 * the in-memory tail.
		 */
		private @Nullable File logFile;

		/**
		 * Directory the runit, daemontools or s6 service's logger writes its 'current'
		 * file and rotated files in, absolute or relative to the service directory.
		 * Overrides the directory named in its log/run and 'supervision.runit.log-file'.
		 */
		private @Nullable File logDirectory;

		/**
		 * Whether this service's log may be read, overriding 'supervision.logs.enabled'.
		 */
		private @Nullable Boolean logs;

		public @Nullable String getBackend() {
			return this.backend;
		}

		public void setBackend(@Nullable String backend) {
			this.backend = backend;
		}

		public @Nullable String getUnit() {
			return this.unit;
		}

		public void setUnit(@Nullable String unit) {
			this.unit = unit;
		}

		public @Nullable String getDirectory() {
			return this.directory;
		}

		public void setDirectory(@Nullable String directory) {
			this.directory = directory;
		}

		public @Nullable String getProgram() {
			return this.program;
		}

		public void setProgram(@Nullable String program) {
			this.program = program;
		}

		public List<String> getCommand() {
			return this.command;
		}

		public void setCommand(List<String> command) {
			this.command = command;
		}

		public @Nullable String getDescription() {
			return this.description;
		}

		public void setDescription(@Nullable String description) {
			this.description = description;
		}

		public @Nullable Set<ServiceAction> getActions() {
			return this.actions;
		}

		public void setActions(@Nullable Set<ServiceAction> actions) {
			this.actions = actions;
		}

		public boolean isCritical() {
			return this.critical;
		}

		public void setCritical(boolean critical) {
			this.critical = critical;
		}

		public @Nullable File getWorkingDirectory() {
			return this.workingDirectory;
		}

		public void setWorkingDirectory(@Nullable File workingDirectory) {
			this.workingDirectory = workingDirectory;
		}

		public Map<String, String> getEnvironment() {
			return this.environment;
		}

		public @Nullable RestartPolicy getRestart() {
			return this.restart;
		}

		public void setRestart(@Nullable RestartPolicy restart) {
			this.restart = restart;
		}

		public @Nullable Duration getStartSeconds() {
			return this.startSeconds;
		}

		public void setStartSeconds(@Nullable Duration startSeconds) {
			this.startSeconds = startSeconds;
		}

		public @Nullable Integer getStartRetries() {
			return this.startRetries;
		}

		public void setStartRetries(@Nullable Integer startRetries) {
			this.startRetries = startRetries;
		}

		public @Nullable Duration getRestartDelay() {
			return this.restartDelay;
		}

		public void setRestartDelay(@Nullable Duration restartDelay) {
			this.restartDelay = restartDelay;
		}

		public @Nullable Duration getRestartDelayMax() {
			return this.restartDelayMax;
		}

		public void setRestartDelayMax(@Nullable Duration restartDelayMax) {
			this.restartDelayMax = restartDelayMax;
		}

		public @Nullable Duration getStopTimeout() {
			return this.stopTimeout;
		}

		public void setStopTimeout(@Nullable Duration stopTimeout) {
			this.stopTimeout = stopTimeout;
		}

		public boolean isAutostart() {
			return this.autostart;
		}

		public void setAutostart(boolean autostart) {
			this.autostart = autostart;
		}

		public @Nullable File getLogFile() {
			return this.logFile;
		}

		public void setLogFile(@Nullable File logFile) {
			this.logFile = logFile;
		}

		public @Nullable File getLogDirectory() {
			return this.logDirectory;
		}

		public void setLogDirectory(@Nullable File logDirectory) {
			this.logDirectory = logDirectory;
		}

		public @Nullable Boolean getLogs() {
			return this.logs;
		}

		public void setLogs(@Nullable Boolean logs) {
			this.logs = logs;
		}

	}

}
