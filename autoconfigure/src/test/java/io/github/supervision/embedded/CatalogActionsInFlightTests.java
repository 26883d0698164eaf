package io.github.supervision.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.supervision.ActionInProgressException;
import io.github.supervision.ActionResult;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceDefinition;
import io.github.supervision.ServiceName;
import io.github.supervision.ServiceState;
import io.github.supervision.testsupport.RealDaemonTest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests that the {@link ServiceCatalog} keeps one action at a time in flight on a
 * service, with real child processes: the embedded supervisor would queue a second action
 * by itself, the catalog refuses it instead, as it does for every backend.
 *
 * @author Supervision contributors
 */
@RealDaemonTest
class CatalogActionsInFlightTests {

	private static final ServiceName SLOW = ServiceName.of("slow");

	@TempDir
	Path directory;

	@Test
	void anotherActionWhileOneIsInFlightIsRefusedAndTheSameActionJoinsIt() throws Exception {
		EmbeddedBackendTests.requireChildProcesses();
		EmbeddedServiceSpec slow = EmbeddedBackendTests.spec(this.directory, SLOW.value(),
				"trap 'sleep 2; exit 0' TERM; while :; do sleep 0.1; done", RestartPolicy.ALWAYS, 2,
				Duration.ofSeconds(10), Map.of(), null, 1024);
		ExecutorService callers = Executors.newFixedThreadPool(2);
		try (EmbeddedBackend backend = new EmbeddedBackend(List.of(slow));
				ServiceCatalog catalog = new ServiceCatalog(
						List.of(new ServiceDefinition(SLOW, EmbeddedBackend.ID, SLOW.value(), null, false, null)),
						List.of(backend), Duration.ofSeconds(5), Duration.ofSeconds(20))) {
			backend.start();
			assertThat(catalog.perform(SLOW, ServiceAction.START).outcome()).isEqualTo(ActionResult.Outcome.DONE);
			Future<ActionResult> first = callers.submit(() -> catalog.perform(SLOW, ServiceAction.STOP));
			Awaitility.await()
				.atMost(Duration.ofSeconds(5))
				.until(() -> catalog.status(SLOW).state() == ServiceState.STOPPING);
			assertThatExceptionOfType(ActionInProgressException.class)
				.isThrownBy(() -> catalog.perform(SLOW, ServiceAction.START))
				.withMessageContaining("a stop of it is still in flight");
			Future<ActionResult> joined = callers.submit(() -> catalog.perform(SLOW, ServiceAction.STOP));
			ActionResult result = first.get(15, TimeUnit.SECONDS);
			assertThat(result.outcome()).isEqualTo(ActionResult.Outcome.DONE);
			assertThat(joined.get(15, TimeUnit.SECONDS)).isSameAs(result);
			assertThat(catalog.perform(SLOW, ServiceAction.START).outcome()).isEqualTo(ActionResult.Outcome.DONE);
			assertThat(catalog.status(SLOW).state()).isEqualTo(ServiceState.RUNNING);
		}
		finally {
			callers.shutdownNow();
		}
	}

}
