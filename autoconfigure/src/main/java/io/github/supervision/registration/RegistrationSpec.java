package io.github.supervision.registration;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.github.supervision.registration.SupervisionPolicy.Restart;
import io.github.supervision.systemd.SystemdScope;
import org.jspecify.annotations.Nullable;

/**
 * Everything the generators need to describe the application as a service: its name, the
 * {@link JavaCommand} that starts it, whom it {@link RunAs runs as}, the
 * {@link SupervisionPolicy} the supervisor applies, and the {@link SystemdSettings} only
 * a systemd unit carries. Build one with {@link #builder(String)} or, for the running
 * application, {@link #fromRunningJvm(String, List, boolean)}.
 *
 * @param name service name: the unit name without {@code .service}, the runit service
 * directory name, the supervisord program name
 * @param description one line describing the service
 * @param command the command line that starts the application
 * @param runAs user, group, working directory and environment
 * @param policy how the supervisor treats the service
 * @param systemd what only a systemd unit carries
 * @author Supervision contributors
 */
public record RegistrationSpec(String name, String description, JavaCommand command, RunAs runAs,
		SupervisionPolicy policy, SystemdSettings systemd) {

	/**
	 * Prefix of the program arguments and system properties that configure the
	 * registration itself and are not written into the generated command line.
	 */
	public static final String REGISTRATION_PREFIX = "supervision.registration.";

	/**
	 * Property that selects the one-shot mode; it never reaches a generated command line.
	 */
	public static final String MODE_PROPERTY = REGISTRATION_PREFIX + "mode";

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,199}");

	/**
	 * Validate the components.
	 * @param name service name
	 * @param description one line describing the service
	 * @param command the command line
	 * @param runAs user, group, working directory and environment
	 * @param policy how the supervisor treats the service
	 * @param systemd what only a systemd unit carries
	 */
	public RegistrationSpec {
		if (name == null || !NAME.matcher(name).matches()) {
			throw new RegistrationException(REGISTRATION_PREFIX + "name",
					"service names are 1 to 200 letters, digits and _ . -, not starting with . or -");
		}
		Values.text(REGISTRATION_PREFIX + "description", description);
		if (command == null || runAs == null || policy == null || systemd == null) {
			throw new IllegalArgumentException("'command', 'runAs', 'policy' and 'systemd' must not be null");
		}
	}

	/**
	 * Return the whole command line.
	 * @return the command line, one element per argument
	 * @see JavaCommand#commandLine()
	 */
	public List<String> commandLine() {
		return this.command.commandLine();
	}

	/**
	 * Start a builder with the defaults: restart on failure, started at boot, system
	 * scope, sd_notify off.
	 * @param name the service name
	 * @return the builder
	 */
	public static Builder builder(String name) {
		return new Builder(name);
	}

	/**
	 * Start a builder that runs the application the way this JVM was started.
	 * @param name the service name
	 * @param programArguments the program arguments as the application received them
	 * @param keepDebugOptions whether debugger and agent options are kept
	 * @return the builder, to be completed by the caller
	 * @see #fromJvm(String, JvmFacts, List, boolean)
	 */
	public static Builder fromRunningJvm(String name, List<String> programArguments, boolean keepDebugOptions) {
		return fromJvm(name, JvmFacts.current(), programArguments, keepDebugOptions);
	}

	/**
	 * Start a builder that runs the application the way a JVM was started (see
	 * {@link JavaCommand#of(JvmFacts, List, boolean)}), in the JVM's working directory.
	 * @param name the service name
	 * @param facts what the JVM tells about its start
	 * @param programArguments the program arguments as the application received them
	 * @param keepDebugOptions whether debugger and agent options are kept
	 * @return the builder, to be completed by the caller
	 */
	public static Builder fromJvm(String name, JvmFacts facts, List<String> programArguments,
			boolean keepDebugOptions) {
		JavaCommand command = JavaCommand.of(facts, programArguments, keepDebugOptions);
		Builder builder = new Builder(name).javaBinary(command.javaBinary())
			.workingDirectory(facts.workingDirectory())
			.jvmOptions(command.jvmOptions())
			.arguments(command.arguments());
		if (command.jar() != null) {
			builder.jar(command.jar());
		}
		else if (command.mainClass() != null) {
			builder.mainClass(command.mainClass(), command.classPath());
		}
		return builder;
	}

	/**
	 * Builder of a {@link RegistrationSpec}.
	 */
	public static final class Builder {

		private final String name;

		private @Nullable String description;

		private @Nullable Path javaBinary;

		private List<String> jvmOptions = new ArrayList<>();

		private @Nullable Path jar;

		private @Nullable String mainClass;

		private List<Path> classPath = new ArrayList<>();

		private List<String> arguments = new ArrayList<>();

		private @Nullable String user;

		private @Nullable String group;

		private @Nullable Path workingDirectory;

		private final Map<String, String> environment = new LinkedHashMap<>();

		private @Nullable Path environmentFile;

		private boolean sdNotify;

		private @Nullable Duration watchdog;

		private @Nullable Duration startTimeout;

		private @Nullable Duration stopTimeout;

		private Duration startSeconds = Duration.ofSeconds(1);

		private Restart restart = Restart.ON_FAILURE;

		private boolean autostart = true;

		private SystemdScope scope = SystemdScope.SYSTEM;

		private List<String> wantedBy = new ArrayList<>();

		private final Map<String, Map<String, List<String>>> systemdDirectives = new LinkedHashMap<>();

		private @Nullable Path logDirectory;

		private Builder(String name) {
			this.name = name;
		}

		/**
		 * Set the description.
		 * @param description one line describing the service
		 * @return this builder
		 */
		public Builder description(@Nullable String description) {
			this.description = description;
			return this;
		}

		/**
		 * Set the java executable.
		 * @param javaBinary absolute path of the {@code java} executable
		 * @return this builder
		 */
		public Builder javaBinary(Path javaBinary) {
			this.javaBinary = javaBinary;
			return this;
		}

		/**
		 * Set the JVM options.
		 * @param jvmOptions the options, in order
		 * @return this builder
		 */
		public Builder jvmOptions(List<String> jvmOptions) {
			this.jvmOptions = new ArrayList<>(jvmOptions);
			return this;
		}

		/**
		 * Run a jar with {@code -jar}.
		 * @param jar absolute path of the jar
		 * @return this builder
		 */
		public Builder jar(Path jar) {
			this.jar = jar;
			this.mainClass = null;
			this.classPath = new ArrayList<>();
			return this;
		}

		/**
		 * Run a main class with a class path.
		 * @param mainClass the main class
		 * @param classPath absolute class path entries
		 * @return this builder
		 */
		public Builder mainClass(String mainClass, List<Path> classPath) {
			this.mainClass = mainClass;
			this.classPath = new ArrayList<>(classPath);
			this.jar = null;
			return this;
		}

		/**
		 * Set the program arguments.
		 * @param arguments the arguments, in order
		 * @return this builder
		 */
		public Builder arguments(List<String> arguments) {
			this.arguments = new ArrayList<>(arguments);
			return this;
		}

		/**
		 * Set the user and group the service runs as.
		 * @param user the user, or {@code null} for the supervisor's default
		 * @param group the group, or {@code null} for the user's group
		 * @return this builder
		 */
		public Builder user(@Nullable String user, @Nullable String group) {
			this.user = user;
			this.group = group;
			return this;
		}

		/**
		 * Set the working directory.
		 * @param workingDirectory absolute directory, or {@code null} for the
		 * supervisor's default
		 * @return this builder
		 */
		public Builder workingDirectory(@Nullable Path workingDirectory) {
			this.workingDirectory = workingDirectory;
			return this;
		}

		/**
		 * Add an environment variable.
		 * @param name the variable name
		 * @param value the value
		 * @return this builder
		 */
		public Builder environment(String name, String value) {
			this.environment.put(name, value);
			return this;
		}

		/**
		 * Set the environment file.
		 * @param environmentFile absolute path of the file, or {@code null}
		 * @return this builder
		 */
		public Builder environmentFile(@Nullable Path environmentFile) {
			this.environmentFile = environmentFile;
			return this;
		}

		/**
		 * Set whether the application reports readiness with sd_notify.
		 * @param sdNotify whether sd_notify is used
		 * @return this builder
		 */
		public Builder sdNotify(boolean sdNotify) {
			this.sdNotify = sdNotify;
			return this;
		}

		/**
		 * Set the watchdog interval.
		 * @param watchdog the interval, or {@code null} for none
		 * @return this builder
		 */
		public Builder watchdog(@Nullable Duration watchdog) {
			this.watchdog = watchdog;
			return this;
		}

		/**
		 * Set the start and stop timeouts.
		 * @param startTimeout how long start-up may take, or {@code null}
		 * @param stopTimeout how long stopping may take before a kill, or {@code null}
		 * @return this builder
		 */
		public Builder timeouts(@Nullable Duration startTimeout, @Nullable Duration stopTimeout) {
			this.startTimeout = startTimeout;
			this.stopTimeout = stopTimeout;
			return this;
		}

		/**
		 * Set how long the process must run to count as started.
		 * @param startSeconds the time
		 * @return this builder
		 */
		public Builder startSeconds(Duration startSeconds) {
			this.startSeconds = startSeconds;
			return this;
		}

		/**
		 * Set the restart policy.
		 * @param restart the policy
		 * @return this builder
		 */
		public Builder restart(Restart restart) {
			this.restart = restart;
			return this;
		}

		/**
		 * Set whether the service starts at boot.
		 * @param autostart whether the service starts at boot
		 * @return this builder
		 */
		public Builder autostart(boolean autostart) {
			this.autostart = autostart;
			return this;
		}

		/**
		 * Set the systemd scope.
		 * @param scope the scope
		 * @return this builder
		 */
		public Builder scope(SystemdScope scope) {
			this.scope = scope;
			return this;
		}

		/**
		 * Set the targets that want the unit.
		 * @param wantedBy the targets; empty for the scope's default
		 * @return this builder
		 */
		public Builder wantedBy(List<String> wantedBy) {
			this.wantedBy = new ArrayList<>(wantedBy);
			return this;
		}

		/**
		 * Add or replace a systemd directive.
		 * @param section the section ({@code Unit}, {@code Service}, {@code Install})
		 * @param directive the directive name
		 * @param values the values, one line each; empty to remove the directive
		 * @return this builder
		 */
		public Builder systemdDirective(String section, String directive, List<String> values) {
			this.systemdDirectives.computeIfAbsent(section, (key) -> new LinkedHashMap<>()).put(directive, values);
			return this;
		}

		/**
		 * Set the log directory.
		 * @param logDirectory absolute directory, or {@code null}
		 * @return this builder
		 */
		public Builder logDirectory(@Nullable Path logDirectory) {
			this.logDirectory = logDirectory;
			return this;
		}

		/**
		 * Build the spec.
		 * @return the spec
		 * @throws RegistrationException if a value cannot be used
		 */
		public RegistrationSpec build() {
			if (this.javaBinary == null) {
				throw new RegistrationException(REGISTRATION_PREFIX + "java-binary", "must be set");
			}
			String description = (this.description != null) ? this.description : this.name;
			return new RegistrationSpec(this.name, description,
					new JavaCommand(this.javaBinary, this.jvmOptions, this.jar, this.mainClass, this.classPath,
							this.arguments),
					new RunAs(this.user, this.group, this.workingDirectory, this.environment, this.environmentFile),
					new SupervisionPolicy(this.restart, this.autostart, this.startSeconds, this.startTimeout,
							this.stopTimeout, this.logDirectory),
					new SystemdSettings(this.sdNotify, this.watchdog, this.scope, this.wantedBy,
							this.systemdDirectives));
		}

	}

}
