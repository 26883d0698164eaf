package io.github.supervision.systemd;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;

import io.github.supervision.ActionResult;
import io.github.supervision.ActionResult.Outcome;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceCapability;
import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceDefinition;
import io.github.supervision.ServiceName;
import io.github.supervision.ServiceSignal;
import io.github.supervision.testsupport.RealDaemonTest;
import io.github.supervision.testsupport.SystemdSandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the verbs of {@link SystemdBackend} beyond jobs (enable, disable,
 * reset-failed, signal) and for try-restart and reload-or-restart, each through the
 * {@link ServiceCatalog} against a real systemd in a sandbox and checked with
 * {@code systemctl}.
 *
 * @author Supervision contributors
 */
@RealDaemonTest
class SystemdVerbsTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@RegisterExtension
	static final SystemdSandbox sandbox = SystemdSandbox.create()
		.unit("boot.service",
				SystemdSandbox.service("Enabled at boot", "/bin/sleep infinity", "")
						+ "\n[Install]\nWantedBy=multi-user.target\n")
		.unit("static.service", SystemdSandbox.service("No install section", "/bin/sleep infinity", ""))
		.unit("fails.service", """
				[Unit]
				Description=Fails at start
				DefaultDependencies=no

				[Service]
				Type=oneshot
				ExecStart=/bin/sh -c 'exit 3'
				""")
		.unit("trap.service",
				SystemdSandbox.service("Traps USR1",
						"/bin/sh -c 'trap \"echo usr1 >> /run/trap.log\" USR1; while :; do sleep 0.1; done'", ""))
		.unit("plain.service", SystemdSandbox.service("Plain", "/bin/sleep infinity", ""));

	private static SystemdBackend backend;

	private static ServiceCatalog catalog;

	@BeforeAll
	static void connect() {
		backend = new SystemdBackend(SystemdOptions.forAddress(sandbox.busAddress()));
		List<ServiceDefinition> definitions = List.of("boot", "static", "fails", "trap", "plain")
			.stream()
			.map((name) -> new ServiceDefinition(ServiceName.of(name), SystemdBackend.ID, name + ".service",
					EnumSet.allOf(ServiceAction.class), false, null))
			.toList();
		catalog = new ServiceCatalog(definitions, List.of(backend), TIMEOUT, TIMEOUT);
	}

	@AfterAll
	static void disconnect() {
		if (catalog != null) {
			catalog.close();
		}
		if (backend != null) {
			backend.close();
		}
	}

	@Test
	void everyVerbIsListedAsAnActionAndItsCapabilities() {
		assertThat(catalog.getActions(ServiceName.of("boot"))).contains(ServiceAction.ENABLE, ServiceAction.DISABLE,
				ServiceAction.RESET_FAILED, ServiceAction.SIGNAL, ServiceAction.TRY_RESTART,
				ServiceAction.RELOAD_OR_RESTART);
		assertThat(catalog.getCapabilities(ServiceName.of("boot"))).contains(ServiceCapability.ENABLE,
				ServiceCapability.RESET_FAILED, ServiceCapability.SIGNAL);
	}

	@Test
	void enableAndDisableChangeWhatSystemctlIsEnabledSays() {
		ServiceName boot = ServiceName.of("boot");
		ActionResult enabled = catalog.perform(boot, ServiceAction.ENABLE);
		assertThat(enabled.outcome()).as(enabled.message()).isEqualTo(Outcome.DONE);
		assertThat(enabled.backendResult()).isEqualTo("enabled");
		assertThat(enabled.message()).contains("multi-user.target.wants/boot.service");
		assertThat(isEnabled("boot.service")).isEqualTo("enabled");
		assertThat(catalog.perform(boot, ServiceAction.ENABLE).outcome()).isEqualTo(Outcome.NO_CHANGE);
		ActionResult disabled = catalog.perform(boot, ServiceAction.DISABLE);
		assertThat(disabled.outcome()).as(disabled.message()).isEqualTo(Outcome.DONE);
		assertThat(isEnabled("boot.service")).isEqualTo("disabled");
		assertThat(catalog.perform(boot, ServiceAction.DISABLE).outcome()).isEqualTo(Outcome.NO_CHANGE);
	}

	@Test
	void aUnitWithoutAnInstallSectionCannotBeEnabledAndTheAnswerSaysWhy() {
		ActionResult result = catalog.perform(ServiceName.of("static"), ServiceAction.ENABLE);
		assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
		assertThat(result.message()).contains("[Install]");
		assertThat(isEnabled("static.service")).isEqualTo("static");
	}

	@Test
	void resetFailedClearsWhatSystemctlIsFailedReports() {
		ServiceName fails = ServiceName.of("fails");
		assertThat(catalog.perform(fails, ServiceAction.START).outcome()).isEqualTo(Outcome.FAILED);
		assertThat(sandbox.systemctl("is-failed", "fails.service").output().strip()).isEqualTo("failed");
		ActionResult reset = catalog.perform(fails, ServiceAction.RESET_FAILED);
		assertThat(reset.outcome()).as(reset.message()).isEqualTo(Outcome.DONE);
		assertThat(sandbox.show("fails.service", "ActiveState")).containsEntry("ActiveState", "inactive");
		assertThat(reset.status()).isNotNull();
		assertThat(reset.status().rawState()).startsWith("inactive");
		assertThat(catalog.perform(fails, ServiceAction.RESET_FAILED).outcome()).isEqualTo(Outcome.NO_CHANGE);
	}

	@Test
	void signalReachesTheMainProcess() {
		ServiceName trap = ServiceName.of("trap");
		assertThat(catalog.perform(trap, ServiceAction.START).outcome()).isEqualTo(Outcome.DONE);
		long pid = Long.parseLong(sandbox.show("trap.service", "MainPID").get("MainPID"));
		await().atMost(Duration.ofSeconds(5)).until(() -> sandbox.catchesSignal(pid, ServiceSignal.USR1.number()));
		ActionResult result = catalog.signal(trap, ServiceSignal.USR1);
		assertThat(result.action()).isEqualTo(ServiceAction.SIGNAL);
		assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.DONE);
		assertThat(result.message()).contains("SIGUSR1");
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(sandbox.exec("/bin/cat", "/run/trap.log").output()).contains("usr1"));
		assertThat(sandbox.show("trap.service", "MainPID", "ActiveState")).containsEntry("MainPID", Long.toString(pid))
			.containsEntry("ActiveState", "active");
		ActionResult term = catalog.signal(trap, ServiceSignal.TERM);
		assertThat(term.outcome()).isEqualTo(Outcome.DONE);
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(sandbox.show("trap.service", "ActiveState").get("ActiveState"))
				.isIn("inactive", "failed"));
		assertThat(catalog.signal(trap, ServiceSignal.USR1).outcome()).isEqualTo(Outcome.NO_CHANGE);
	}

	@Test
	void tryRestartLeavesAStoppedUnitStoppedAndRestartsARunningOne() {
		ServiceName plain = ServiceName.of("plain");
		catalog.perform(plain, ServiceAction.STOP);
		ActionResult stopped = catalog.perform(plain, ServiceAction.TRY_RESTART);
		assertThat(stopped.outcome()).as(stopped.message()).isEqualTo(Outcome.NO_CHANGE);
		assertThat(sandbox.show("plain.service", "ActiveState")).containsEntry("ActiveState", "inactive");
		assertThat(catalog.perform(plain, ServiceAction.START).outcome()).isEqualTo(Outcome.DONE);
		String before = sandbox.show("plain.service", "MainPID").get("MainPID");
		ActionResult restarted = catalog.perform(plain, ServiceAction.TRY_RESTART);
		assertThat(restarted.outcome()).as(restarted.message()).isEqualTo(Outcome.DONE);
		String after = sandbox.show("plain.service", "MainPID").get("MainPID");
		assertThat(after).isNotEqualTo(before).isNotEqualTo("0");
		assertThat(restarted.status().pid()).isEqualTo(Long.parseLong(after));
	}

	@Test
	void reloadOrRestartRestartsAUnitThatCannotReload() {
		ServiceName plain = ServiceName.of("plain");
		catalog.perform(plain, ServiceAction.START);
		String before = sandbox.show("plain.service", "MainPID").get("MainPID");
		ActionResult result = catalog.perform(plain, ServiceAction.RELOAD_OR_RESTART);
		assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.DONE);
		assertThat(sandbox.show("plain.service", "MainPID", "ActiveState")).containsEntry("ActiveState", "active")
			.doesNotContainEntry("MainPID", before);
	}

	private static String isEnabled(String unit) {
		return sandbox.systemctl("is-enabled", unit).output().strip();
	}

}
