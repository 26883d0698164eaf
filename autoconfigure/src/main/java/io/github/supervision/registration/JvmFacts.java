package io.github.supervision.registration;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a running JVM tells about how it was started: the executable, the JVM options, the
 * launcher's command ({@code sun.java.command}), the class path and the working
 * directory. {@link #current()} reads them from this JVM; tests build their own.
 *
 * @param javaBinary absolute path of the {@code java} executable
 * @param inputArguments JVM options as the runtime reports them
 * @param javaCommand the {@code sun.java.command} property: the jar or main class
 * followed by the program arguments
 * @param classPath the {@code java.class.path} property
 * @param workingDirectory the working directory relative paths were resolved against
 * @author Supervision contributors
 */
public record JvmFacts(Path javaBinary, List<String> inputArguments, String javaCommand, String classPath,
		Path workingDirectory) {

	/**
	 * Create a new instance.
	 * @param javaBinary absolute path of the {@code java} executable
	 * @param inputArguments JVM options as the runtime reports them
	 * @param javaCommand the {@code sun.java.command} property
	 * @param classPath the {@code java.class.path} property
	 * @param workingDirectory the working directory
	 */
	public JvmFacts {
		inputArguments = List.copyOf(inputArguments);
	}

	/**
	 * Read the facts of this JVM: the executable from the process information (falling
	 * back to {@code java.home}), the JVM options from the runtime MXBean.
	 * @return the facts
	 */
	public static JvmFacts current() {
		Path javaHomeBinary = Path.of(System.getProperty("java.home"), "bin", "java");
		Path javaBinary = ProcessHandle.current()
			.info()
			.command()
			.map(Path::of)
			.filter((path) -> path.isAbsolute() && Files.isExecutable(path))
			.orElse(javaHomeBinary);
		List<String> inputArguments = ManagementFactory.getRuntimeMXBean().getInputArguments();
		String javaCommand = Optional.ofNullable(System.getProperty("sun.java.command")).orElse("");
		String classPath = Optional.ofNullable(System.getProperty("java.class.path")).orElse("");
		Path workingDirectory = Path.of(System.getProperty("user.dir")).toAbsolutePath();
		return new JvmFacts(javaBinary, inputArguments, javaCommand, classPath, workingDirectory);
	}

}
