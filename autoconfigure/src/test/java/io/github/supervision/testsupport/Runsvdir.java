package io.github.supervision.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.assertj.core.api.Assertions;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.function.ThrowingConsumer;

/**
 * A real {@code runsvdir} on a temporary scan directory, for one test class or one
 * benchmark run. Services are written before it starts (runsvdir notices a new entry only
 * when the directory's mtime, in whole seconds, changes). Closing sends HUP (runsvdir
 * then sends TERM to every runsv, which stops its service and exits), kills by pid
 * whatever survives, and records whether anything did.
 * <p>
 * A JUnit 5 extension: register it on a static field with the services to write, and it
 * starts before the class's {@code @BeforeAll} methods and stops after its
 * {@code @AfterAll} methods, failing the class if a process survived the HUP:
 * <pre class="code">
 * &#64;RegisterExtension
 * static final Runsvdir runsvdir = Runsvdir.withServices((runsvdir) -&gt; runsvdir.service("web", "exec sleep 1000", false));
 * </pre> The class is skipped with the reason (failed under {@code CI=true}) when runit
 * is not installed.
 *
 * @author Supervision contributors
 */
public final class Runsvdir implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

	/**
	 * Path of {@code runsvdir}.
	 */
	public static final String RUNSVDIR = "/usr/bin/runsvdir";

	/**
	 * Path of {@code runsv}.
	 */
	public static final String RUNSV = "/usr/bin/runsv";

	/**
	 * Path of {@code sv}.
	 */
	public static final String SV = "/usr/bin/sv";

	/**
	 * Path of {@code svlogd}.
	 */
	public static final String SVLOGD = "/usr/bin/svlogd";

	private static final Duration SUPERVISED_TIMEOUT = Duration.ofSeconds(30);

	// what sv status prints for a service whose runsv answers on supervise/ok
	private static final Pattern SUPERVISED = Pattern.compile("(run|down|finish): .*");

	private final ThrowingConsumer<Runsvdir> services;

	private final List<Process> processes = new ArrayList<>();

	private final Set<String> survivors = new LinkedHashSet<>();

	private Path root = Path.of("");

	private Path scan = Path.of("");

	private Runsvdir(ThrowingConsumer<Runsvdir> services) {
		this.services = services;
	}

	/**
	 * Create a runsvdir whose scan directory is empty when it starts.
	 * @return the fixture; nothing runs until it starts
	 */
	public static Runsvdir create() {
		return withServices((runsvdir) -> {
		});
	}

	/**
	 * Create a runsvdir whose scan directory holds the given services when it starts.
	 * @param services writes the services (and anything else the test needs in
	 * {@link #root()}) before runsvdir starts
	 * @return the fixture; nothing runs until it starts
	 */
	public static Runsvdir withServices(ThrowingConsumer<Runsvdir> services) {
		return new Runsvdir(services);
	}

	/**
	 * Return the temporary folder that holds the scan directory.
	 * @return the folder
	 */
	public Path root() {
		return this.root;
	}

	/**
	 * Return the pid of runsvdir.
	 * @return the pid
	 */
	public long pid() {
		return this.processes.get(0).pid();
	}

	/**
	 * Return the scan directory runsvdir watches.
	 * @return the scan directory
	 */
	public Path scan() {
		return this.scan;
	}

	/**
	 * Write a service directory in the scan directory.
	 * @param name the name
	 * @param run the run script's body (after {@code #!/bin/sh})
	 * @param normallyDown whether to write a {@code down} file
	 * @return the service directory
	 * @throws IOException on failure
	 */
	public Path service(String name, String run, boolean normallyDown) throws IOException {
		return service(this.scan, name, run, normallyDown);
	}

	/**
	 * Write a service directory in the given folder.
	 * @param parent the folder
	 * @param name the name
	 * @param run the run script's body (after {@code #!/bin/sh})
	 * @param normallyDown whether to write a {@code down} file
	 * @return the service directory
	 * @throws IOException on failure
	 */
	public Path service(Path parent, String name, String run, boolean normallyDown) throws IOException {
		Path directory = Files.createDirectories(parent.resolve(name));
		script(directory.resolve("run"), run);
		if (normallyDown) {
			Files.createFile(directory.resolve("down"));
		}
		return directory;
	}

	/**
	 * Write an executable shell script.
	 * @param file the file
	 * @param body the script's body (after {@code #!/bin/sh})
	 * @throws IOException on failure
	 */
	public static void script(Path file, String body) throws IOException {
		Files.writeString(file, "#!/bin/sh\n" + body + "\n", StandardCharsets.US_ASCII);
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
	}

	@Override
	public void beforeAll(ExtensionContext context) throws Exception {
		start();
	}

	@Override
	public void afterAll(ExtensionContext context) throws Exception {
		close();
		Assertions.assertThat(this.survivors).as("processes left after runsvdir got HUP").isEmpty();
	}

	/**
	 * Write the services and start runsvdir, then wait until every service in the scan
	 * directory is supervised. Skips the test (fails it under {@code CI=true}) when runit
	 * is not installed.
	 * @throws Exception on failure
	 */
	public void start() throws Exception {
		RealDaemons.requireExecutables(RUNSVDIR, RUNSV, SV, SVLOGD);
		this.root = Files.createTempDirectory("runit-tests");
		this.scan = Files.createDirectories(this.root.resolve("scan"));
		RealDaemons.prepare(this.services, this);
		this.processes.add(new ProcessBuilder(RUNSVDIR, this.scan.toString()).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start());
		List<Path> services;
		try (var entries = Files.list(this.scan)) {
			services = entries.toList();
		}
		awaitSupervised(services.toArray(Path[]::new));
	}

	/**
	 * Start a runsv of our own on a directory outside the scan directory.
	 * @param directory the service directory
	 * @return the runsv process
	 * @throws Exception on failure
	 */
	public Process runsv(Path directory) throws Exception {
		return runsv(directory, ProcessBuilder.Redirect.DISCARD);
	}

	/**
	 * Start a runsv of our own on a directory outside the scan directory, keeping what it
	 * and its scripts print.
	 * @param directory the service directory
	 * @param output where its standard output and error go
	 * @return the runsv process
	 * @throws Exception on failure
	 */
	public Process runsv(Path directory, ProcessBuilder.Redirect output) throws Exception {
		Process process = new ProcessBuilder(RUNSV, directory.toString()).redirectErrorStream(true)
			.redirectOutput(output)
			.start();
		this.processes.add(process);
		awaitSupervised(directory);
		return process;
	}

	/**
	 * Start another supervisor of the family on a directory outside the scan directory,
	 * such as daemontools' {@code supervise} or s6's {@code s6-supervise}, and wait until
	 * it has made its {@code supervise/control} FIFO and written its status. It is
	 * stopped with the rest: TERM (which both take as "stop the service and exit"), then
	 * CONT.
	 * @param supervisor the supervisor's path, such as {@code /usr/bin/s6-supervise}
	 * @param directory the service directory
	 * @return the supervisor's process
	 * @throws Exception on failure
	 */
	public Process supervise(String supervisor, Path directory) throws Exception {
		RealDaemons.requireExecutables(supervisor);
		Process process = new ProcessBuilder(supervisor, directory.toString()).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		this.processes.add(process);
		Path supervise = directory.resolve("supervise");
		Awaitility.await(supervisor + " on " + directory)
			.atMost(SUPERVISED_TIMEOUT)
			.pollInterval(Duration.ofMillis(20))
			.until(() -> Files.exists(supervise.resolve("control")) && Files.exists(supervise.resolve("status")));
		return process;
	}

	/**
	 * Wait until a runsv answers for each of the given service directories, as
	 * {@code sv status} sees it.
	 * @param services the service directories
	 */
	public void awaitSupervised(Path... services) {
		if (services.length == 0) {
			return;
		}
		List<String> arguments = new ArrayList<>(List.of("status"));
		for (Path service : services) {
			arguments.add(service.toString());
		}
		Awaitility.await(services.length + " services supervised")
			.atMost(SUPERVISED_TIMEOUT)
			.pollInterval(Duration.ofMillis(20))
			.until(() -> sv(arguments.toArray(String[]::new)).lines()
				.filter((line) -> SUPERVISED.matcher(line).matches())
				.count() == services.length);
	}

	/**
	 * Run {@code sv} and return what it printed (stdout and stderr).
	 * @param args the arguments
	 * @return the output, trimmed
	 * @throws Exception on failure
	 */
	public static String sv(String... args) throws Exception {
		List<String> command = new ArrayList<>();
		command.add(SV);
		command.addAll(List.of(args));
		// The output goes to a file: sv status of a thousand services prints more than a
		// pipe holds, and would block until it is read
		Path output = Files.createTempFile("sv", ".out");
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException("sv did not finish: " + command);
			}
			return Files.readString(output, StandardCharsets.UTF_8).trim();
		}
		finally {
			Files.deleteIfExists(output);
		}
	}

	/**
	 * Whether a process runs: it exists and is not a zombie.
	 * @param pid the pid
	 * @return whether it runs
	 */
	public static boolean isRunning(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
			char state = stat.charAt(stat.lastIndexOf(')') + 2);
			return state != 'Z' && state != 'X';
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static String cwd(long pid) {
		try {
			return Files.readSymbolicLink(Path.of("/proc/" + pid + "/cwd")).toString();
		}
		catch (IOException ex) {
			return "?";
		}
	}

	/**
	 * Send a signal to a process with {@code kill}.
	 * @param pid the pid
	 * @param signal the signal's name, such as {@code TERM}
	 * @throws Exception on failure
	 */
	public static void signal(long pid, String signal) throws Exception {
		Process kill = new ProcessBuilder("/bin/kill", "-s", signal, Long.toString(pid)).start();
		kill.waitFor(5, TimeUnit.SECONDS);
	}

	/**
	 * Return the pids that survived {@link #close()} until they were killed.
	 * @return the pids
	 */
	public Set<String> survivors() {
		return this.survivors;
	}

	/**
	 * Stop runsvdir and the runsv processes started here, and delete the folders.
	 * @throws Exception on failure
	 */
	@Override
	public void close() throws Exception {
		Set<Long> pids = new LinkedHashSet<>();
		for (Process process : this.processes) {
			pids.add(process.pid());
			process.descendants().forEach((handle) -> pids.add(handle.pid()));
		}
		for (Process process : this.processes) {
			// runsvdir: HUP sends TERM to every runsv; runsv: TERM stops the service,
			// then runsv exits
			signal(process.pid(), process.info().command().orElse("").endsWith("runsvdir") ? "HUP" : "TERM");
		}
		// runsv sends CONT after TERM only for 'd', not for the exit that TERM asks for:
		// a paused service would keep its pending TERM forever
		for (Long pid : pids) {
			if (isRunning(pid)) {
				signal(pid, "CONT");
			}
		}
		try {
			Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.pollInterval(Duration.ofMillis(20))
				.until(() -> pids.stream().noneMatch(Runsvdir::isRunning));
		}
		catch (ConditionTimeoutException ex) {
			// the survivors are recorded and killed below
		}
		for (Long pid : pids) {
			if (isRunning(pid)) {
				this.survivors
					.add(pid + " " + ProcessHandle.of(pid).flatMap((handle) -> handle.info().commandLine()).orElse("")
							+ " in " + cwd(pid));
				signal(pid, "KILL");
			}
		}
		for (Process process : this.processes) {
			process.waitFor(2, TimeUnit.SECONDS);
		}
		if (!this.root.toString().isEmpty() && Files.exists(this.root)) {
			delete(this.root);
		}
	}

	/**
	 * Delete a folder and everything in it.
	 * @param root the folder
	 * @throws IOException on failure
	 */
	public static void delete(Path root) throws IOException {
		try (var paths = Files.walk(root)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
	}

}
