package io.github.supervision.systemd;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.github.supervision.ActionResult;
import io.github.supervision.ActionResult.Outcome;
import io.github.supervision.InvalidServiceNameException;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import io.github.supervision.Subscription;
import io.github.supervision.UnknownServiceException;
import io.github.supervision.testsupport.RealDaemonTest;
import io.github.supervision.testsupport.RealDaemons;
import io.github.supervision.testsupport.SystemdSandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link SystemdBackend} against a real systemd booted in a private namespace,
 * compared with what {@code systemctl show} reports inside it.
 *
 * @author Supervision contributors
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@RealDaemonTest
class SystemdBackendTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final String LONG = "long.service";

	private static final String ESCAPED = "a\\x2db.service";

	private static final int MANY = 200;

	/**
	 * A unit that runs until it is stopped.
	 */
	static final String LONG_RUNNING_UNIT = SystemdSandbox.service("Long running test service", "/bin/sleep infinity",
			"");

	/**
	 * A unit that takes two seconds to stop once its shell traps TERM.
	 */
	static final String SLOW_STOP_UNIT = SystemdSandbox.service("Slow to stop",
			"/bin/sh -c 'trap \"sleep 2; exit 0\" TERM; while :; do sleep 0.1; done'", "KillMode=mixed\n");

	@RegisterExtension
	static final SystemdSandbox sandbox = withUnits(SystemdSandbox.create());

	private static SystemdBackend backend;

	private static SystemdSandbox withUnits(SystemdSandbox sandbox) {
		sandbox.unit(LONG, LONG_RUNNING_UNIT);
		sandbox.unit("kill-me.service", SystemdSandbox.service("Service to kill", "/bin/sleep infinity", ""));
		sandbox.unit("fails.service", """
				[Unit]
				Description=Fails at start
				DefaultDependencies=no

				[Service]
				Type=oneshot
				ExecStart=/bin/sh -c 'exit 3'
				""");
		sandbox.unit("condition.service", """
				[Unit]
				Description=Condition never met
				DefaultDependencies=no
				ConditionPathExists=/nonexistent/supervision

				[Service]
				ExecStart=/bin/sleep infinity
				""");
		sandbox.unit("slow-stop.service", SLOW_STOP_UNIT);
		sandbox.unit("slow-start.service", SystemdSandbox.service("Slow to start", "/bin/sleep infinity",
				"ExecStartPre=/bin/sh -c 'echo start >> /run/slow-start.count; sleep 1'\n"));
		sandbox.unit("x@.service", SystemdSandbox.service("Instance %i", "/bin/sleep infinity", ""));
		sandbox.unit("my-app.service", SystemdSandbox.service("Name with a dash", "/bin/sleep infinity", ""));
		sandbox.unit(ESCAPED, SystemdSandbox.service("Name with an escape", "/bin/sleep infinity", ""));
		sandbox.unit("reloadable.service",
				SystemdSandbox.service("Reloadable",
						"/bin/sh -c 'trap \"echo reloaded\" HUP; while :; do sleep 0.1; done'",
						"ExecReload=/bin/kill -HUP $MAINPID\n"));
		sandbox.unit("restarts.service", SystemdSandbox.service("Restarts", "/bin/sh -c 'sleep 0.2; exit 7'",
				"Restart=always\nRestartSec=100ms\n"));
		sandbox.unit("masked.service", SystemdSandbox.service("Masked", "/bin/sleep infinity", ""));
		sandbox.unit("enable-me.service", SystemdSandbox.service("Enable me", "/bin/sleep infinity", "")
				+ "\n[Install]\nWantedBy=multi-user.target\n");
		sandbox.unit("needs-missing.service", SystemdSandbox.service("Needs a missing unit", "/bin/sleep infinity", "")
			.replace("DefaultDependencies=no", "DefaultDependencies=no\nRequires=missing-dependency.service"));
		sandbox.unit("needs-sysinit.service", """
				[Unit]
				Description=Default dependencies on sysinit.target, which the sandbox lacks

				[Service]
				ExecStart=/bin/sleep infinity
				""");
		for (int i = 0; i < MANY; i++) {
			sandbox.unit("many-" + i + ".service", SystemdSandbox.service("Many " + i, "/bin/sleep infinity", ""));
		}
		return sandbox;
	}

	@BeforeAll
	static void connect() {
		backend = new SystemdBackend(SystemdOptions.forAddress(sandbox.busAddress()));
	}

	@AfterAll
	static void disconnect() {
		if (backend != null) {
			backend.close();
		}
	}

	@Test
	void statusMatchesWhatSystemctlShows() {
		systemctl("start", LONG, "my-app.service");
		Map<String, ServiceStatus> statuses = backend.status(List.of(LONG, "my-app.service", "x@never.service"),
				TIMEOUT);
		assertThat(statuses).containsOnlyKeys(LONG, "my-app.service", "x@never.service");
		for (String unit : List.of(LONG, "my-app.service")) {
			Map<String, String> show = sandbox.show(unit, "ActiveState", "SubState", "MainPID", "NRestarts",
					"Description", "LoadState", "UnitFileState");
			ServiceStatus status = statuses.get(unit);
			assertThat(status.state()).isEqualTo(ServiceState.RUNNING);
			assertThat(status.rawState()).isEqualTo(show.get("ActiveState") + "/" + show.get("SubState"));
			assertThat(status.pid()).isEqualTo(Long.parseLong(show.get("MainPID")));
			assertThat(status.restarts()).isEqualTo(Integer.parseInt(show.get("NRestarts")));
			assertThat(status.description()).isEqualTo(show.get("Description"));
			assertThat(status.details()).containsEntry("loadState", show.get("LoadState"))
				.containsEntry("unitFileState", show.get("UnitFileState"));
			assertThat(status.since()).isNotNull();
			assertThat(status.backend()).isEqualTo("systemd");
			assertThat(status.target()).isEqualTo(unit);
		}
		assertThat(statuses.get("x@never.service").state()).isEqualTo(ServiceState.STOPPED);
		assertThat(statuses.get("x@never.service").rawState()).isEqualTo("inactive/dead");
		assertThat(statuses.get("x@never.service").pid()).isNull();
	}

	@Test
	void statusCostsOneBusCallPerRequestWithoutTheCache() throws Exception {
		RealDaemons.requireExecutables("/usr/bin/dbus-monitor");
		List<String> units = List.of(LONG, "my-app.service", "x@e.service", "x@f.service", "fails.service");
		systemctl("start", "x@e.service", "x@f.service");
		try (SystemdBackend uncached = new SystemdBackend(
				SystemdOptions.forAddress(sandbox.busAddress()).withStatusCacheTtl(Duration.ZERO))) {
			statusCostsOneBusCall(uncached, units);
		}
	}

	private static void statusCostsOneBusCall(SystemdBackend backend, List<String> units) throws Exception {
		backend.status(units, TIMEOUT);
		Path log = Files.createTempFile(sandbox.unitDirectory().getParent(), "monitor", ".log");
		Process monitor = new ProcessBuilder("/usr/bin/dbus-monitor", "--address", sandbox.busAddress(), "--monitor",
				"type='method_call',destination='org.freedesktop.systemd1'")
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		try {
			await().atMost(Duration.ofSeconds(5)).until(() -> Files.readString(log).contains("NameAcquired"));
			for (int i = 0; i < 3; i++) {
				assertThat(backend.status(units, TIMEOUT)).hasSize(5)
					.allSatisfy((unit, status) -> assertThat(status.state()).isNotEqualTo(ServiceState.UNKNOWN));
			}
			await().atMost(Duration.ofSeconds(5))
				.until(() -> Files.readString(log).split("member=ListUnitsByNames", -1).length - 1 >= 3);
			// a fourth call, if the cache let one through, would follow the third at once
			await().during(Duration.ofMillis(200))
				.atMost(Duration.ofSeconds(2))
				.until(() -> Files.readString(log).split("member=ListUnitsByNames", -1).length - 1 == 3);
		}
		finally {
			monitor.destroy();
			monitor.waitFor(5, TimeUnit.SECONDS);
		}
		List<String> calls = Files.readAllLines(log).stream().filter((line) -> line.startsWith("method call")).toList();
		assertThat(calls).hasSize(3).allMatch((line) -> line.endsWith("member=ListUnitsByNames"));
	}

	@Test
	void firstStatusOfManyUnitsStaysWithinTheBusLimitOnPendingReplies() {
		List<String> units = IntStream.range(0, MANY).mapToObj((i) -> "many-" + i + ".service").toList();
		try (SystemdBackend fresh = new SystemdBackend(SystemdOptions.forAddress(sandbox.busAddress()))) {
			Map<String, ServiceStatus> statuses = fresh.status(units, TIMEOUT);
			assertThat(statuses).hasSize(MANY);
			assertThat(statuses.values()).allSatisfy((status) -> {
				assertThat(status.state()).isEqualTo(ServiceState.STOPPED);
				assertThat(status.details()).containsEntry("unitFileState", "static");
			});
		}
	}

	@Test
	void unknownUnitIsUnknownAndCannotBeStarted() {
		ServiceStatus status = backend.status(List.of("nope.service"), TIMEOUT).get("nope.service");
		assertThat(status.state()).isEqualTo(ServiceState.UNKNOWN);
		assertThat(status.message()).contains("no unit named 'nope.service'");
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> backend.perform("nope.service", ServiceAction.START, TIMEOUT).get())
			.withCauseInstanceOf(UnknownServiceException.class);
	}

	@Test
	void startRefusedForAMissingDependencyNamesThatUnitInSystemdsOwnWords() throws Exception {
		Map<String, String> missing = Map.of("needs-missing.service", "missing-dependency.service",
				"needs-sysinit.service", "sysinit.target");
		for (Map.Entry<String, String> entry : missing.entrySet()) {
			String unit = entry.getKey();
			String words = "Unit " + entry.getValue() + " not found.";
			SystemdSandbox.Result systemctl = sandbox.systemctl("start", unit);
			assertThat(systemctl.exitCode()).isNotZero();
			assertThat(systemctl.output()).contains(words);
			ActionResult result = backend.perform(unit, ServiceAction.START, TIMEOUT).get();
			assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
			assertThat(result.message()).contains(words)
				.contains(entry.getValue() + ", which " + unit + " depends on,")
				.doesNotContain("no unit named");
			assertThat(result.backendResult()).isEqualTo(SystemdErrors.NO_SUCH_UNIT);
			assertThat(result.status().state()).isEqualTo(ServiceState.STOPPED);
		}
	}

	@Test
	void invalidNamesNeverReachTheBus() {
		assertThatExceptionOfType(InvalidServiceNameException.class)
			.isThrownBy(() -> backend.perform("../etc/passwd", ServiceAction.START, TIMEOUT));
		assertThatExceptionOfType(InvalidServiceNameException.class)
			.isThrownBy(() -> backend.validateTarget("x@.service"));
	}

	@Test
	void startsAStoppedUnitAndReadsItBack() throws Exception {
		systemctl("stop", LONG);
		ActionResult result = backend.perform(LONG, ServiceAction.START, TIMEOUT).get();
		assertThat(result.outcome()).isEqualTo(Outcome.DONE);
		assertThat(result.backendResult()).isEqualTo("done");
		assertThat(result.status().state()).isEqualTo(ServiceState.RUNNING);
		assertThat(result.status().pid()).isEqualTo(Long.parseLong(sandbox.show(LONG, "MainPID").get("MainPID")));
		assertThat(sandbox.show(LONG, "ActiveState")).containsEntry("ActiveState", "active");
		ActionResult again = backend.perform(LONG, ServiceAction.START, TIMEOUT).get();
		assertThat(again.outcome()).isEqualTo(Outcome.NO_CHANGE);
	}

	@Test
	void stopsAndRestartsAUnit() throws Exception {
		systemctl("start", "my-app.service");
		String pidBefore = sandbox.show("my-app.service", "MainPID").get("MainPID");
		ActionResult restarted = backend.perform("my-app.service", ServiceAction.RESTART, TIMEOUT).get();
		assertThat(restarted.outcome()).isEqualTo(Outcome.DONE);
		String pidAfter = sandbox.show("my-app.service", "MainPID").get("MainPID");
		assertThat(pidAfter).isNotEqualTo(pidBefore);
		assertThat(restarted.status().pid()).isEqualTo(Long.parseLong(pidAfter));
		ActionResult stopped = backend.perform("my-app.service", ServiceAction.STOP, TIMEOUT).get();
		assertThat(stopped.outcome()).isEqualTo(Outcome.DONE);
		assertThat(stopped.status().state()).isEqualTo(ServiceState.STOPPED);
		assertThat(stopped.status().pid()).isNull();
		assertThat(sandbox.show("my-app.service", "ActiveState")).containsEntry("ActiveState", "inactive");
		assertThat(backend.perform("my-app.service", ServiceAction.STOP, TIMEOUT).get().outcome())
			.isEqualTo(Outcome.NO_CHANGE);
	}

	@Test
	void failedStartIsReportedWithTheJobResultAndExitStatus() throws Exception {
		ActionResult result = backend.perform("fails.service", ServiceAction.START, TIMEOUT).get();
		assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
		assertThat(result.backendResult()).isEqualTo("failed");
		assertThat(result.message()).contains("journalctl -u fails.service");
		Map<String, String> show = sandbox.show("fails.service", "ActiveState", "ExecMainStatus", "Result");
		assertThat(show).containsEntry("ActiveState", "failed").containsEntry("ExecMainStatus", "3");
		assertThat(result.status().state()).isEqualTo(ServiceState.FAILED);
		assertThat(result.status().exitStatus()).isEqualTo(3);
		assertThat(result.status().details()).containsEntry("result", show.get("Result"));
	}

	@Test
	void startWhoseConditionFailsIsNotReportedAsDone() throws Exception {
		ActionResult result = backend.perform("condition.service", ServiceAction.START, TIMEOUT).get();
		assertThat(sandbox.show("condition.service", "ActiveState", "ConditionResult"))
			.containsEntry("ActiveState", "inactive")
			.containsEntry("ConditionResult", "no");
		assertThat(result.backendResult()).isEqualTo("done");
		assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
		assertThat(result.message()).contains("Condition");
		assertThat(result.status().state()).isEqualTo(ServiceState.STOPPED);
	}

	@Test
	void templatedInstanceAndEscapedNamesWork() throws Exception {
		for (String unit : List.of("x@a.service", ESCAPED, "my-app.service")) {
			ActionResult result = backend.perform(unit, ServiceAction.START, TIMEOUT).get();
			assertThat(result.isSuccessful()).as(unit).isTrue();
			Map<String, String> show = sandbox.show(unit, "MainPID", "ActiveState", "Description");
			assertThat(show).containsEntry("ActiveState", "active");
			ServiceStatus status = backend.status(List.of(unit), TIMEOUT).get(unit);
			assertThat(status.pid()).as(unit).isEqualTo(Long.parseLong(show.get("MainPID")));
			assertThat(status.description()).isEqualTo(show.get("Description"));
			String path = busctl("call", "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
					"org.freedesktop.systemd1.Manager", "GetUnit", "s", unit);
			assertThat(path.strip()).isEqualTo("o \"" + UnitNames.objectPath(unit) + "\"");
		}
		assertThat(sandbox.show("x@a.service", "Description")).containsEntry("Description", "Instance a");
	}

	@Test
	void reloadIsUnsupportedWithoutExecReload() throws Exception {
		systemctl("start", LONG, "reloadable.service");
		awaitTrap("reloadable.service", 1);
		ActionResult unsupported = backend.perform(LONG, ServiceAction.RELOAD, TIMEOUT).get();
		assertThat(unsupported.outcome()).isEqualTo(Outcome.UNSUPPORTED);
		ActionResult reloaded = backend.perform("reloadable.service", ServiceAction.RELOAD, TIMEOUT).get();
		assertThat(reloaded.outcome()).isEqualTo(Outcome.DONE);
		assertThat(reloaded.status().state()).isEqualTo(ServiceState.RUNNING);
		assertThat(backend.supportedActions()).doesNotContain(ServiceAction.PAUSE);
	}

	@Test
	void killSendsSigkillAndReadsTheResultBack() throws Exception {
		systemctl("start", "kill-me.service");
		long pid = Long.parseLong(sandbox.show("kill-me.service", "MainPID").get("MainPID"));
		assertThat(pid).isPositive();
		ActionResult result = backend.perform("kill-me.service", ServiceAction.KILL, TIMEOUT).get();
		assertThat(result.outcome()).isEqualTo(Outcome.DONE);
		assertThat(sandbox.show("kill-me.service", "ActiveState", "Result")).containsEntry("ActiveState", "failed")
			.containsEntry("Result", "signal");
		assertThat(result.status().state()).isEqualTo(ServiceState.FAILED);
		assertThat(backend.perform("kill-me.service", ServiceAction.KILL, TIMEOUT).get().outcome())
			.isEqualTo(Outcome.NO_CHANGE);
		assertThat(backend.pendingWaiters()).isZero();
	}

	@Test
	void slowStopTimesOutAtOurDeadlineAndLeaksNoWait() throws Exception {
		startSlowStop();
		long start = System.nanoTime();
		ActionResult result = backend.perform("slow-stop.service", ServiceAction.STOP, Duration.ofMillis(400)).get();
		long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		assertThat(result.outcome()).isEqualTo(Outcome.TIMEOUT);
		assertThat(elapsed).isLessThan(2000);
		assertThat(sandbox.show("slow-stop.service", "ActiveState")).containsEntry("ActiveState", "deactivating");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(sandbox.show("slow-stop.service", "ActiveState"))
				.containsEntry("ActiveState", "inactive"));
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(backend.pendingJobs()).isZero());
	}

	@Test
	void concurrentActionsOnOneUnitGetAConsistentAnswer() throws Exception {
		systemctl("stop", "x@b.service");
		List<CompletableFuture<ActionResult>> results = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			results.add(backend.perform("x@b.service", ServiceAction.START, TIMEOUT));
		}
		for (CompletableFuture<ActionResult> future : results) {
			ActionResult result = future.get(15, TimeUnit.SECONDS);
			assertThat(result.isSuccessful()).isTrue();
			assertThat(result.status().state()).isEqualTo(ServiceState.RUNNING);
		}
		String pid = sandbox.show("x@b.service", "MainPID").get("MainPID");
		assertThat(backend.status(List.of("x@b.service"), TIMEOUT).get("x@b.service").pid())
			.isEqualTo(Long.parseLong(pid));
		assertThat(backend.pendingJobs()).isZero();
	}

	@Test
	void listenersSeeChangesMadeOutsideFromSignals() {
		systemctl("stop", "x@c.service");
		backend.status(List.of("x@c.service"), TIMEOUT);
		List<ServiceStatus> seen = new CopyOnWriteArrayList<>();
		try (Subscription subscription = backend.watch(seen::add)) {
			systemctl("start", "x@c.service");
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(seen).anyMatch((status) -> status.target().equals("x@c.service")
						&& status.state() == ServiceState.RUNNING && status.pid() != null));
			long pid = Long.parseLong(sandbox.show("x@c.service", "MainPID").get("MainPID"));
			assertThat(seen).anyMatch((status) -> status.pid() != null && status.pid() == pid);
			systemctl("stop", "x@c.service");
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(seen.get(seen.size() - 1).state()).isEqualTo(ServiceState.STOPPED));
		}
		int count = seen.size();
		systemctl("start", "x@c.service");
		assertThat(seen).hasSize(count);
	}

	@Test
	void listenersHearOfUnitsTheBackendOnlyActedOn() throws Exception {
		List<ServiceStatus> seen = new CopyOnWriteArrayList<>();
		try (Subscription subscription = backend.watch(seen::add)) {
			assertThat(backend.perform("x@g.service", ServiceAction.START, TIMEOUT).get().outcome())
				.isEqualTo(Outcome.DONE);
			systemctl("stop", "x@g.service");
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(seen).anyMatch(
						(status) -> status.target().equals("x@g.service") && status.state() == ServiceState.STOPPED));
		}
	}

	@Test
	void restartCountAndExitStatusFollowSystemdSignals() {
		backend.status(List.of("restarts.service"), TIMEOUT);
		systemctl("start", "restarts.service");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> Integer.parseInt(sandbox.show("restarts.service", "NRestarts").get("NRestarts")) >= 2);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			int before = Integer.parseInt(sandbox.show("restarts.service", "NRestarts").get("NRestarts"));
			ServiceStatus status = backend.status(List.of("restarts.service"), TIMEOUT).get("restarts.service");
			int after = Integer.parseInt(sandbox.show("restarts.service", "NRestarts").get("NRestarts"));
			assertThat(status.restarts()).isBetween(before, after);
			assertThat(status.exitStatus()).isEqualTo(7);
		});
		systemctl("stop", "restarts.service");
	}

	@Test
	void maskedUnitGivesAClearMessage() throws Exception {
		systemctl("mask", "masked.service");
		try {
			ServiceStatus status = backend.status(List.of("masked.service"), TIMEOUT).get("masked.service");
			assertThat(status.details()).containsEntry("loadState", "masked");
			assertThat(status.message()).contains("masked");
			ActionResult result = backend.perform("masked.service", ServiceAction.START, TIMEOUT).get();
			assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
			assertThat(result.message()).contains("masked").contains("systemctl unmask masked.service");
		}
		finally {
			systemctl("unmask", "masked.service");
		}
	}

	@Test
	void enablesAndDisablesUnitFilesAndReloadsTheDaemon() throws Exception {
		EnableResult enabled = backend.enable(List.of("enable-me.service"), false, false, TIMEOUT);
		assertThat(enabled.carriesInstallInfo()).isTrue();
		assertThat(enabled.changes()).anyMatch((change) -> change.type().equals("symlink")
				&& change.file().endsWith("multi-user.target.wants/enable-me.service"));
		assertThat(sandbox.configDirectory().resolve("multi-user.target.wants/enable-me.service")).exists();
		assertThat(sandbox.systemctl("is-enabled", "enable-me.service").output().strip()).isEqualTo("enabled");
		assertThat(backend.unitFileState("enable-me.service", TIMEOUT)).isEqualTo("enabled");
		List<UnitFileChange> disabled = backend.disable(List.of("enable-me.service"), false, TIMEOUT);
		assertThat(disabled).anyMatch((change) -> change.type().equals("unlink"));
		assertThat(sandbox.configDirectory().resolve("multi-user.target.wants/enable-me.service")).doesNotExist();
		assertThat(sandbox.systemctl("is-enabled", "enable-me.service").output().strip()).isEqualTo("disabled");
		sandbox.unit("added-later.service", SystemdSandbox.service("Added later", "/bin/sleep infinity", ""));
		backend.daemonReload(TIMEOUT);
		ActionResult started = backend.perform("added-later.service", ServiceAction.START, TIMEOUT).get();
		assertThat(started.outcome()).isEqualTo(Outcome.DONE);
		assertThat(sandbox.show("added-later.service", "ActiveState")).containsEntry("ActiveState", "active");
		assertThat(Files.exists(sandbox.unitDirectory().resolve("added-later.service"))).isTrue();
	}

	@Test
	void discoversUnitsByPatternReadOnly() {
		systemctl("start", "x@d.service");
		try (SystemdBackend discovering = new SystemdBackend(new SystemdOptions(sandbox.busAddress(),
				SystemdScope.SYSTEM, List.of("x@*.service"), null, null, null))) {
			List<ServiceStatus> discovered = discovering.discover(TIMEOUT);
			assertThat(discovered).extracting(ServiceStatus::target)
				.contains("x@d.service")
				.allMatch((name) -> name.startsWith("x@"));
			assertThat(discovered).filteredOn((status) -> status.target().equals("x@d.service"))
				.singleElement()
				.satisfies((status) -> assertThat(status.state()).isEqualTo(ServiceState.RUNNING));
		}
		assertThat(backend.discover(TIMEOUT)).isEmpty();
	}

	@Test
	@Order(Integer.MAX_VALUE)
	void survivesTheBusGoingAwayWithoutReplayingAnAction() throws Exception {
		systemctl("start", LONG, "slow-start.service");
		startSlowStop();
		assertThat(starts()).isEqualTo(1);
		assertThat(backend.status(List.of(LONG), TIMEOUT).get(LONG).state()).isEqualTo(ServiceState.RUNNING);
		assertThat(backend.availability().available()).isTrue();
		CompletableFuture<ActionResult> stopping = backend.perform("slow-stop.service", ServiceAction.STOP, TIMEOUT);
		CompletableFuture<ActionResult> restarting = backend.perform("slow-start.service", ServiceAction.RESTART,
				TIMEOUT);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> "deactivating".equals(sandbox.show("slow-stop.service", "ActiveState").get("ActiveState"))
					&& "activating".equals(sandbox.show("slow-start.service", "ActiveState").get("ActiveState")));
		List<Long> busBefore = sandbox.processes("dbus-daemon");
		sandbox.killBus();
		for (ActionResult lost : List.of(stopping.get(5, TimeUnit.SECONDS), restarting.get(5, TimeUnit.SECONDS))) {
			assertThat(lost.outcome()).isEqualTo(Outcome.TIMEOUT);
			assertThat(lost.message()).contains("dropped").contains("not repeated");
		}
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(backend.availability().available()).isTrue();
			assertThat(sandbox.processes("dbus-daemon")).isNotEmpty().doesNotContainAnyElementsOf(busBefore);
		});
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(sandbox.show("slow-stop.service", "ActiveState"))
				.containsEntry("ActiveState", "inactive"));
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(sandbox.show("slow-start.service", "ActiveState"))
				.containsEntry("ActiveState", "active"));
		// a replayed restart would run the unit's ExecStartPre a third time
		await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> starts() == 2);
		assertThat(starts()).isEqualTo(2);
		assertThat(sandbox.show("slow-start.service", "ActiveState")).containsEntry("ActiveState", "active");
		assertThat(sandbox.show("slow-stop.service", "ActiveState")).containsEntry("ActiveState", "inactive");
		ActionResult stopped = backend.perform(LONG, ServiceAction.STOP, TIMEOUT).get();
		assertThat(stopped.outcome()).isEqualTo(Outcome.DONE);
		assertThat(backend.status(List.of(LONG), TIMEOUT).get(LONG).state()).isEqualTo(ServiceState.STOPPED);
		assertThat(backend.pendingJobs()).isZero();
	}

	private static int starts() {
		SystemdSandbox.Result count = sandbox.exec("/bin/cat", "/run/slow-start.count");
		assertThat(count.exitCode()).as(count.output()).isZero();
		return (int) count.output().lines().filter("start"::equals).count();
	}

	private static void startSlowStop() {
		systemctl("start", "slow-stop.service");
		awaitTrap("slow-stop.service", 15);
	}

	private static void awaitTrap(String unit, int signal) {
		long pid = Long.parseLong(sandbox.show(unit, "MainPID").get("MainPID"));
		// systemd reports a simple service started before its shell has set its trap
		await().atMost(Duration.ofSeconds(5)).until(() -> sandbox.catchesSignal(pid, signal));
	}

	private static void systemctl(String... args) {
		SystemdSandbox.Result result = sandbox.systemctl(args);
		assertThat(result.exitCode()).as("systemctl %s: %s", String.join(" ", args), result.output()).isZero();
	}

	private static String busctl(String... args) {
		List<String> command = new ArrayList<>(List.of("/usr/bin/busctl", "--address=" + sandbox.busAddress()));
		command.addAll(List.of(args));
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
			return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
