package io.github.supervision.supervisord;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;

import io.github.supervision.ActionResult;
import io.github.supervision.ActionResult.Outcome;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceDefinition;
import io.github.supervision.ServiceName;
import io.github.supervision.ServiceSignal;
import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import io.github.supervision.testsupport.RealDaemonTest;
import io.github.supervision.testsupport.SupervisordDaemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the supervisord verbs beyond the classic actions: signal through
 * {@code signalProcess}, and enable, disable and reset-failed, which supervisord does not
 * have, each through the {@link ServiceCatalog} against a real supervisord and checked
 * with {@code supervisorctl}.
 *
 * @author Supervision contributors
 */
@RealDaemonTest
class SupervisordVerbsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@RegisterExtension
	static final SupervisordDaemon daemon = SupervisordDaemon.withPrograms(
			"""
					[program:traps]
					; startsecs=1: RUNNING only once the traps are set
					command=/bin/sh -c "trap 'echo usr1 >> %(here)s/signals.txt' USR1; trap 'echo hup >> %(here)s/signals.txt' HUP; while :; do /bin/sleep 0.05; done"
					startsecs=1

					[program:idle]
					command=/bin/sleep 100000
					autostart=false
					startsecs=0

					[program:worker-a]
					command=/bin/sleep 100000
					autostart=false
					startsecs=0

					[program:worker-b]
					command=/bin/sleep 100000
					autostart=false
					startsecs=0

					[group:pool]
					programs=worker-a,worker-b
					""");

	private static SupervisordBackend backend;

	private static ServiceCatalog catalog;

	@BeforeAll
	static void startCatalog() {
		backend = SupervisordBackendTests.backend(daemon.unixUrl(), SupervisordDaemon.USERNAME,
				SupervisordDaemon.PASSWORD);
		List<ServiceDefinition> definitions = List.of("traps", "idle", "pool:*")
			.stream()
			.map((name) -> new ServiceDefinition(ServiceName.of(name.replace(":*", "")), "supervisord", name,
					EnumSet.allOf(ServiceAction.class), false, null))
			.toList();
		catalog = new ServiceCatalog(definitions, List.of(backend), TIMEOUT, TIMEOUT);
		await().atMost(Duration.ofSeconds(15)).until(() -> "RUNNING".equals(daemon.ctlStatus().get("traps")));
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
	void theListedActionsAreThoseSupervisordHas() {
		assertThat(catalog.getActions(ServiceName.of("traps"))).contains(ServiceAction.SIGNAL)
			.doesNotContain(ServiceAction.ENABLE, ServiceAction.DISABLE, ServiceAction.RESET_FAILED,
					ServiceAction.TRY_RESTART, ServiceAction.RELOAD_OR_RESTART, ServiceAction.ONCE);
	}

	@Test
	void signalProcessDeliversTheNamedSignal() throws Exception {
		long pid = daemon.ctlPid("traps");
		ActionResult result = catalog.signal(ServiceName.of("traps"), ServiceSignal.USR1);
		assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.DONE);
		assertThat(result.message()).contains("SIGUSR1");
		Path signals = daemon.directory().resolve("signals.txt");
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(Files.readString(signals)).contains("usr1"));
		assertThat(daemon.ctlStatus()).containsEntry("traps", "RUNNING");
		assertThat(daemon.ctlPid("traps")).isEqualTo(pid);
		assertThat(result.status()).isNotNull();
		assertThat(result.status().pid()).isEqualTo(pid);
	}

	@Test
	void aSignalToAStoppedProgramChangesNothing() throws Exception {
		ActionResult result = catalog.signal(ServiceName.of("idle"), ServiceSignal.HUP);
		assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.NO_CHANGE);
		assertThat(daemon.ctlStatus()).containsEntry("idle", "STOPPED");
	}

	@Test
	void aWholeGroupIsOneServiceActedOnInOneCall() throws Exception {
		ServiceName pool = ServiceName.of("pool");
		ServiceStatus stopped = catalog.status(pool);
		assertThat(stopped.state()).isEqualTo(ServiceState.STOPPED);
		assertThat(stopped.details()).containsEntry("group", "pool")
			.containsEntry("members", "pool:worker-a STOPPED, pool:worker-b STOPPED");
		ActionResult started = catalog.perform(pool, ServiceAction.START);
		assertThat(started.outcome()).as(started.message()).isEqualTo(Outcome.DONE);
		assertThat(daemon.ctlStatus()).containsEntry("pool:worker-a", "RUNNING")
			.containsEntry("pool:worker-b", "RUNNING");
		assertThat(started.status().state()).isEqualTo(ServiceState.RUNNING);
		assertThat(started.status().details().get("members"))
			.contains("pool:worker-a RUNNING (pid " + daemon.ctlPid("pool:worker-a") + ")");
		assertThat(catalog.perform(pool, ServiceAction.START).outcome()).isEqualTo(Outcome.NO_CHANGE);
		daemon.supervisorctl("stop", "pool:worker-b");
		ServiceStatus partial = catalog.status(pool);
		assertThat(partial.state()).isEqualTo(ServiceState.FAILED);
		assertThat(partial.rawState()).isEqualTo("PARTIAL");
		assertThat(partial.message()).contains("1 of 2");
		long before = daemon.ctlPid("pool:worker-a");
		ActionResult restarted = catalog.perform(pool, ServiceAction.RESTART);
		assertThat(restarted.outcome()).as(restarted.message()).isEqualTo(Outcome.DONE);
		assertThat(daemon.ctlStatus()).containsEntry("pool:worker-a", "RUNNING")
			.containsEntry("pool:worker-b", "RUNNING");
		assertThat(daemon.ctlPid("pool:worker-a")).isNotEqualTo(before);
		ActionResult signalled = catalog.signal(pool, ServiceSignal.CONT);
		assertThat(signalled.outcome()).as(signalled.message()).isEqualTo(Outcome.DONE);
		ActionResult stoppedAgain = catalog.perform(pool, ServiceAction.STOP);
		assertThat(stoppedAgain.outcome()).as(stoppedAgain.message()).isEqualTo(Outcome.DONE);
		assertThat(daemon.ctlStatus()).containsEntry("pool:worker-a", "STOPPED")
			.containsEntry("pool:worker-b", "STOPPED");
		assertThat(catalog.perform(pool, ServiceAction.STOP).outcome()).isEqualTo(Outcome.NO_CHANGE);
	}

	@Test
	void enableAndDisableAreUnsupportedWithTheReason() throws Exception {
		for (ServiceAction action : List.of(ServiceAction.ENABLE, ServiceAction.DISABLE)) {
			ActionResult result = catalog.perform(ServiceName.of("idle"), action);
			assertThat(result.outcome()).isEqualTo(Outcome.UNSUPPORTED);
			assertThat(result.message()).contains("cannot persist", "autostart");
		}
		assertThat(daemon.ctlStatus()).containsEntry("idle", "STOPPED");
	}

}
