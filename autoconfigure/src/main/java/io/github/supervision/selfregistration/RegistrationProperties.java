package io.github.supervision.selfregistration;

import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.supervision.registration.SupervisionPolicy.Restart;
import io.github.supervision.registration.Supervisor;
import io.github.supervision.systemd.SystemdScope;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for self-registration: how the application describes itself as
 * a systemd unit, runit service or supervisord program. They are read by the one-shot
 * command-line mode ({@code --supervision.registration.mode=print|install|uninstall}),
 * before any application context exists, and by the registration report of
 * {@code /actuator/services}.
 *
 * @author Supervision contributors
 */
@ConfigurationProperties(RegistrationProperties.PREFIX)
public class RegistrationProperties {

	/**
	 * Prefix of the registration properties.
	 */
	public static final String PREFIX = "supervision.registration";

	/**
	 * What the one-shot mode does: 'print' the definition (a dry run, also when the value
	 * is empty), 'install' it, or 'uninstall' it. Read from the command line or a system
	 * property only, never from configuration files; the application exits afterwards
	 * without starting.
	 */
	private @Nullable Mode mode;

	/**
	 * Supervisor to register with.
	 */
	private Supervisor supervisor = Supervisor.SYSTEMD;

	/**
	 * Service name: the unit name without '.service', the runit service directory, the
	 * supervisord program. Defaults to 'spring.application.name'.
	 */
	private @Nullable String name;

	/**
	 * One line describing the service. Defaults to the name.
	 */
	private @Nullable String description;

	/**
	 * Directory the definition is installed in. Defaults to /etc/systemd/system (or
	 * ~/.config/systemd/user), /etc/sv, or /etc/supervisor/conf.d.
	 */
	private @Nullable File directory;

	/**
	 * Whether an install also starts the service now.
	 */
	private boolean start;

	/**
	 * Whether debugger and agent options (-agentlib, -javaagent...) of the running JVM
	 * are kept in the generated command line.
	 */
	private boolean keepDebugOptions;

	/**
	 * Whether /actuator/services reports the application's own registration: the
	 * supervisor running it, its name, and whether the installed definition is what it
	 * would generate now.
	 */
	private boolean report = true;

	private final RunAs runAs = new RunAs();

	private final Policy policy = new Policy();

	private final Systemd systemd = new Systemd();

	private final Runit runit = new Runit();

	private final Supervisord supervisord = new Supervisord();

	private final Activation activation = new Activation();

	public @Nullable Mode getMode() {
		return this.mode;
	}

	public void setMode(@Nullable Mode mode) {
		this.mode = mode;
	}

	public Supervisor getSupervisor() {
		return this.supervisor;
	}

	public void setSupervisor(Supervisor supervisor) {
		this.supervisor = supervisor;
	}

	public @Nullable String getName() {
		return this.name;
	}

	public void setName(@Nullable String name) {
		this.name = name;
	}

	public @Nullable String getDescription() {
		return this.description;
	}

	public void setDescription(@Nullable String description) {
		this.description = description;
	}

	public @Nullable File getDirectory() {
		return this.directory;
	}

	public void setDirectory(@Nullable File directory) {
		this.directory = directory;
	}

	public boolean isStart() {
		return this.start;
	}

	public void setStart(boolean start) {
		this.start = start;
	}

	public boolean isKeepDebugOptions() {
		return this.keepDebugOptions;
	}

	public void setKeepDebugOptions(boolean keepDebugOptions) {
		this.keepDebugOptions = keepDebugOptions;
	}

	public boolean isReport() {
		return this.report;
	}

	public void setReport(boolean report) {
		this.report = report;
	}

	public RunAs getRunAs() {
		return this.runAs;
	}

	public Policy getPolicy() {
		return this.policy;
	}

	public Systemd getSystemd() {
		return this.systemd;
	}

	public Runit getRunit() {
		return this.runit;
	}

	public Supervisord getSupervisord() {
		return this.supervisord;
	}

	public Activation getActivation() {
		return this.activation;
	}

	/**
	 * What the one-shot mode does.
	 */
	public enum Mode {

		/**
		 * Print the definition: a dry run.
		 */
		PRINT,

		/**
		 * Install the definition.
		 */
		INSTALL,

		/**
		 * Uninstall the definition.
		 */
		UNINSTALL

	}

	/**
	 * Who runs the service and where.
	 */
	public static class RunAs {

		/**
		 * User the service runs as. The supervisor's default (root for system services)
		 * when not set.
		 */
		private @Nullable String user;

		/**
		 * Group the service runs as. The user's group when not set.
		 */
		private @Nullable String group;

		/**
		 * Working directory of the service. Defaults to the current working directory.
		 */
		private @Nullable File workingDirectory;

		/**
		 * Environment variables of the service, written where only root can read them:
		 * systemd 'NAME.env' beside the unit (mode 0600, EnvironmentFile=), runit envdir
		 * 'env/' (mode 0700, read by 'chpst -e'), supervisord environment= in a 0600
		 * section.
		 */
		private final Map<String, String> environment = new LinkedHashMap<>();

		/**
		 * File of KEY=value lines read when the service starts (systemd EnvironmentFile,
		 * runit sourced by the run script). Not supported by supervisord.
		 */
		private @Nullable File environmentFile;

		public @Nullable String getUser() {
			return this.user;
		}

		public void setUser(@Nullable String user) {
			this.user = user;
		}

		public @Nullable String getGroup() {
			return this.group;
		}

		public void setGroup(@Nullable String group) {
			this.group = group;
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

		public @Nullable File getEnvironmentFile() {
			return this.environmentFile;
		}

		public void setEnvironmentFile(@Nullable File environmentFile) {
			this.environmentFile = environmentFile;
		}

	}

