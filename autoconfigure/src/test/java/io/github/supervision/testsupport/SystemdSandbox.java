package io.github.supervision.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real systemd 252 manager booted as PID 1 of a private PID and mount namespace, with
 * its own system bus that a test outside the namespace reaches at {@link #busAddress()}.
 * <p>
 * The recipe (see {@code SYSTEMD-SANDBOX.md}) keeps the host safe: {@code /run} and
 * {@code /tmp} are private tmpfs mounts (a build that lives under {@code /tmp} is bound
 * back into the private one, so that units can run its jars), {@code /etc/systemd/system}
 * is a bind of a test folder, and {@code SYSTEMD_UNIT_PATH} holds only test folders, so
 * none of the host's units (notably the tmpfiles setup that empties {@code /tmp}) is ever
 * loaded. The host folders live under {@code /var/tmp}, outside what the namespace hides.
 * {@link #close()} kills the namespace's PID 1 with SIGKILL, which makes the kernel kill
 * everything in it.
 * <p>
 * A JUnit 5 extension that boots one sandbox per test class: register it on a static
 * field with the unit files it needs, and it starts before the class's {@code @BeforeAll}
 * methods and is killed after its {@code @AfterAll} methods: <pre class="code">
 * &#64;RealDaemonTest
 * class MyTests {
 *
 *     &#64;RegisterExtension
 *     static final SystemdSandbox sandbox = SystemdSandbox.create().unit("app.service", "...");
 *
 * }</pre> The class is skipped with the reason (failed under {@code CI=true}) when the
 * machine cannot boot systemd. Outside JUnit (the benchmarks), {@link #start()} and
 * {@link #close()} do the same by hand.
 *
 * @author Supervision contributors
 */
public final class SystemdSandbox implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

	/**
	 * Name of the target the sandbox boots into.
	 */
	public static final String TARGET = "sandbox.target";

	private static final String SYSTEMD = "/lib/systemd/systemd";

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

	private final Path root;

	private final Path units;

	private final Path config;

	private final Path bus;

	private final Path journal;

	private volatile boolean journald;

	private volatile long pid;

	private volatile long unsharePid;

	private SystemdSandbox(Path root) {
		this.root = root;
		this.units = root.resolve("units");
		this.config = root.resolve("etc");
		this.bus = root.resolve("bus");
		this.journal = root.resolve("journal");
	}

	/**
	 * Create a sandbox with the infrastructure units (its target, the bus, a stand-in
	 * {@code multi-user.target}); nothing runs until {@link #start()}.
	 * @return the sandbox
	 */
	public static SystemdSandbox create() {
		try {
			Path root = Files.createTempDirectory(Path.of("/var/tmp"), "supervision-systemd-");
			SystemdSandbox sandbox = new SystemdSandbox(root);
			Files.createDirectories(sandbox.units);
			Files.createDirectories(sandbox.config);
			Files.createDirectories(sandbox.bus);
			sandbox.unit(TARGET, """
					[Unit]
					Description=Supervision test sandbox
					DefaultDependencies=no
					Wants=dbus.socket
					""");
			sandbox.unit("dbus.socket", """
					[Unit]
					Description=D-Bus system bus socket
					DefaultDependencies=no

					[Socket]
					ListenStream=/run/dbus/system_bus_socket
					""");
			sandbox.unit("dbus.service",
					"""
							[Unit]
							Description=D-Bus system bus
							DefaultDependencies=no
							Requires=dbus.socket

							[Service]
							ExecStart=/usr/bin/dbus-daemon --system --address=systemd: --nofork --nopidfile --systemd-activation --syslog-only
							""");
			sandbox.unit("multi-user.target", """
					[Unit]
					Description=Stand-in multi-user target
					DefaultDependencies=no
					""");
			return sandbox;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Write a unit file into the sandbox's unit folder. After {@link #start()}, run
	 * {@code systemctl daemon-reload} for systemd to see it.
	 * @param name the unit name
	 * @param content the unit file
	 * @return this sandbox
	 */
	public SystemdSandbox unit(String name, String content) {
		try {
			Files.writeString(this.units.resolve(name), content, StandardCharsets.UTF_8);
			return this;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Return the text of a simple service unit without default dependencies (the sandbox
	 * has no {@code sysinit.target}).
	 * @param description the description
	 * @param execStart the command line of {@code ExecStart=}
	 * @param extra more lines for the {@code [Service]} section, each ending in a
	 * newline, or an empty string
	 * @return the unit file
	 */
	public static String service(String description, String execStart, String extra) {
		return """
				[Unit]
				Description=%s
				DefaultDependencies=no

				[Service]
				ExecStart=%s
				%s""".formatted(description, execStart, extra);
	}

	/**
	 * Run journald in the sandbox, started with it, so that units' output is written to a
	 * journal that a process outside reads from {@link #journalDirectory()}
	 * ({@code journalctl --directory}). The sandbox's {@code /run/log/journal} is a bind
	 * of that folder, and journald keeps its journal there only ({@code Storage=volatile}
	 * in a drop-in under the private {@code /run}, which also turns its rate limit off),
	 * never in the host's {@code /var/log/journal}. Call before {@link #start()}.
	 * @return this sandbox
	 */
	public SystemdSandbox journald() {
		try {
			Files.createDirectories(this.journal);
			for (String name : List.of("systemd-journald.socket", "systemd-journald.service")) {
				unit(name, Files.readString(Path.of("/lib/systemd/system", name), StandardCharsets.UTF_8));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.journald = true;
		return unit(TARGET, """
				[Unit]
				Description=Supervision test sandbox
				DefaultDependencies=no
				Wants=dbus.socket systemd-journald.socket systemd-journald.service
				""");
	}

	/**
	 * Return the host folder bound to the sandbox's {@code /run/log/journal}, where
	 * journald writes when {@link #journald()} was called.
	 * @return the journal folder
	 */
	public Path journalDirectory() {
		return this.journal;
	}

	/**
	 * Add D-Bus policy rules to the sandbox's system bus, after Debian's own system bus
	 * configuration, so that they win. Call before {@link #start()}.
	 * @param policy {@code <policy>} elements, such as one that denies root a method
	 * @return this sandbox
	 */
	public SystemdSandbox busPolicy(String policy) {
		Path config = this.root.resolve("bus.conf");
		try {
			Files.writeString(config, """
					<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
					 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
					<busconfig>
					  <include>/usr/share/dbus-1/system.conf</include>
					  %s
					</busconfig>
					""".formatted(policy), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return unit("dbus.service",
				"""
						[Unit]
						Description=D-Bus system bus
						DefaultDependencies=no
						Requires=dbus.socket

						[Service]
						ExecStart=/usr/bin/dbus-daemon --config-file=%s --address=systemd: --nofork --nopidfile --systemd-activation --syslog-only
						"""
					.formatted(config));
	}

	/**
	 * Boot systemd and wait until its bus socket exists. Skips the test (fails it under
	 * {@code CI=true}) when the machine cannot do it.
	 * @return this sandbox
	 */
	public SystemdSandbox start() {
		RealDaemons.requireRoot();
		RealDaemons.requireExecutables(SYSTEMD, "/usr/bin/unshare", "/usr/bin/nsenter", "/usr/bin/setsid",
				"/usr/bin/dbus-daemon", "/usr/bin/systemctl", "/bin/kill");
		try {
			Path script = this.root.resolve("boot.sh");
			Files.writeString(script, bootScript(), StandardCharsets.UTF_8);
			Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
			Process process = new ProcessBuilder("/usr/bin/setsid", "/usr/bin/unshare", "--pid", "--fork", "--mount",
					"--mount-proc", script.toString())
				.redirectErrorStream(true)
				.redirectOutput(this.root.resolve("boot.log").toFile())
				.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
				.start();
			this.unsharePid = process.pid();
			Path socket = this.bus.resolve("system_bus_socket");
			try {
				Awaitility.await("systemd to open its bus socket")
					.atMost(Duration.ofSeconds(20))
					.pollInterval(Duration.ofMillis(20))
					.until(() -> booted(process, socket) || !process.isAlive());
			}
			catch (ConditionTimeoutException ex) {
				// reported below with the boot log
			}
			if (this.journald && this.pid != 0) {
				awaitJournal();
			}
			if (this.pid == 0 || !Files.exists(socket)) {
				String log = Files.exists(this.root.resolve("boot.log"))
						? Files.readString(this.root.resolve("boot.log")) : "";
				close();
				RealDaemons.require(false, "systemd did not boot in its namespace: " + log.strip());
			}
			return this;
		}
		catch (IOException ex) {
			close();
			throw new UncheckedIOException(ex);
		}
	}

	// journald creates its journal file once it runs
	private void awaitJournal() {
		try {
			Awaitility.await("journald to open its journal")
				.atMost(Duration.ofSeconds(20))
				.pollInterval(Duration.ofMillis(20))
				.until(this::journalExists);
		}
		catch (ConditionTimeoutException ex) {
			String status = systemctl("status", "systemd-journald.service").output();
			close();
			RealDaemons.require(false, "journald did not start in the sandbox: " + status.strip());
		}
	}

	private boolean journalExists() throws IOException {
		try (Stream<Path> files = Files.walk(this.journal)) {
			return files.anyMatch((file) -> file.getFileName().toString().endsWith(".journal"));
		}
	}

	private boolean booted(Process process, Path socket) {
		if (this.pid == 0) {
			this.pid = process.toHandle()
				.children()
				.findFirst()
				.filter((child) -> child.info().command().map((c) -> c.endsWith("systemd")).orElse(false))
				.map(ProcessHandle::pid)
				.orElse(0L);
		}
		return this.pid != 0 && Files.exists(socket);
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		start();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		close();
	}

	private String bootScript() {
		return """
				#!/bin/sh
				set -e
				mount --make-rprivate /
				mount -t tmpfs tmpfs /run
				mkdir -p %6$s
				mount --bind /tmp %6$s
				mount -t tmpfs tmpfs /tmp
				%7$s
				mkdir -p /run/dbus /etc/systemd/system
				mount --bind %1$s /run/dbus
				mount --bind %2$s /etc/systemd/system
				%8$s
				export container=unshare
				export SYSTEMD_UNIT_PATH=%3$s
				exec %4$s --system --unit=%5$s --log-level=notice
				""".formatted(quote(this.bus), quote(this.config),
				quote("/etc/systemd/system:/run/systemd/system:" + this.units), SYSTEMD, TARGET,
				quote(this.root.resolve("host-tmp")), keepBuildVisible(), journalMounts());
	}

	private String journalMounts() {
		if (!this.journald) {
			return "";
		}
		return "mkdir -p /run/log/journal /run/systemd/journald.conf.d && mount --bind %s /run/log/journal"
			.formatted(quote(this.journal))
				+ " && printf '[Journal]\\nStorage=volatile\\nRateLimitIntervalSec=0\\n' > /run/systemd/journald.conf.d/sandbox.conf";
	}

	// A build in a temporary folder (a clone under /tmp) stays visible under the private
	// /tmp, so that units can run the test's jars and classes
	private String keepBuildVisible() {
		Path build = Path.of("").toAbsolutePath();
		Path tmp = Path.of("/tmp");
		if (!build.startsWith(tmp) || build.equals(tmp)) {
			return "";
		}
		Path top = tmp.resolve(tmp.relativize(build).getName(0));
		return "mkdir -p %1$s && mount --bind %2$s %1$s".formatted(quote(top),
				quote(this.root.resolve("host-tmp").resolve(tmp.relativize(top))));
	}

	private static String quote(Object value) {
		return "'" + value.toString().replace("'", "'\\''") + "'";
	}

	/**
	 * Return the D-Bus address of the sandbox's system bus, reachable from the host.
	 * @return the address
	 */
	public String busAddress() {
		return "unix:path=" + this.bus.resolve("system_bus_socket");
	}

	/**
	 * Return the folder systemd loads the test's unit files from.
	 * @return the unit folder
	 */
	public Path unitDirectory() {
		return this.units;
	}

	/**
	 * Return the host folder bound to {@code /etc/systemd/system} inside the sandbox,
	 * where enabling units creates its symlinks.
	 * @return the configuration folder
	 */
	public Path configDirectory() {
		return this.config;
	}

	/**
	 * Return the host pid of the sandbox's systemd (PID 1 inside).
	 * @return the pid
	 */
	public long pid() {
		return this.pid;
	}

	/**
	 * Run {@code systemctl} inside the sandbox.
	 * @param args the arguments
	 * @return the exit code and output
	 */
	public Result systemctl(String... args) {
		return run(systemctlCommand(args));
	}

	/**
	 * Return the command line that runs {@code systemctl} inside the sandbox, for a
	 * caller that times the process itself.
	 * @param args the arguments
	 * @return the command and its arguments
	 */
	public List<String> systemctlCommand(String... args) {
		List<String> command = new ArrayList<>(List.of("/usr/bin/nsenter", "-t", Long.toString(this.pid), "-m", "-p",
				"/usr/bin/systemctl", "--no-pager"));
		command.addAll(List.of(args));
		return command;
	}

	/**
	 * Run a command inside the sandbox's namespaces, where {@code /proc} shows the
	 * sandbox's pids.
	 * @param command the command and its arguments
	 * @return the exit code and output
	 */
	public Result exec(String... command) {
		List<String> full = new ArrayList<>(
				List.of("/usr/bin/nsenter", "-t", Long.toString(this.pid), "-m", "-p", "--"));
		full.addAll(List.of(command));
		return run(full);
	}

	/**
	 * Whether a process in the sandbox has a handler for a signal, read from its
	 * {@code /proc/<pid>/status} inside the sandbox: a shell that gets a signal before it
	 * has set its trap takes the default action instead.
	 * @param pid the pid inside the sandbox, such as a unit's {@code MainPID}
	 * @param signal the signal's number, such as 15 for TERM
	 * @return whether it catches the signal
	 */
	public boolean catchesSignal(long pid, int signal) {
		return Commands.catchesSignal(exec("/bin/cat", "/proc/" + pid + "/status").output(), signal);
	}

	/**
	 * Return properties of a unit as {@code systemctl show} reports them inside the
	 * sandbox.
	 * @param unit the unit
	 * @param properties the property names
	 * @return the values by name
	 */
	public Map<String, String> show(String unit, String... properties) {
		Result result = systemctl("show", "-p", String.join(",", properties), "--", unit);
		Map<String, String> values = new LinkedHashMap<>();
		for (String line : result.output().split("\n")) {
			int equals = line.indexOf('=');
			if (equals > 0) {
				values.put(line.substring(0, equals), line.substring(equals + 1));
			}
		}
		return values;
	}

	/**
	 * Return the host pids of the processes with the given command name that run in the
	 * sandbox.
	 * @param name the command name, such as {@code dbus-daemon}
	 * @return the host pids
	 */
	public List<Long> processes(String name) {
		ProcessHandle systemd = ProcessHandle.of(this.pid).orElse(null);
		if (systemd == null) {
			return List.of();
		}
		return systemd.descendants()
			.filter((process) -> process.info().command().map((c) -> c.endsWith("/" + name)).orElse(false))
			.map(ProcessHandle::pid)
			.toList();
	}

	/**
	 * Kill the sandbox's bus daemon with SIGKILL. The socket stays with systemd, which
	 * starts a new bus daemon on the next connection.
	 */
	public void killBus() {
		for (Long busPid : processes("dbus-daemon")) {
			ProcessHandle.of(busPid).ifPresent(ProcessHandle::destroyForcibly);
		}
	}

	/**
	 * Stop the sandbox's systemd with SIGSTOP, which a process outside the namespace may
	 * send to its PID 1: calls to systemd then wait, unanswered, in the bus until
	 * {@link #resume()}.
	 */
	public void suspend() {
		signal("STOP");
	}

	/**
	 * Let the sandbox's systemd run again after {@link #suspend()}.
	 */
	public void resume() {
		signal("CONT");
	}

	private void signal(String name) {
		Result result = run(List.of("/bin/kill", "-" + name, Long.toString(this.pid)));
		if (result.exitCode() != 0) {
			throw new IllegalStateException("kill -" + name + " " + this.pid + ": " + result.output());
		}
	}

	/**
	 * Kill the sandbox (SIGKILL to its PID 1, so the kernel kills everything inside) and
	 * delete its folders.
	 */
	@Override
	public void close() {
		for (long target : new long[] { this.pid, this.unsharePid }) {
			Optional<ProcessHandle> process = (target != 0) ? ProcessHandle.of(target) : Optional.empty();
			process.ifPresent((handle) -> {
				handle.destroyForcibly();
				try {
					handle.onExit().get(10, TimeUnit.SECONDS);
				}
				catch (Exception ex) {
					// the deletion below is best effort when the process lingers
				}
			});
		}
		try (Stream<Path> paths = Files.walk(this.root)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// best effort: the folder is under /var/tmp
		}
	}

	private static Result run(List<String> command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			process.getOutputStream().close();
			CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
			if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException(
						"Command did not finish in " + COMMAND_TIMEOUT + ": " + String.join(" ", command));
			}
			return new Result(process.exitValue(), output.get(5, TimeUnit.SECONDS));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String read(InputStream input) {
		try (input) {
			return new String(input.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The outcome of a command run in the sandbox.
	 *
	 * @param exitCode the exit code
	 * @param output stdout and stderr
	 */
	public record Result(int exitCode, String output) {

	}

}
