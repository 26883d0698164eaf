package io.github.supervision.runit;

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
import java.util.function.BooleanSupplier;

import io.github.supervision.testsupport.RealDaemons;

/**
 * A real {@code runsvdir} on a temporary scan directory, for one test class. Services are
 * written before it starts (runsvdir notices a new entry only when the directory's mtime,
 * in whole seconds, changes). Closing sends HUP (runsvdir then sends TERM to every runsv,
 * which stops its service and exits), kills by pid whatever survives, and records whether
 * anything did.
 *
 * @author Supervision contributors
 */
final class Runsvdir implements AutoCloseable {

	static final String RUNSVDIR = "/usr/bin/runsvdir";

	static final String RUNSV = "/usr/bin/runsv";

	static final String SV = "/usr/bin/sv";

	static final String SVLOGD = "/usr/bin/svlogd";

	private final Path root;

	private final Path scan;

	private final List<Process> processes = new ArrayList<>();

	private final Set<String> survivors = new LinkedHashSet<>();

	private final RunitBackend probe = new RunitBackend();

	private Runsvdir(Path root) throws IOException {
		this.root = root;
		this.scan = Files.createDirectories(root.resolve("scan"));
	}

	static Runsvdir create() throws IOException {
		RealDaemons.requireExecutables(RUNSVDIR, RUNSV, SV, SVLOGD);
		return new Runsvdir(Files.createTempDirectory("runit-tests"));
	}

	Path root() {
		return this.root;
	}

	Path scan() {
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
	Path service(String name, String run, boolean normallyDown) throws IOException {
		return service(this.scan, name, run, normallyDown);
	}

	Path service(Path parent, String name, String run, boolean normallyDown) throws IOException {
		Path directory = Files.createDirectories(parent.resolve(name));
		script(directory.resolve("run"), run);
		if (normallyDown) {
			Files.createFile(directory.resolve("down"));
		}
		return directory;
	}

	static void script(Path file, String body) throws IOException {
		Files.writeString(file, "#!/bin/sh\n" + body + "\n", StandardCharsets.US_ASCII);
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
	}

	/**
	 * Start runsvdir and wait until every service in the scan directory is supervised.
	 * @throws Exception on failure
	 */
	void start() throws Exception {
		this.processes.add(new ProcessBuilder(RUNSVDIR, this.scan.toString()).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start());
		List<Path> services;
		try (var entries = Files.list(this.scan)) {
			services = entries.toList();
		}
		for (Path service : services) {
			awaitSupervised(service);
		}
	}

	/**
	 * Start a runsv of our own on a directory outside the scan directory.
	 * @param directory the service directory
	 * @return the runsv process
	 * @throws Exception on failure
	 */
	Process runsv(Path directory) throws Exception {
		Process process = new ProcessBuilder(RUNSV, directory.toString()).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		this.processes.add(process);
		awaitSupervised(directory);
		return process;
	}

	void awaitSupervised(Path service) throws Exception {
		Path status = service.resolve("supervise/status");
		await(Duration.ofSeconds(10),
				() -> Files.exists(status)
						&& Boolean.TRUE.equals(this.probe.isLive(service.resolve("supervise"), LockTable.read())),
				service + " supervised");
	}

	/**
	 * Run {@code sv} and return what it printed (stdout and stderr).
	 * @param args the arguments
	 * @return the output, trimmed
	 * @throws Exception on failure
	 */
	static String sv(String... args) throws Exception {
		List<String> command = new ArrayList<>();
		command.add(SV);
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		if (!process.waitFor(10, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IllegalStateException("sv did not finish: " + command);
		}
		return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
	}

	static void await(Duration timeout, BooleanSupplier condition, String what) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("Timed out waiting for " + what);
			}
			Thread.sleep(10);
		}
	}

	/**
	 * Whether a process runs: it exists and is not a zombie.
	 * @param pid the pid
	 * @return whether it runs
	 */
	static boolean isRunning(long pid) {
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

	static void signal(long pid, String signal) throws Exception {
		Process kill = new ProcessBuilder("/bin/kill", "-s", signal, Long.toString(pid)).start();
		kill.waitFor(5, TimeUnit.SECONDS);
	}

	/**
	 * Return the pids that survived {@link #close()} until they were killed.
	 * @return the pids
	 */
	Set<String> survivors() {
		return this.survivors;
	}

	@Override
	public void close() throws Exception {
		this.probe.close();
		Set<Long> pids = new LinkedHashSet<>();
		for (Process process : this.processes) {
			pids.add(process.pid());
			process.descendants().forEach((handle) -> pids.add(handle.pid()));
		}
		for (Process process : this.processes) {
			// runsvdir: HUP sends TERM to every runsv; runsv: TERM stops the service,
			// then
			// runsv exits
			signal(process.pid(), process.info().command().orElse("").endsWith("runsvdir") ? "HUP" : "TERM");
		}
		// runsv sends CONT after TERM only for 'd', not for the exit that TERM asks for:
		// a
		// paused service would keep its pending TERM forever
		for (Long pid : pids) {
			if (isRunning(pid)) {
				signal(pid, "CONT");
			}
		}
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
		while (pids.stream().anyMatch(Runsvdir::isRunning) && System.nanoTime() - deadline < 0) {
			Thread.sleep(20);
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
		delete(this.root);
	}

	static void delete(Path root) throws IOException {
		try (var paths = Files.walk(root)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
	}

}