	/**
	 * How the supervisor treats the service.
	 */
	public static class Policy {

		/**
		 * When the supervisor restarts the application after it exits.
		 */
		private Restart restart = Restart.ON_FAILURE;

		/**
		 * Whether the service starts at boot (systemd enable, runit without a 'down'
		 * file, supervisord autostart).
		 */
		private boolean autostart = true;

		/**
		 * How long the process must run to count as started (supervisord startsecs).
		 */
		private Duration startSeconds = Duration.ofSeconds(1);

		/**
		 * How long start-up may take (systemd TimeoutStartSec).
		 */
		private @Nullable Duration startTimeout;

		/**
		 * How long the supervisor waits after SIGTERM before it kills the application
		 * (systemd TimeoutStopSec, supervisord stopwaitsecs).
		 */
		private @Nullable Duration stopTimeout;

		public Restart getRestart() {
			return this.restart;
		}

		public void setRestart(Restart restart) {
			this.restart = restart;
		}

		public boolean isAutostart() {
			return this.autostart;
		}

		public void setAutostart(boolean autostart) {
			this.autostart = autostart;
		}

		public Duration getStartSeconds() {
			return this.startSeconds;
		}

		public void setStartSeconds(Duration startSeconds) {
			this.startSeconds = startSeconds;
		}

		public @Nullable Duration getStartTimeout() {
			return this.startTimeout;
		}

		public void setStartTimeout(@Nullable Duration startTimeout) {
			this.startTimeout = startTimeout;
		}

		public @Nullable Duration getStopTimeout() {
			return this.stopTimeout;
		}

		public void setStopTimeout(@Nullable Duration stopTimeout) {
			this.stopTimeout = stopTimeout;
		}

	}

	/**
	 * What only a systemd unit carries.
	 */
	public static class Systemd {

		/**
		 * Whether the application reports readiness with sd_notify (Type=notify).
		 * Defaults to true when sd_notify support (junixsocket) is on the class path.
		 */
		private @Nullable Boolean notify;

		/**
		 * Watchdog interval (WatchdogSec). Needs sd_notify.
		 */
		private @Nullable Duration watchdog;

		/**
		 * Which systemd manager the unit belongs to.
		 */
		private SystemdScope scope = SystemdScope.SYSTEM;

		/**
		 * Targets that want the unit ([Install] WantedBy). 'multi-user.target', or
		 * 'default.target' for a user unit, when not set.
		 */
		private List<String> wantedBy = new ArrayList<>();

		/**
		 * Directives added to or replacing the generated ones, by section ('Unit',
		 * 'Service', 'Install') and directive name, in systemd syntax. A list writes the
		 * directive once per element; an empty value removes it. Names are matched to
		 * systemd's spelling regardless of case, and unknown names fail the registration.
		 */
		private final Map<String, Map<String, List<String>>> directives = new LinkedHashMap<>();

		public @Nullable Boolean getNotify() {
			return this.notify;
		}

		public void setNotify(@Nullable Boolean notify) {
			this.notify = notify;
		}

		public @Nullable Duration getWatchdog() {
			return this.watchdog;
		}

		public void setWatchdog(@Nullable Duration watchdog) {
			this.watchdog = watchdog;
		}

		public SystemdScope getScope() {
			return this.scope;
		}

		public void setScope(SystemdScope scope) {
			this.scope = scope;
		}

		public List<String> getWantedBy() {
			return this.wantedBy;
		}

		public void setWantedBy(List<String> wantedBy) {
			this.wantedBy = wantedBy;
		}

		public Map<String, Map<String, List<String>>> getDirectives() {
			return this.directives;
		}

	}

	/**
	 * What only a runit service carries.
	 */
	public static class Runit {

		/**
		 * Scan directory the service directory is linked into. Defaults to
		 * 'supervision.runit.service-directory'.
		 */
		private @Nullable File scanDirectory;

		/**
		 * Directory for the service's own log files, written by svlogd. The service then
		 * has a log/run script. It must not be a link, and its parent must be writable by
		 * root (or the installing user) only.
		 */
		private @Nullable File logDirectory;

		public @Nullable File getScanDirectory() {
			return this.scanDirectory;
		}

		public void setScanDirectory(@Nullable File scanDirectory) {
			this.scanDirectory = scanDirectory;
		}

		public @Nullable File getLogDirectory() {
			return this.logDirectory;
		}

		public void setLogDirectory(@Nullable File logDirectory) {
			this.logDirectory = logDirectory;
		}

	}

	/**
	 * What only a supervisord program carries.
	 */
	public static class Supervisord {

		/**
		 * Directory for the program's log file ('NAME.log', stdout_logfile). The
		 * supervisor's default when not set.
		 */
		private @Nullable File logDirectory;

		public @Nullable File getLogDirectory() {
			return this.logDirectory;
		}

		public void setLogDirectory(@Nullable File logDirectory) {
			this.logDirectory = logDirectory;
		}

	}

	/**
	 * How an install or uninstall tells the supervisor itself.
	 */
	public static class Activation {

		/**
		 * Whether an install or uninstall tells the supervisor itself (systemd
		 * daemon-reload, enable, start; supervisord update) through its backend,
		 * configured by 'supervision.systemd.*' or 'supervision.supervisord.*'. When
		 * false, the commands left are printed for a person.
		 */
		private boolean enabled = true;

		/**
		 * Most time each supervisor step of an install or uninstall (reload, enable,
		 * start, update, stop) may take.
		 */
		private Duration timeout = Duration.ofSeconds(90);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

}
