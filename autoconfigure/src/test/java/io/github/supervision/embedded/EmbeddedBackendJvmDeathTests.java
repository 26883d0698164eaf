package io.github.supervision.embedded;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.supervision.testsupport.RealDaemons;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Tests what becomes of an embedded service when the JVM that supervises it is killed
 * with SIGKILL, so that it cannot close the backend: the kernel sends SIGTERM to the main
 * process ({@code setpriv --pdeathsig}).
 *
 * @author Supervision contributors
 */
class EmbeddedBackendJvmDeathTests {

	@Test
	void mainProcessIsTerminatedWhenTheJvmIsKilled() throws Exception {
		RealDaemons.requireExecutables("/usr/bin/setsid", "/usr/bin/setpriv", "/bin/kill");
		RealDaemons.require(new ProcessTree().hasParentDeathSignal(), "setpriv does not support --pdeathsig");
		String java = ProcessHandle.current().info().command().orElse("java");
		Process jvm = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
				EmbeddedServiceJvm.class.getName())
			.redirectErrorStream(true)
			.start();
		try {
			BufferedReader reader = new BufferedReader(
					new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
			String line = CompletableFuture.supplyAsync(() -> readPid(reader)).get(20, TimeUnit.SECONDS);
			assertThat(line).startsWith("pid ");
			long pid = Long.parseLong(line.substring(4).trim());
			assertThat(Path.of("/proc/" + pid)).exists();
			jvm.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
			while (isLive(pid)) {
				if (System.nanoTime() > deadline) {
					fail("The service's process " + pid + " outlived the killed JVM");
				}
				Thread.sleep(20);
			}
		}
		finally {
			jvm.destroyForcibly();
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
