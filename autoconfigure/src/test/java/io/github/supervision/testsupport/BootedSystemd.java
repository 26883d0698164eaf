package io.github.supervision.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real systemd 252 booted as PID 1 of a private PID and mount namespace (see
 * SYSTEMD-SANDBOX.md): private {@code /run} and {@code /tmp}, {@code /etc/systemd/system}
 * bound to a test folder, only stand-in targets in the unit path. Driven with
 * {@code systemctl} through {@code nsenter}; torn down by killing its PID 1.
 *
 * @author Supervision contributors
 */
public final class BootedSystemd implements AutoCloseable {

	private static final String SYSTEMD = "/lib/systemd/systemd";

	private static final List<String> TARGETS = List.of("sandbox", "sysinit", "basic", "shutdown", "multi-user",
			"network", "default");

	private final Path home;

	private final Process unshare;

	private final long pid;

	private BootedSystemd(Path home, Process unshare, long pid) {
		this.home = home;
		this.unshare = unshare;
		this.pid = pid;
	}

	/**
	 * Skip (or fail under CI) unless the machine can boot the sandbox.
	 */
	public static void require() {
		RealDaemons.requireRoot();
		RealDaemons.requireExecutables(SYSTEMD, "/usr/bin/unshare", "/usr/bin/nsenter");
	}

	/**
	 * Boot a sandbox.
	 * @param home a folder outside {@code /tmp} and {@code /run} (both are private
	 * inside), for the unit folder and anything units must share with the test
	 * @return the running sandbox
	 * @throws Exception if it does not come up within 15 seconds
	 */
	public static BootedSystemd boot(Path home) throws Exception {
		Files.createDirectories(home.resolve("etc"));
		Path units = Files.createDirectories(home.resolve("units"));
		for (String target : TARGETS) {
			Files.writeString(units.resolve(target + ".target"),
					"[Unit]\nDescription=Sandbox " + target + "\nDefaultDependencies=no\n");
		}
		Path boot = home.resolve("boot.sh");
		Files.writeString(boot, """
				#!/bin/sh
				set -e
				mount --make-rprivate /
				mount -t tmpfs tmpfs /run
				mount -t tmpfs tmpfs /tmp
				mount --bind "$1/etc" /etc/systemd/system
				export container=unshare
				export SYSTEMD_UNIT_PATH="/etc/systemd/system:/run/systemd/system:$1/units"
				exec %s --system --unit=sandbox.target --log-level=notice
				""".formatted(SYSTEMD));
		Process unshare = new ProcessBuilder("/usr/bin/unshare", "--pid", "--fork", "--mount", "--mount-proc",
				"/bin/sh", boot.toString(), home.toString())
			.redirectErrorStream(true)
			.redirectOutput(home.resolve("systemd.log").toFile())
			.start();
		long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
		long pid = -1;
		while (pid < 0 && System.nanoTime() < deadline) {
			pid = unshare.children().mapToLong(ProcessHandle::pid).findFirst().orElse(-1);
			Thread.sleep(20);
		}
		BootedSystemd sandbox = new BootedSystemd(home, unshare, pid);
		if (pid < 0 || !Commands.await(Duration.ofSeconds(15),
				() -> sandbox.systemctl("is-active", "sandbox.target").stdout().trim().equals("active"))) {
			sandbox.close();
			throw new IllegalStateException("systemd did not come up; see " + home.resolve("systemd.log"));
		}
		return sandbox;
	}

	/**
	 * Return the folder bound to {@code /etc/systemd/system} inside.
	 * @return the folder
	 */
	public Path unitDirectory() {
		return this.home.resolve("etc");
	}

	/**
	 * Run a command inside the sandbox.
	 * @param command the command line
	 * @return the result
	 */
	public Commands.Result inside(String... command) {
		List<String> full = new ArrayList<>(List.of("/usr/bin/nsenter", "-t", Long.toString(this.pid), "-m", "-p"));
		full.addAll(List.of(command));
		try {
			return Commands.run(Duration.ofSeconds(30), full);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Run {@code systemctl} inside the sandbox.
	 * @param arguments the arguments
	 * @return the result
	 */
	public Commands.Result systemctl(String... arguments) {
		List<String> command = new ArrayList<>(List.of("/bin/systemctl"));
		command.addAll(List.of(arguments));
		return inside(command.toArray(String[]::new));
	}

	/**
	 * Read one property of a unit.
	 * @param unit the unit
	 * @param property the property, such as {@code ActiveState}
	 * @return the value
	 */
	public String property(String unit, String property) {
		return systemctl("show", "--value", "-p", property, unit).stdout().trim();
	}

	@Override
	public void close() throws InterruptedException {
		if (this.pid > 0) {
			ProcessHandle.of(this.pid).ifPresent(ProcessHandle::destroyForcibly);
		}
		if (!this.unshare.waitFor(10, TimeUnit.SECONDS)) {
			this.unshare.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
		}
	}

}
