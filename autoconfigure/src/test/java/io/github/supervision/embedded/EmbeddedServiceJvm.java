package io.github.supervision.embedded;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.supervision.ServiceState;

/**
 * A JVM that runs one embedded service and prints its pid, for
 * {@link EmbeddedBackendJvmDeathTests}.
 *
 * @author Supervision contributors
 */
public final class EmbeddedServiceJvm {

	private EmbeddedServiceJvm() {
	}

	/**
	 * Run the service until killed.
	 * @param args ignored
	 * @throws Exception if interrupted
	 */
	public static void main(String[] args) throws Exception {
		EmbeddedBackend backend = new EmbeddedBackend(List.of(new EmbeddedServiceSpec("sleeper",
				List.of("/bin/sleep", "600"), null, Map.of(), RestartPolicy.ALWAYS, Duration.ZERO, 0,
				Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(1), true, null, 0)));
		backend.start();
		while (backend.status("sleeper").state() != ServiceState.RUNNING) {
			Thread.sleep(10);
		}
		System.out.println("pid " + backend.status("sleeper").pid());
		Thread.sleep(60_000);
	}

}
