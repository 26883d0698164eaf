package io.github.supervision.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import io.github.supervision.ActionResult;
import io.github.supervision.ActionResult.Outcome;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceDefinition;
import io.github.supervision.ServiceName;
import io.github.supervision.ServiceSignal;
import io.github.supervision.ServiceState;
import io.github.supervision.testsupport.RealDaemonTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests that a signal sent through the {@link ServiceCatalog} reaches every process of an
 * embedded service's process group, and that a stopped service has no process to signal.
 *
 * @author Supervision contributors
 */
@RealDaemonTest
class EmbeddedSignalTests {

	private static final ServiceName FAMILY = ServiceName.of("family");

	@TempDir
	Path directory;

	@Test
	void aSignalReachesTheWholeProcessGroup() throws Exception {
		EmbeddedBackendTests.requireChildProcesses();
		Path log = this.directory.resolve("signals.txt");
		String script = "trap 'echo main >> " + log + "' USR2\n" + "/bin/sh -c \"trap 'echo child >> " + log
				+ "' USR2; echo child-ready >> " + log + "; while :; do sleep 0.05; done\" &\n" + "echo main-ready >> "
				+ log + "\nwhile :; do sleep 0.05; done";
		EmbeddedServiceSpec spec = EmbeddedBackendTests.spec(this.directory, FAMILY.value(), script,
				RestartPolicy.ALWAYS, 2, Duration.ofSeconds(2), Map.of(), null, 1024);
		try (EmbeddedBackend backend = new EmbeddedBackend(List.of(spec));
				ServiceCatalog catalog = new ServiceCatalog(
						List.of(new ServiceDefinition(FAMILY, EmbeddedBackend.ID, FAMILY.value(),
								EnumSet.allOf(ServiceAction.class), false, null)),
						List.of(backend), Duration.ofSeconds(5), Duration.ofSeconds(10))) {
			assertThat(catalog.getActions(FAMILY)).contains(ServiceAction.SIGNAL)
				.doesNotContain(ServiceAction.ENABLE, ServiceAction.RESET_FAILED, ServiceAction.TRY_RESTART);
			assertThat(catalog.signal(FAMILY, ServiceSignal.USR2).outcome()).isEqualTo(Outcome.NO_CHANGE);
			assertThat(catalog.perform(FAMILY, ServiceAction.START).outcome()).isEqualTo(Outcome.DONE);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> Files.exists(log) && Files.readString(log).contains("main-ready")
						&& Files.readString(log).contains("child-ready"));
			long pid = catalog.status(FAMILY).pid();
			ActionResult result = catalog.signal(FAMILY, ServiceSignal.USR2);
			assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.DONE);
			assertThat(result.message()).contains("SIGUSR2", "process group");
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(Files.readString(log)).contains("main\n", "child\n"));
			assertThat(catalog.status(FAMILY).state()).isEqualTo(ServiceState.RUNNING);
			assertThat(catalog.status(FAMILY).pid()).isEqualTo(pid);
		}
	}

}
