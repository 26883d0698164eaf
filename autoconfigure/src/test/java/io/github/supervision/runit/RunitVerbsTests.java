package io.github.supervision.runit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

import io.github.supervision.ActionResult;
import io.github.supervision.ActionResult.Outcome;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceDefinition;
import io.github.supervision.ServiceName;
import io.github.supervision.ServiceSignal;
import io.github.supervision.testsupport.RealDaemonTest;
import io.github.supervision.testsupport.Runsvdir;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the runit verbs beyond the classic actions (signal, enable, disable, and
 * reset-failed's absence), through the {@link ServiceCatalog} against a real
 * {@code runsvdir}, checked with {@code sv status}.
 *
 * @author Supervision contributors
 */
@RealDaemonTest
class RunitVerbsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@RegisterExtension
	static final Runsvdir runsvdir = Runsvdir.withServices((runsvdir) -> {
		runsvdir.service("traps", "trap 'echo usr1 >> signals.txt' USR1\ntrap 'echo usr2 >> signals.txt' USR2\n"
				+ "trap 'echo quit >> signals.txt' QUIT\nwhile :; do sleep 0.05; done", false);
		runsvdir.service("boot", "exec sleep 1000", false);
		runsvdir.service("down", "exec sleep 1000", true);
	});

	private static RunitBackend backend;

	private static ServiceCatalog catalog;

	@BeforeAll
	static void startCatalog() {
		backend = RunitBackendTests.createBackend(runsvdir);
		List<ServiceDefinition> definitions = List.of("traps", "boot", "down")
			.stream()
			.map((name) -> new ServiceDefinition(ServiceName.of(name), "runit", name,
					EnumSet.allOf(ServiceAction.class), false, null))
			.toList();
		catalog = new ServiceCatalog(definitions, List.of(backend), TIMEOUT, TIMEOUT);
		await().atMost(TIMEOUT).until(() -> Runsvdir.sv("status", dir("traps").toString()).startsWith("run:"));
	}

	@AfterAll
	static void stopCatalog() {
		if (catalog != null) {
			catalog.close();
		}
		if (backend != null) {
			backend.close();
		}
	}

	@Test
	void theListedActionsAreThoseRunitHas() {
		assertThat(catalog.getActions(ServiceName.of("traps")))
			.contains(ServiceAction.SIGNAL, ServiceAction.ENABLE, ServiceAction.DISABLE)
			.doesNotContain(ServiceAction.RESET_FAILED, ServiceAction.TRY_RESTART, ServiceAction.RELOAD_OR_RESTART);
	}

	@Test
	void signalsReachTheProcessByTheirLetters() throws Exception {
		ServiceName traps = ServiceName.of("traps");
		String pid = pidOf(Runsvdir.sv("status", dir("traps").toString()));
		for (ServiceSignal signal : List.of(ServiceSignal.USR1, ServiceSignal.USR2, ServiceSignal.QUIT)) {
			ActionResult result = catalog.signal(traps, signal);
			assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.DONE);
			assertThat(result.backendResult()).isEqualTo(signal.name());
			String word = signal.name().toLowerCase(Locale.ROOT);
			await().atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(Files.readString(dir("traps").resolve("signals.txt"))).contains(word));
		}
		assertThat(pidOf(Runsvdir.sv("status", dir("traps").toString()))).isEqualTo(pid);
	}

	@Test
	void aSignalRunitHasNoLetterForIsUnsupported() throws Exception {
		ActionResult result = catalog.signal(ServiceName.of("traps"), ServiceSignal.WINCH);
		assertThat(result.outcome()).isEqualTo(Outcome.UNSUPPORTED);
		assertThat(result.message()).contains("runsv", "SIGWINCH");
		assertThat(Runsvdir.sv("status", dir("traps").toString())).startsWith("run:");
	}

	@Test
	void aSignalToAServiceThatIsDownChangesNothing() throws Exception {
		ActionResult result = catalog.signal(ServiceName.of("down"), ServiceSignal.HUP);
		assertThat(result.outcome()).isEqualTo(Outcome.NO_CHANGE);
		assertThat(Runsvdir.sv("status", dir("down").toString())).startsWith("down:");
	}

	@Test
	void disableAndEnableWriteTheDownFileThatSvStatusReports() throws Exception {
		ServiceName boot = ServiceName.of("boot");
		ActionResult disabled = catalog.perform(boot, ServiceAction.DISABLE);
		assertThat(disabled.outcome()).as(disabled.message()).isEqualTo(Outcome.DONE);
		assertThat(dir("boot").resolve("down")).exists();
		assertThat(Runsvdir.sv("status", dir("boot").toString())).startsWith("run:").contains("normally down");
		assertThat(catalog.perform(boot, ServiceAction.DISABLE).outcome()).isEqualTo(Outcome.NO_CHANGE);
		ActionResult enabled = catalog.perform(boot, ServiceAction.ENABLE);
		assertThat(enabled.outcome()).as(enabled.message()).isEqualTo(Outcome.DONE);
		assertThat(dir("boot").resolve("down")).doesNotExist();
		assertThat(Runsvdir.sv("status", dir("boot").toString())).startsWith("run:").doesNotContain("normally down");
		assertThat(catalog.perform(boot, ServiceAction.ENABLE).outcome()).isEqualTo(Outcome.NO_CHANGE);
	}

	@Test
	void resetFailedIsUnsupportedWithTheReason() {
		ActionResult result = catalog.perform(ServiceName.of("boot"), ServiceAction.RESET_FAILED);
		assertThat(result.outcome()).isEqualTo(Outcome.UNSUPPORTED);
		assertThat(result.message()).contains("reset-failed", "failed state");
	}

	private static Path dir(String name) {
		return runsvdir.scan().resolve(name);
	}

	private static String pidOf(String svStatus) {
		int start = svStatus.indexOf("(pid ") + 5;
		return svStatus.substring(start, svStatus.indexOf(')', start));
	}

}
