package io.github.supervision.runit;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.github.supervision.PermissionDeniedException;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceStatus;

/**
 * Run by {@link RunitPermissionTests} as an unprivileged user: reads and acts on a
 * service and prints what the backend answered.
 *
 * @author Supervision contributors
 */
public final class PermissionProbe {

	private PermissionProbe() {
	}

	/**
	 * Read the status of the service named by the first argument, then try to stop it,
	 * then read its log.
	 * @param args the service directory
	 * @throws Exception on failure
	 */
	public static void main(String[] args) throws Exception {
		try (RunitBackend backend = new RunitBackend()) {
			ServiceStatus status = backend.status(List.of(args[0]), Duration.ofSeconds(2)).get(args[0]);
			System.out.println("status " + status.state() + " " + status.message());
			try {
				backend.perform(args[0], ServiceAction.STOP, Duration.ofSeconds(2)).get(5, TimeUnit.SECONDS);
				System.out.println("perform done");
			}
			catch (ExecutionException ex) {
				System.out
					.println("perform " + ex.getCause().getClass().getSimpleName() + " " + ex.getCause().getMessage());
			}
			try {
				System.out
					.println("log " + backend.tailLog(args[0], 10, Duration.ofSeconds(2)).lines().size() + " lines");
			}
			catch (PermissionDeniedException ex) {
				System.out.println("log PermissionDeniedException " + ex.getMessage());
			}
		}
	}

}
