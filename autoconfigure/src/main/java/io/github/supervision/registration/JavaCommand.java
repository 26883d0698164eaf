package io.github.supervision.registration;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The Java command line that starts the application: the {@code java} executable, the JVM
 * options, the jar or the main class with its class path, and the program arguments.
 *
 * @param javaBinary absolute path of the {@code java} executable
 * @param jvmOptions JVM options, in order
 * @param jar absolute path of the jar run with {@code -jar}, or {@code null} when a main
 * class is run
 * @param mainClass main class run with a class path, or {@code null} when a jar is run
 * @param classPath absolute class path entries used with the main class
 * @param arguments program arguments, in order
 * @author Supervision contributors
 */
public record JavaCommand(Path javaBinary, List<String> jvmOptions, @Nullable Path jar, @Nullable String mainClass,
		List<Path> classPath, List<String> arguments) {

	private static final String PREFIX = RegistrationSpec.REGISTRATION_PREFIX;

	// Selects the one-shot mode; it never reaches a generated command line
	private static final String MODE_PROPERTY = RegistrationSpec.MODE_PROPERTY;

	private static final Pattern MAIN_CLASS = Pattern
		.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*");

	private static final Pattern SECRET_NAME = Pattern
		.compile("(?i)password|passwd|passphrase|pwd|secret|token|key|credential");

	private static final List<String> DEBUG_OPTION_PREFIXES = List.of("-agentlib:", "-agentpath:", "-javaagent:",
			"-Xdebug", "-Xrunjdwp", "-Xnoagent");

	/**
	 * Validate and copy the components.
	 * @param javaBinary absolute path of the {@code java} executable
	 * @param jvmOptions JVM options
	 * @param jar absolute jar path or {@code null}
	 * @param mainClass main class or {@code null}
	 * @param classPath absolute class path entries
	 * @param arguments program arguments
	 */
	public JavaCommand {
		Values.absolute(PREFIX + "java-binary", javaBinary);
		jvmOptions = List.copyOf(jvmOptions);
		for (int i = 0; i < jvmOptions.size(); i++) {
			Values.text("JVM option " + (i + 1), jvmOptions.get(i));
		}
		if ((jar == null) == (mainClass == null)) {
			throw new RegistrationException(PREFIX + "jar", "set exactly one of a jar and a main class");
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
	 * Return the command that runs the application the way a JVM was started: the same
	 * executable, the JVM options minus debugger and agent options (unless kept) and
	 * minus {@code -Dsupervision.registration.mode}, the absolute jar when started with
	 * {@code -jar} or else the main class with the absolute class path, and the program
	 * arguments minus {@code --supervision.registration.mode}. The other registration
	 * settings stay, so that the running service knows how it was registered and can tell
	 * whether its installed definition is still what it would generate.
	 * @param facts what the JVM tells about its start
	 * @param programArguments the program arguments as the application received them
	 * @param keepDebugOptions whether debugger and agent options are kept
	 * @return the command
	 */
	public static JavaCommand of(JvmFacts facts, List<String> programArguments, boolean keepDebugOptions) {
		List<String> jvmOptions = facts.inputArguments()
			.stream()
			.filter((option) -> !isModeOption(option, "-D" + MODE_PROPERTY))
			.filter((option) -> keepDebugOptions || !isDebugOption(option))
			.toList();
		List<String> arguments = programArguments.stream()
			.filter((argument) -> !isModeOption(argument, "--" + MODE_PROPERTY))
			.toList();
		String classPath = facts.classPath();
		String command = facts.javaCommand();
		int space = command.indexOf(' ');
		String first = (space >= 0) ? command.substring(0, space) : command;
		Path launchedJar = launchedJar(command, facts.workingDirectory());
		if (isJar(classPath) && !classPath.contains(File.pathSeparator)
				&& (command.equals(classPath) || command.startsWith(classPath + " "))) {
			return new JavaCommand(facts.javaBinary(), jvmOptions,
					facts.workingDirectory().resolve(classPath).normalize(), null, List.of(), arguments);
		}
		if (launchedJar != null) {
			// The class path property was changed by the launcher (as Maven Surefire
			// does)
			return new JavaCommand(facts.javaBinary(), jvmOptions, launchedJar, null, List.of(), arguments);
		}
		List<Path> entries = Arrays.stream(classPath.split(Pattern.quote(File.pathSeparator)))
			.filter((entry) -> !entry.isEmpty())
			.map((entry) -> facts.workingDirectory().resolve(entry).normalize())
			.toList();
		return new JavaCommand(facts.javaBinary(), jvmOptions, null, first, entries, arguments);
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

}
