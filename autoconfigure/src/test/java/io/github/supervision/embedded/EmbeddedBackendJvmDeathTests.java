package io.github.supervision.embedded;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.supervision.ServiceSignal;
import io.github.supervision.testsupport.Commands;
import io.github.supervision.testsupport.RealDaemons;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests embedded services of a JVM of their own: when the JVM that supervises them is
 * killed with SIGKILL, so that it cannot close the backend, the kernel sends SIGTERM to
 * the main process ({@code setpriv --pdeathsig}); when the JVM was started under
 * {@code nohup}, a service can still trap SIGHUP ({@link SignalDefaults}).
 *
 * @author Supervision contributors
 */
class EmbeddedBackendJvmDeathTests {

	@Test
	void mainProcessIsTerminatedWhenTheJvmIsKilled() throws Exception {
		RealDaemons.requireExecutables("/usr/bin/setsid", "/usr/bin/setpriv", "/bin/kill");
		RealDaemons.require(new ProcessTree().hasParentDeathSignal(), "setpriv does not support --pdeathsig");
		Process jvm = startServiceJvm(List.of());
		long pid = -1;
		try {
			pid = servicePid(jvm);
			// setsid and setpriv exec the command once setpriv has set the death signal
			long service = pid;
			await("the service's process to exec the command").atMost(Duration.ofSeconds(5))
				.pollInterval(Duration.ofMillis(10))
				.until(() -> commandLine(service).startsWith("/bin/sleep"));
			jvm.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			await("the service's process to die with the killed JVM").atMost(Duration.ofSeconds(5))
				.until(() -> !isLive(service));
		}
		finally {
			jvm.destroyForcibly();
			if (pid > 0) {
				ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
			}
		}
	}

	@Test
	void aServiceOfAJvmStartedUnderNohupCanTrapHangup() throws Exception {
		RealDaemons.requireExecutables("/usr/bin/nohup", "/usr/bin/env", "/usr/bin/setsid", "/bin/kill");
		// a shell cannot trap a signal that was ignored when it started
		Process jvm = startServiceJvm(List.of("/usr/bin/nohup"), "/bin/sh", "-c",
				"trap 'echo hup' HUP; while :; do sleep 0.05; done");
		long pid = -1;
		try {
			pid = servicePid(jvm);
			assertThat(SignalDefaults.ignored(Files.readString(Path.of("/proc/" + jvm.pid() + "/status"))))
				.as("the JVM under nohup ignores SIGHUP")
				.contains(ServiceSignal.HUP);
			long service = pid;
			await("the service's process to exec the shell").atMost(Duration.ofSeconds(5))
				.pollInterval(Duration.ofMillis(10))
				.until(() -> commandLine(service).startsWith("/bin/sh"));
			await("the shell to trap SIGHUP").atMost(Duration.ofSeconds(5))
				.until(() -> Commands.catchesSignal(Files.readString(Path.of("/proc/" + service + "/status")), 1));
		}
		finally {
			jvm.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			if (pid > 0) {
				ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
			}
		}
	}

	// a JVM running EmbeddedServiceJvm, started through the given prefix (nohup), with
	// the service's command when one is given
	private static Process startServiceJvm(List<String> prefix, String... command) throws IOException {
		List<String> line = new ArrayList<>(prefix);
		line.addAll(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
				System.getProperty("java.class.path"), EmbeddedServiceJvm.class.getName()));
		line.addAll(List.of(command));
		return new ProcessBuilder(line).redirectErrorStream(true).start();
	}

	// the pid of the service the child JVM started, as it prints it
	private static long servicePid(Process jvm) throws Exception {
		BufferedReader reader = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
		String line = CompletableFuture.supplyAsync(() -> readPid(reader)).get(20, TimeUnit.SECONDS);
		assertThat(line).startsWith("pid ");
		return Long.parseLong(line.substring(4).trim());
	}

	private static String commandLine(long pid) {
		try {
			return Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
		}
		catch (IOException ex) {
			return "";
		}
	}

	private static boolean isLive(long pid) {
		ProcessTree.Stat stat = ProcessTree.Stat.read(pid);
		return stat != null && stat.isLive();
	}

	private static String readPid(BufferedReader reader) {
		try {
			String line;
			while ((line = reader.readLine()) != null) {
				if (line.startsWith("pid ")) {
					return line;
				}
			}
			return "no pid: the child JVM ended";
		}
		catch (Exception ex) {
			return "no pid: " + ex;
		}
	}

}
