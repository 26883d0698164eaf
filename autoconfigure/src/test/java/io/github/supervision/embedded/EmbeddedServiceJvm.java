package io.github.supervision.embedded;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.supervision.ServiceState;

/**
 * A JVM that runs one embedded service and prints its pid, for
 * {@link EmbeddedBackendJvmDeathTests}: {@code /bin/sleep 600}, or the command given as
 * arguments.
 *
 * @author Supervision contributors
 */
public final class EmbeddedServiceJvm {

	private EmbeddedServiceJvm() {
	}

	/**
	 * Run the service until killed.
	 * @param args the service's command, or none for {@code /bin/sleep 600}
	 * @throws Exception if interrupted
	 */
	public static void main(String[] args) throws Exception {
		List<String> command = (args.length > 0) ? List.of(args) : List.of("/bin/sleep", "600");
		EmbeddedBackend backend = new EmbeddedBackend(
				List.of(new EmbeddedServiceSpec("sleeper", command, null, Map.of(), RestartPolicy.ALWAYS, Duration.ZERO,
						0, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(1), true, null, 0)));
		backend.start();
		while (backend.status("sleeper").state() != ServiceState.RUNNING) {
			Thread.sleep(10);
		}
		System.out.println("pid " + backend.status("sleeper").pid());
		Thread.sleep(60_000);
	}

}
