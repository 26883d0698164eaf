package io.github.supervision.registration;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Everything the generators need to describe the application as a service: its name, the
 * exact command line that starts it, who runs it and where, and how the supervisor should
 * treat it. Build one with {@link #builder(String)} or, for the running application,
 * {@link #fromRunningJvm(String, List, boolean)}.
 *
 * @param name service name: the unit name without {@code .service}, the runit service
 * directory name, the supervisord program name
 * @param description one line describing the service
 * @param javaBinary absolute path of the {@code java} executable
 * @param jvmOptions JVM options, in order
 * @param jar absolute path of the jar run with {@code -jar}, or {@code null} when a main
 * class is run
 * @param mainClass main class run with a class path, or {@code null} when a jar is run
 * @param classPath absolute class path entries used with the main class
 * @param arguments program arguments, in order
 * @param user user the service runs as, or {@code null} for the supervisor's default
 * @param group group the service runs as, or {@code null} for the user's group
 * @param workingDirectory absolute working directory, or {@code null} for the
 * supervisor's default
 * @param environment environment variables added to the service's environment
 * @param environmentFile absolute path of a {@code KEY=value} file read at start, or
 * {@code null}
 * @param sdNotify whether the application reports readiness with sd_notify (systemd
 * {@code Type=notify})
 * @param watchdog watchdog interval, or {@code null} for none
 * @param startTimeout how long start-up may take, or {@code null} for the supervisor's
 * default
 * @param stopTimeout how long the supervisor waits after SIGTERM before it kills, or
 * {@code null} for the supervisor's default
 * @param startSeconds how long the process must run to count as started (supervisord
 * {@code startsecs})
 * @param restart when the supervisor restarts the service
 * @param autostart whether the service starts at boot (systemd enable, runit without a
 * {@code down} file, supervisord {@code autostart})
 * @param scope whether the systemd unit belongs to the system or a user manager
 * @param wantedBy targets that want the unit; empty for the scope's default target
 * @param systemdDirectives directives added to or replacing the generated ones, by
 * section ({@code Unit}, {@code Service}, {@code Install}) and directive name; a list
 * value writes the directive once per element, an empty list removes it
 * @param logDirectory absolute directory for the service's own log files (runit
 * {@code svlogd}, supervisord log files), or {@code null} for the supervisor's default
 * (systemd always uses the journal)
 * @author Supervision contributors
 */
public record RegistrationSpec(String name, String description, Path javaBinary, List<String> jvmOptions,
		@Nullable Path jar, @Nullable String mainClass, List<Path> classPath, List<String> arguments,
		@Nullable String user, @Nullable String group, @Nullable Path workingDirectory, Map<String, String> environment,
		@Nullable Path environmentFile, boolean sdNotify, @Nullable Duration watchdog, @Nullable Duration startTimeout,
		@Nullable Duration stopTimeout, Duration startSeconds, Restart restart, boolean autostart, Scope scope,
		List<String> wantedBy, Map<String, Map<String, List<String>>> systemdDirectives, @Nullable Path logDirectory) {

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

	private static final Pattern MAIN_CLASS = Pattern
		.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*");

	private static final Pattern SECRET_NAME = Pattern
		.compile("(?i)password|passwd|passphrase|pwd|secret|token|key|credential");

	private static final List<String> DEBUG_OPTION_PREFIXES = List.of("-agentlib:", "-agentpath:", "-javaagent:",
			"-Xdebug", "-Xrunjdwp", "-Xnoagent");

	/**
	 * Validate and copy the components.
	 * @param name service name
	 * @param description one line describing the service
	 * @param javaBinary absolute path of the {@code java} executable
	 * @param jvmOptions JVM options
	 * @param jar absolute jar path or {@code null}
	 * @param mainClass main class or {@code null}
	 * @param classPath absolute class path entries
	 * @param arguments program arguments
	 * @param user user or {@code null}
	 * @param group group or {@code null}
	 * @param workingDirectory working directory or {@code null}
	 * @param environment environment variables
	 * @param environmentFile environment file or {@code null}
	 * @param sdNotify whether sd_notify is used
	 * @param watchdog watchdog interval or {@code null}
	 * @param startTimeout start timeout or {@code null}
	 * @param stopTimeout stop timeout or {@code null}
	 * @param startSeconds time to count as started
	 * @param restart restart policy
	 * @param autostart whether the service starts at boot
	 * @param scope systemd scope
	 * @param wantedBy wanting targets
	 * @param systemdDirectives systemd directive overrides
	 * @param logDirectory log directory or {@code null}
	 */
	public RegistrationSpec {
		if (name == null || !NAME.matcher(name).matches()) {
			throw new RegistrationException(REGISTRATION_PREFIX + "name",
					"service names are 1 to 200 letters, digits and _ . -, not starting with . or -");
		}
		Values.text(REGISTRATION_PREFIX + "description", description);
		Values.absolute(REGISTRATION_PREFIX + "java-binary", javaBinary);
		jvmOptions = List.copyOf(jvmOptions);
		for (int i = 0; i < jvmOptions.size(); i++) {
			Values.text("JVM option " + (i + 1), jvmOptions.get(i));
		}
		if ((jar == null) == (mainClass == null)) {
			throw new RegistrationException(REGISTRATION_PREFIX + "jar", "set exactly one of a jar and a main class");
		}
		if (jar != null) {
			jar = Values.absolute("jar", jar);
		}
		if (mainClass != null && !MAIN_CLASS.matcher(mainClass).matches()) {
			throw new RegistrationException("main class", "not a Java class name");
		}
		classPath = List.copyOf(classPath);
		classPath.forEach((entry) -> Values.absolute("class path", entry));
		if (mainClass != null && classPath.isEmpty()) {
			throw new RegistrationException("class path", "a main class needs a class path");
		}
		arguments = List.copyOf(arguments);
		for (int i = 0; i < arguments.size(); i++) {
			Values.text("program argument " + (i + 1), arguments.get(i));
		}
		if (user != null) {
			Values.userName(REGISTRATION_PREFIX + "user", user);
		}
		if (group != null) {
			Values.userName(REGISTRATION_PREFIX + "group", group);
		}
		if (workingDirectory != null) {
			workingDirectory = Values.absolute(REGISTRATION_PREFIX + "working-directory", workingDirectory);
		}
		environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
		environment.forEach((key, value) -> {
			Values.environmentName(REGISTRATION_PREFIX + "environment." + key, key);
			Values.text(REGISTRATION_PREFIX + "environment." + key, value);
		});
		if (environmentFile != null) {
			environmentFile = Values.absolute(REGISTRATION_PREFIX + "environment-file", environmentFile);
		}
		positive(REGISTRATION_PREFIX + "watchdog", watchdog);
		positive(REGISTRATION_PREFIX + "start-timeout", startTimeout);
		positive(REGISTRATION_PREFIX + "stop-timeout", stopTimeout);
		if (startSeconds == null || startSeconds.isNegative()) {
			throw new RegistrationException(REGISTRATION_PREFIX + "start-seconds", "must not be negative");
		}
		if (restart == null || scope == null) {
			throw new RegistrationException(REGISTRATION_PREFIX + "restart", "restart and scope must be set");
		}
		wantedBy = List.copyOf(wantedBy);
		wantedBy.forEach((target) -> Values.text(REGISTRATION_PREFIX + "wanted-by", target));
		Map<String, Map<String, List<String>>> directives = new LinkedHashMap<>();
		systemdDirectives.forEach((section, values) -> {
			Map<String, List<String>> copy = new LinkedHashMap<>();
			values.forEach((directive, list) -> copy.put(directive, List.copyOf(list)));
			directives.put(section, Collections.unmodifiableMap(copy));
		});
		systemdDirectives = Collections.unmodifiableMap(directives);
		if (logDirectory != null) {
			logDirectory = Values.absolute(REGISTRATION_PREFIX + "log-directory", logDirectory);
		}
	}

	private static void positive(String property, @Nullable Duration duration) {
		if (duration != null && (duration.isNegative() || duration.isZero())) {
			throw new RegistrationException(property, "must be positive");
		}
	}

	/**
	 * Return the whole command line: the java executable, the JVM options, the jar or the
	 * class path and main class, and the program arguments.
	 * @return the command line, one element per argument
	 */
	public List<String> commandLine() {
		List<String> command = new ArrayList<>();
		command.add(this.javaBinary.toString());
		command.addAll(this.jvmOptions);
		if (this.jar != null) {
			command.add("-jar");
			command.add(this.jar.toString());
		}
		else {
			command.add("-cp");
			command.add(String.join(File.pathSeparator, this.classPath.stream().map(Path::toString).toList()));
			command.add(this.mainClass);
		}
		command.addAll(this.arguments);
		return command;
	}

	/**
	 * Return the JVM options and program arguments that look like they carry a secret: a
	 * {@code -Dname=value} or {@code --name=value} whose name holds password, passwd,
	 * passphrase, pwd, secret, token, key or credential, in any case. Such a value is
	 * written into the service definition and stays visible to every user in the process
	 * list.
	 * @return each such option's {@code -Dname} or {@code --name}, never its value, in
	 * order
	 */
	public List<String> secretLookingOptions() {
		List<String> names = new ArrayList<>();
		List<String> options = new ArrayList<>(this.jvmOptions);
		options.addAll(this.arguments);
		for (String option : options) {
			int equals = option.indexOf('=');
			if ((option.startsWith("-D") || option.startsWith("--")) && equals > 2
					&& SECRET_NAME.matcher(option.substring(0, equals)).find()) {
				names.add(option.substring(0, equals));
			}
		}
		return names;
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
	 * Start a builder that runs the application the way a JVM was started: the same
	 * executable, the JVM options minus debugger and agent options (unless kept) and
	 * minus {@code -Dsupervision.registration.mode}, the absolute jar when started with
	 * {@code -jar} or else the main class with the absolute class path, and the program
	 * arguments minus {@code --supervision.registration.mode}. The other registration
	 * settings stay, so that the running service knows how it was registered and can tell
	 * whether its installed definition is still what it would generate. The working
	 * directory is the JVM's.
	 * @param name the service name
	 * @param facts what the JVM tells about its start
	 * @param programArguments the program arguments as the application received them
	 * @param keepDebugOptions whether debugger and agent options are kept
	 * @return the builder, to be completed by the caller
	 */
	public static Builder fromJvm(String name, JvmFacts facts, List<String> programArguments,
			boolean keepDebugOptions) {
		Builder builder = new Builder(name).javaBinary(facts.javaBinary()).workingDirectory(facts.workingDirectory());
		builder.jvmOptions(facts.inputArguments()
			.stream()
			.filter((option) -> !isModeOption(option, "-D" + MODE_PROPERTY))
			.filter((option) -> keepDebugOptions || !isDebugOption(option))
			.toList());
		builder.arguments(
				programArguments.stream().filter((argument) -> !isModeOption(argument, "--" + MODE_PROPERTY)).toList());
		String classPath = facts.classPath();
		String command = facts.javaCommand();
		int space = command.indexOf(' ');
		String first = (space >= 0) ? command.substring(0, space) : command;
		Path launchedJar = launchedJar(command, facts.workingDirectory());
		if (isJar(classPath) && !classPath.contains(File.pathSeparator)
				&& (command.equals(classPath) || command.startsWith(classPath + " "))) {
			builder.jar(facts.workingDirectory().resolve(classPath).normalize());
		}
		else if (launchedJar != null) {
			// The class path property was changed by the launcher (as Maven Surefire
			// does)
			builder.jar(launchedJar);
		}
		else {
			List<Path> entries = Arrays.stream(classPath.split(Pattern.quote(File.pathSeparator)))
				.filter((entry) -> !entry.isEmpty())
				.map((entry) -> facts.workingDirectory().resolve(entry).normalize())
				.toList();
			builder.mainClass(first, entries);
		}
		return builder;
	}

	// sun.java.command separates the jar from the arguments with a space, and the jar's
	// path may hold spaces too: the jar is the shortest prefix that names a jar file.
	private static @Nullable Path launchedJar(String command, Path workingDirectory) {
		for (int end = command.indexOf(".jar"); end >= 0; end = command.indexOf(".jar", end + 1)) {
			int after = end + ".jar".length();
			if (after == command.length() || command.charAt(after) == ' ') {
				String candidate = command.substring(0, after);
				if (isJar(candidate) && Files.isRegularFile(workingDirectory.resolve(candidate))) {
					return workingDirectory.resolve(candidate).normalize();
				}
			}
		}
		return null;
	}

	private static boolean isModeOption(String argument, String option) {
		return argument.equals(option) || argument.startsWith(option + "=");
	}

	private static boolean isJar(String path) {
		return !path.isEmpty() && path.toLowerCase(Locale.ROOT).endsWith(".jar");
	}

	/**
	 * Whether a JVM option attaches a debugger or an agent.
	 * @param option the option
	 * @return {@code true} for a debugger or agent option
	 */
	public static boolean isDebugOption(String option) {
		return DEBUG_OPTION_PREFIXES.stream().anyMatch(option::startsWith);
	}

	/**
	 * When the supervisor restarts the service after its process exits.
	 */
	public enum Restart {

		/**
		 * Never restart.
		 */
		NO,

		/**
		 * Restart after an unclean exit (non-zero status other than 143, a signal other
		 * than TERM, a watchdog timeout).
		 */
		ON_FAILURE,

		/**
		 * Restart after every exit.
		 */
		ALWAYS

	}

	/**
	 * Which systemd manager a unit belongs to.
	 */
	public enum Scope {

		/**
		 * The system manager (PID 1): units in {@code /etc/systemd/system}, wanted by
		 * {@code multi-user.target}.
		 */
		SYSTEM,

		/**
		 * A user's manager: units in {@code ~/.config/systemd/user}, wanted by
		 * {@code default.target}.
		 */
		USER

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

		private Scope scope = Scope.SYSTEM;

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
		public Builder scope(Scope scope) {
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
			return new RegistrationSpec(this.name, description, this.javaBinary, this.jvmOptions, this.jar,
					this.mainClass, this.classPath, this.arguments, this.user, this.group, this.workingDirectory,
					this.environment, this.environmentFile, this.sdNotify, this.watchdog, this.startTimeout,
					this.stopTimeout, this.startSeconds, this.restart, this.autostart, this.scope, this.wantedBy,
					this.systemdDirectives, this.logDirectory);
		}

	}

}
