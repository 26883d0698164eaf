package io.github.supervision.benchmarks.systemd;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A systemd manager booted as PID 1 of a private PID and mount namespace, the recipe of
 * the tests' {@code SystemdSandbox} (only test unit folders on the unit path, private
 * {@code /run} and {@code /tmp}, host folders under {@code /var/tmp}), for the benchmark.
 *
 * @author Supervision contributors
 */
final class Sandbox implements AutoCloseable {

	private final Path root;

	private final Path units;

	private long pid;

	private long unsharePid;

	Sandbox() throws IOException {
		this.root = Files.createTempDirectory(Path.of("/var/tmp"), "supervision-systemd-bench-");
		this.units = this.root.resolve("units");
		Files.createDirectories(this.units);
		Files.createDirectories(this.root.resolve("etc"));
		Files.createDirectories(this.root.resolve("bus"));
		unit("sandbox.target", "[Unit]\nDefaultDependencies=no\nWants=dbus.socket\n");
		unit("dbus.socket", "[Unit]\nDefaultDependencies=no\n\n[Socket]\nListenStream=/run/dbus/system_bus_socket\n");
		unit("dbus.service",
				"[Unit]\nDefaultDependencies=no\nRequires=dbus.socket\n\n[Service]\n"
						+ "ExecStart=/usr/bin/dbus-daemon --system --address=systemd: --nofork --nopidfile "
						+ "--systemd-activation --syslog-only\n");
	}

	void unit(String name, String content) throws IOException {
		Files.writeString(this.units.resolve(name), content, StandardCharsets.UTF_8);
	}

	void start() throws IOException, InterruptedException {
		Path script = this.root.resolve("boot.sh");
		Files.writeString(script, """
				#!/bin/sh
				set -e
				mount --make-rprivate /
				mount -t tmpfs tmpfs /run
				mount -t tmpfs tmpfs /tmp
				mkdir -p /run/dbus /etc/systemd/system
				mount --bind '%1$s/bus' /run/dbus
				mount --bind '%1$s/etc' /etc/systemd/system
				export container=unshare
				export SYSTEMD_UNIT_PATH='/etc/systemd/system:/run/systemd/system:%1$s/units'
				exec /lib/systemd/systemd --system --unit=sandbox.target --log-level=notice
				""".formatted(this.root));
		script.toFile().setExecutable(true, true);
		Process process = new ProcessBuilder("/usr/bin/setsid", "/usr/bin/unshare", "--pid", "--fork", "--mount",
				"--mount-proc", script.toString())
			.redirectErrorStream(true)
			.redirectOutput(this.root.resolve("boot.log").toFile())
			.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
			.start();
		this.unsharePid = process.pid();
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		Path socket = this.root.resolve("bus/system_bus_socket");
		while (System.nanoTime() < deadline && (this.pid == 0 || !Files.exists(socket)) && process.isAlive()) {
			this.pid = process.toHandle()
				.children()
				.filter((child) -> child.info().command().map((c) -> c.endsWith("systemd")).orElse(false))
				.map(ProcessHandle::pid)
				.findFirst()
				.orElse(0L);
			Thread.sleep(20);
		}
		if (this.pid == 0 || !Files.exists(socket)) {
			close();
			throw new IllegalStateException("systemd did not boot; see the boot log");
		}
	}

	String busAddress() {
		return "unix:path=" + this.root.resolve("bus/system_bus_socket");
	}

	List<String> systemctl(String... args) {
		List<String> command = new ArrayList<>(
				List.of("/usr/bin/nsenter", "-t", Long.toString(this.pid), "-m", "-p", "/usr/bin/systemctl"));
		command.addAll(List.of(args));
		return command;
	}

	static void run(List<String> command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		if (!process.waitFor(30, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IllegalStateException("Command did not finish: " + command.get(0));
		}
		if (process.exitValue() != 0) {
			throw new IllegalStateException("Command failed with " + process.exitValue() + ": " + command);
		}
	}

	@Override
	public void close() {
		for (long target : new long[] { this.pid, this.unsharePid }) {
			if (target != 0) {
				ProcessHandle.of(target).ifPresent((handle) -> {
					handle.destroyForcibly();
					handle.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally((ex) -> null).join();
				});
			}
		}
		try (Stream<Path> paths = Files.walk(this.root)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// best effort: the folder is under /var/tmp
		}
	}

}
