package io.github.supervision.supervisord;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.github.supervision.ActionResult;
import io.github.supervision.ActionResult.Outcome;
import io.github.supervision.BackendUnavailableException;
import io.github.supervision.InvalidServiceNameException;
import io.github.supervision.PermissionDeniedException;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceCapability;
import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceDefinition;
import io.github.supervision.ServiceLog;
import io.github.supervision.ServiceName;
import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import io.github.supervision.Subscription;
import io.github.supervision.UnknownServiceException;
import io.github.supervision.testsupport.Commands;
import io.github.supervision.testsupport.RealDaemonTest;
import io.github.supervision.testsupport.SupervisordDaemon;
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
 * Tests for {@link SupervisordBackend} against a real supervisord started for the class.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@RealDaemonTest
class SupervisordBackendTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final String PROGRAMS = """
			[program:web]
			command=/bin/sleep 100000
			startsecs=1
			stopwaitsecs=2

			[program:api]
			command=/bin/sh -c "echo api-says-hello; echo api-complains >&2; exec /bin/sleep 100000"
			startsecs=0
			stdout_logfile=%(here)s/api.out
			stderr_logfile=%(here)s/api.err

			[program:idle]
			command=/bin/sleep 100000
			autostart=false
			startsecs=0

			[program:broken]
			command=/bin/sh -c "exit 3"
			; supervisord may notice an exit a second late; startsecs=1 would then count it as started
			startsecs=5
			startretries=0
			autorestart=false

			[program:stubborn]
			command=/bin/sh -c "trap '' TERM; while :; do /bin/sleep 0.2; done"
			startsecs=0
			stopwaitsecs=1
			killasgroup=true

			[program:missing]
			command=/nonexistent/supervision-test-binary
			autostart=false
			startsecs=0

			[program:notexec]
			command=%(here)s/not-executable.sh
			autostart=false
			startsecs=0

			[program:worker-a]
			command=/bin/sleep 100000
			startsecs=0

			[program:worker-b]
			command=/bin/sleep 100000
			startsecs=0

			[group:pool]
			programs=worker-a,worker-b

			[program:leaving]
			command=/bin/sleep 100000
			startsecs=0

			[program:changing]
			command=/bin/sleep 100000
			startsecs=0

			[program:slow-a]
			command=/bin/sh -c "trap 'sleep 3; exit 0' TERM; /bin/sleep 100000 & wait"
			startsecs=0
			stopwaitsecs=10
			stopasgroup=true

			[program:slow-b]
			command=/bin/sh -c "trap 'sleep 3; exit 0' TERM; /bin/sleep 100000 & wait"
			startsecs=0
			stopwaitsecs=10
			stopasgroup=true

			[program:slowstart]
			command=/bin/sleep 100000
			autostart=false
			startsecs=3

			[program:slowstop]
			; startsecs=1: RUNNING only once the trap is set, since a TERM before it ends the shell at once
			command=/bin/sh -c "trap 'sleep 2.5; exit 0' TERM; /bin/sleep 100000 & wait"
			startsecs=1
			stopwaitsecs=10
			stopasgroup=true
			""";

	@RegisterExtension
	static final SupervisordDaemon daemon = SupervisordDaemon.withPrograms(PROGRAMS).beforeStart((daemon) -> {
		Path script = daemon.directory().resolve("not-executable.sh");
		Files.writeString(script, "#!/bin/sh\nexec /bin/sleep 100000\n");
		Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
	});

	private static SupervisordBackend backend;

	@BeforeAll
	static void startBackend() throws Exception {
		backend = backend(daemon.unixUrl(), SupervisordDaemon.USERNAME, SupervisordDaemon.PASSWORD);
		awaitState("broken", "FATAL");
		awaitState("web", "RUNNING");
	}

	@AfterAll
	static void stopBackend() {
		if (backend != null) {
			backend.close();
		}
	}

	/**
	 * Create a backend as these tests do: a 2 s connect timeout, two connections, a 4 MB
	 * answer limit, a 5 s read timeout, discovering.
	 * @param url the server's URL
	 * @param username the user name
	 * @param password the password
	 * @return the backend
	 */
	static SupervisordBackend backend(String url, String username, String password) {
		return new SupervisordBackend(
				new SupervisordClient(url, username, password, Duration.ofSeconds(2), 2, 4 * 1024 * 1024),
				Duration.ofSeconds(5), Duration.ZERO, true);
	}

	private static void awaitState(String program, String rawState) {
		await(program + " to reach " + rawState).atMost(Duration.ofSeconds(15))
			.until(() -> rawState.equals(daemon.ctlStatus().get(program)));
	}

	// started with startsecs=0, a shell may get TERM before its trap is set, and die at
	// once
	private static void awaitTrapsTerm(String program) {
		await(program + " to trap TERM").atMost(Duration.ofSeconds(5))
			.ignoreExceptions()
			.until(() -> Commands
				.catchesSignal(Files.readString(Path.of("/proc/" + daemon.ctlPid(program) + "/status")), 15));
	}

	private static ActionResult perform(String target, ServiceAction action) throws Exception {
		return backend.perform(target, action, TIMEOUT).get(TIMEOUT.toSeconds() + 2, TimeUnit.SECONDS);
	}

	private static ServiceStatus status(String target) {
		return backend.status(List.of(target), TIMEOUT).get(target);
	}

	@Test
	void reportsTheSameStatesAsSupervisorctlStatus() throws Exception {
		Map<String, String> expected = daemon.ctlStatus();
		Map<String, ServiceStatus> statuses = backend.status(expected.keySet(), TIMEOUT);
		assertThat(statuses).hasSize(expected.size());
		expected.forEach(
				(program, rawState) -> assertThat(statuses.get(program).rawState()).as(program).isEqualTo(rawState));
		assertThat(expected).containsKeys("web", "pool:worker-a", "pool:worker-b", "broken", "stubborn");
	}

	@Test
	void reportsPidSinceAndDescriptionOfARunningProgram() throws Exception {
		ServiceStatus web = status("web");
		assertThat(web.state()).isEqualTo(ServiceState.RUNNING);
		assertThat(web.pid()).isEqualTo(daemon.ctlPid("web"));
		assertThat(web.since()).isNotNull();
		assertThat(web.description()).startsWith("pid " + web.pid());
		assertThat(web.backend()).isEqualTo("supervisord");
		assertThat(ProcessHandle.of(web.pid()).flatMap((handle) -> handle.info().command()))
			.hasValueSatisfying((command) -> assertThat(command).endsWith("/sleep"));
	}

	@Test
	void reportsAProgramThatExitsAtOnceAsFailed() {
		ServiceStatus broken = status("broken");
		assertThat(broken.rawState()).isEqualTo("FATAL");
		assertThat(broken.state()).isEqualTo(ServiceState.FAILED);
		assertThat(broken.pid()).isNull();
		assertThat(broken.message()).contains("Exited too quickly");
	}

	@Test
	void reportsAProgramOfAGroupByItsFullName() throws Exception {
		ServiceStatus worker = status("pool:worker-b");
		assertThat(worker.state()).isEqualTo(ServiceState.RUNNING);
		assertThat(worker.pid()).isEqualTo(daemon.ctlPid("pool:worker-b"));
		assertThat(worker.details()).containsEntry("group", "pool");
	}

	@Test
	void reportsAProgramThatSupervisordDoesNotKnowAsUnknown() {
		ServiceStatus status = status("nosuchprogram");
		assertThat(status.state()).isEqualTo(ServiceState.UNKNOWN);
		assertThat(status.message()).contains("supervisord has no program 'nosuchprogram'");
	}

	@Test
	void discoversEveryProgram() throws Exception {
		List<String> discovered = backend.discover(TIMEOUT).stream().map(ServiceStatus::target).toList();
		assertThat(discovered).containsExactlyInAnyOrderElementsOf(daemon.ctlStatus().keySet());
	}

	@Test
	void readsOverTheInetServerToo() throws Exception {
		try (SupervisordBackend inet = backend(daemon.httpUrl(), SupervisordDaemon.USERNAME,
				SupervisordDaemon.PASSWORD)) {
			ServiceStatus web = inet.status(List.of("web"), TIMEOUT).get("web");
			assertThat(web.rawState()).isEqualTo(daemon.ctlStatus().get("web"));
			assertThat(web.pid()).isEqualTo(daemon.ctlPid("web"));
			assertThat(inet.availability().available()).isTrue();
		}
	}

	@Test
	void startsAndStopsAProgramAndReadsTheStateBack() throws Exception {
		ActionResult started = perform("idle", ServiceAction.START);
		assertThat(started.outcome()).isEqualTo(Outcome.DONE);
		assertThat(started.status().state()).isEqualTo(ServiceState.RUNNING);
		assertThat(daemon.ctlStatus()).containsEntry("idle", "RUNNING");
		long pid = daemon.ctlPid("idle");
		assertThat(started.status().pid()).isEqualTo(pid);
		assertThat(perform("idle", ServiceAction.START).outcome()).isEqualTo(Outcome.NO_CHANGE);
		ActionResult stopped = perform("idle", ServiceAction.STOP);
		assertThat(stopped.outcome()).isEqualTo(Outcome.DONE);
		assertThat(stopped.status().state()).isEqualTo(ServiceState.STOPPED);
		assertThat(daemon.ctlStatus()).containsEntry("idle", "STOPPED");
		assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
		ActionResult again = perform("idle", ServiceAction.STOP);
		assertThat(again.outcome()).isEqualTo(Outcome.NO_CHANGE);
		assertThat(again.backendResult()).isEqualTo("NOT_RUNNING");
	}

	@Test
	void startWaitsUntilTheProgramIsRunning() throws Exception {
		long started = System.nanoTime();
		ActionResult result = perform("web", ServiceAction.RESTART);
		long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
		assertThat(result.outcome()).isEqualTo(Outcome.DONE);
		assertThat(result.status().rawState()).isEqualTo("RUNNING");
		assertThat(elapsed).as("startsecs=1").isGreaterThanOrEqualTo(900);
		assertThat(daemon.ctlStatus()).containsEntry("web", "RUNNING");
	}

	@Test
	void restartGivesTheProgramANewProcess() throws Exception {
		long before = daemon.ctlPid("pool:worker-a");
		ActionResult result = perform("pool:worker-a", ServiceAction.RESTART);
		assertThat(result.outcome()).isEqualTo(Outcome.DONE);
		long after = daemon.ctlPid("pool:worker-a");
		assertThat(after).isNotZero().isNotEqualTo(before);
		assertThat(result.status().pid()).isEqualTo(after);
		assertThat(ProcessHandle.of(before).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
	}

	@Test
	void startOfAProgramThatExitsAtOnceFailsWithTheSpawnError() throws Exception {
		ActionResult result = perform("broken", ServiceAction.START);
		assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
		assertThat(result.backendResult()).isEqualTo("SPAWN_ERROR");
		assertThat(result.message()).contains("SPAWN_ERROR").contains("broken");
		assertThat(result.status().state()).isEqualTo(ServiceState.FAILED);
		assertThat(result.status().rawState()).isEqualTo("FATAL");
		assertThat(daemon.ctlStatus()).containsEntry("broken", "FATAL");
	}

	// found by the backend contract's concurrent actions: a restart whose start a
	// concurrent stop ended said FAILED, "it ended abnormally"
	@Test
	void startThatAStopEndsMeanwhileIsCanceled() throws Exception {
		CompletableFuture<ActionResult> start = backend.perform("slowstart", ServiceAction.START, TIMEOUT);
		awaitState("slowstart", "STARTING");
		daemon.supervisorctl("stop", "slowstart");
		ActionResult result = start.get(TIMEOUT.toSeconds() + 2, TimeUnit.SECONDS);
		assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.CANCELED);
		assertThat(result.backendResult()).isEqualTo("ABNORMAL_TERMINATION");
		assertThat(result.message()).contains("a stop of it came in meanwhile");
		assertThat(result.status().rawState()).isEqualTo("STOPPED");
		assertThat(daemon.ctlStatus()).containsEntry("slowstart", "STOPPED");
	}

	@Test
	void restartThatStopsButCannotStartSaysSo() throws Exception {
		ActionResult result = perform("broken", ServiceAction.RESTART);
		assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
		assertThat(result.backendResult()).isEqualTo("SPAWN_ERROR");
		assertThat(result.message()).contains("was not running, then the start failed");
	}

	@Test
	void startOfAMissingCommandFailsWithNoFile() throws Exception {
		ActionResult result = perform("missing", ServiceAction.START);
		assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
		assertThat(result.backendResult()).isEqualTo("NO_FILE");
		assertThat(daemon.ctlStatus().get("missing")).isNotEqualTo("RUNNING");
	}

	@Test
	void startOfANonExecutableCommandFailsWithNotExecutable() throws Exception {
		ActionResult result = perform("notexec", ServiceAction.START);
		assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
		assertThat(result.backendResult()).isEqualTo("NOT_EXECUTABLE");
	}

	@Test
	void stopEscalatesToKillForAProgramThatIgnoresTerm() throws Exception {
		long pid = daemon.ctlPid("stubborn");
		assertThat(pid).isPositive();
		long started = System.nanoTime();
		ActionResult result = perform("stubborn", ServiceAction.STOP);
		long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
		assertThat(result.outcome()).isEqualTo(Outcome.DONE);
		assertThat(elapsed).as("stopwaitsecs=1 before SIGKILL").isGreaterThanOrEqualTo(900);
		assertThat(daemon.ctlStatus()).containsEntry("stubborn", "STOPPED");
		assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
		assertThat(perform("stubborn", ServiceAction.START).outcome()).isEqualTo(Outcome.DONE);
	}

	@Test
	void killEndsTheProcessAndSupervisordRestartsIt() throws Exception {
		long pid = daemon.ctlPid("pool:worker-b");
		ActionResult result = perform("pool:worker-b", ServiceAction.KILL);
		assertThat(result.outcome()).isEqualTo(Outcome.DONE);
		await("the old process to end").atMost(Duration.ofSeconds(10))
			.until(() -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
		assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
		awaitState("pool:worker-b", "RUNNING");
		assertThat(daemon.ctlPid("pool:worker-b")).isNotEqualTo(pid);
	}

	@Test
	void reloadSendsHangupAndPauseAndContinueStopAndContinueTheProcess() throws Exception {
		long pid = daemon.ctlPid("api");
		assertThat(perform("api", ServiceAction.PAUSE).outcome()).isEqualTo(Outcome.DONE);
		assertThat(processState(pid)).isEqualTo("T");
		assertThat(perform("api", ServiceAction.CONTINUE).outcome()).isEqualTo(Outcome.DONE);
		assertThat(processState(pid)).isEqualTo("S");
		ActionResult reload = perform("api", ServiceAction.RELOAD);
		assertThat(reload.outcome()).isEqualTo(Outcome.DONE);
		// sleep does not handle SIGHUP: it dies of it, which proves the signal arrived
		await("the old process to end").atMost(Duration.ofSeconds(10))
			.until(() -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
		assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
		awaitState("api", "RUNNING");
	}

	// a signalled process may still be running for a moment before its state shows
	private static String processState(long pid) {
		return await("the process to leave the running state").atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(10))
			.until(() -> {
				String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
				return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
			}, (state) -> !state.equals("R"));
	}

	@Test
	void signalsToAStoppedProgramChangeNothing() throws Exception {
		ActionResult result = perform("missing", ServiceAction.RELOAD);
		assertThat(result.outcome()).isEqualTo(Outcome.NO_CHANGE);
		assertThat(result.backendResult()).isEqualTo("NOT_RUNNING");
	}

	@Test
	void onceIsUnsupported() {
		assertThat(backend.supportedActions()).doesNotContain(ServiceAction.ONCE)
			.contains(ServiceAction.PAUSE, ServiceAction.CONTINUE);
	}

	@Test
	void actionOnAProgramSupervisordDoesNotKnowFailsAsUnknownService() {
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> backend.perform("nosuchprogram", ServiceAction.START, TIMEOUT).get(12, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOf(UnknownServiceException.class)
			.withMessageContaining("supervisord has no program 'nosuchprogram'");
	}

	@Test
	void actionThatOutlivesItsDeadlineTimesOut() throws Exception {
		perform("web", ServiceAction.STOP);
		ActionResult result = backend.perform("web", ServiceAction.START, Duration.ofMillis(300))
			.get(5, TimeUnit.SECONDS);
		assertThat(result.outcome()).isEqualTo(Outcome.TIMEOUT);
		awaitState("web", "RUNNING");
	}

	@Test
	void statusReadsDoNotWaitBehindSlowActions() throws Exception {
		Map<String, String> programs = daemon.ctlStatus();
		CompletableFuture<ActionResult> stopA = backend.perform("slow-a", ServiceAction.STOP, TIMEOUT);
		CompletableFuture<ActionResult> stopB = backend.perform("slow-b", ServiceAction.STOP, TIMEOUT);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> daemon.ctlStatus(),
					(ctl) -> "STOPPING".equals(ctl.get("slow-a")) && "STOPPING".equals(ctl.get("slow-b")));
		long started = System.nanoTime();
		Map<String, ServiceStatus> statuses = backend.status(programs.keySet(), TIMEOUT);
		long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
		assertThat(stopA).as("both stops are still in flight").isNotDone();
		assertThat(stopB).isNotDone();
		assertThat(elapsed).as("a read beside two actions in flight").isLessThan(1000);
		assertThat(statuses.values()).extracting(ServiceStatus::state).doesNotContain(ServiceState.UNKNOWN);
		assertThat(statuses.get("slow-a").rawState()).isEqualTo("STOPPING");
		assertThat(statuses.get("slow-b").rawState()).isEqualTo("STOPPING");
		assertThat(stopA.get(12, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.DONE);
		assertThat(stopB.get(12, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.DONE);
		assertThat(daemon.ctlStatus()).containsEntry("slow-a", "STOPPED").containsEntry("slow-b", "STOPPED");
	}

	@Test
	void restartWhoseDeadlinePassesBetweenStopAndStartSaysStoppedAndNeverStarts() throws Exception {
		perform("slowstop", ServiceAction.START);
		awaitTrapsTerm("slowstop");
		ActionResult result = backend.perform("slowstop", ServiceAction.RESTART, Duration.ofSeconds(4))
			.get(6, TimeUnit.SECONDS);
		assertThat(result.outcome()).isEqualTo(Outcome.TIMEOUT);
		assertThat(result.message()).startsWith("Restart of 'slowstop': stopped; start not attempted");
		assertThat(result.status().rawState()).isEqualTo("STOPPED");
		await().during(Duration.ofSeconds(3))
			.atMost(Duration.ofSeconds(6))
			.until(() -> daemon.ctlStatus().get("slowstop"), "STOPPED"::equals);
	}

	@Test
	void restartWhoseStopOutlivesTheDeadlineSaysSoAndNeverStarts() throws Exception {
		perform("slowstop", ServiceAction.START);
		awaitTrapsTerm("slowstop");
		ActionResult result = backend.perform("slowstop", ServiceAction.RESTART, Duration.ofSeconds(2))
			.get(4, TimeUnit.SECONDS);
		assertThat(result.outcome()).isEqualTo(Outcome.TIMEOUT);
		assertThat(result.message()).startsWith("Restart of 'slowstop': supervisord did not confirm the stop")
			.contains("start not attempted")
			.contains("read back, 'slowstop' is STOPPING");
		assertThat(result.status().rawState()).isEqualTo("STOPPING");
		await().atMost(Duration.ofSeconds(6)).until(() -> daemon.ctlStatus().get("slowstop"), "STOPPED"::equals);
		await().during(Duration.ofSeconds(2))
			.atMost(Duration.ofSeconds(4))
			.until(() -> daemon.ctlStatus().get("slowstop"), "STOPPED"::equals);
	}

	@Test
	void realSupervisordPassesTheApiVersionCheck() throws Exception {
		try (SupervisordClient client = new SupervisordClient(daemon.unixUrl(), SupervisordDaemon.USERNAME,
				SupervisordDaemon.PASSWORD, Duration.ofSeconds(2), 1, 1024 * 1024);
				SupervisordBackend fresh = new SupervisordBackend(client, Duration.ofSeconds(5), Duration.ZERO,
						false)) {
			assertThat(client.call(SupervisordMethod.GET_API_VERSION, List.of(), TIMEOUT)).isEqualTo("3.0");
			assertThat(fresh.status(List.of("web"), TIMEOUT).get("web").rawState())
				.isEqualTo(daemon.ctlStatus().get("web"));
			assertThat(fresh.availability().available()).isTrue();
		}
	}

	@Test
	void rejectsInvalidTargetsBeforeTheyAreSent() {
		for (String target : List.of("", "../etc", "a/b", "a b", "-x", ".x", "a:b:c", "*", "*:a", "group:**", "a\nb",
				"supervisor.getAllProcessInfo()", "x".repeat(129))) {
			assertThatExceptionOfType(InvalidServiceNameException.class).as(target)
				.isThrownBy(() -> backend.validateTarget(target));
		}
		backend.validateTarget("web");
		backend.validateTarget("pool:worker-a");
		backend.validateTarget("my_app.v2");
		backend.validateTarget("pool:*");
	}

	@Test
	void tailsTheEndOfAProgramsLogs() {
		LogTail stdout = backend.tailLog("api", LogTail.Stream.STDOUT, 1024, TIMEOUT);
		assertThat(stdout.text()).contains("api-says-hello");
		assertThat(stdout.offset()).isPositive();
		LogTail stderr = backend.tailLog("api", LogTail.Stream.STDERR, 1024, TIMEOUT);
		assertThat(stderr.text()).contains("api-complains");
		LogTail short1 = backend.tailLog("api", LogTail.Stream.STDOUT, 5, TIMEOUT);
		assertThat(short1.text()).hasSize(5);
		assertThat(short1.overflow()).isTrue();
		assertThatExceptionOfType(UnknownServiceException.class)
			.isThrownBy(() -> backend.tailLog("nosuchprogram", LogTail.Stream.STDOUT, 10, TIMEOUT));
	}

	@Test
	void offersTheTailOfTheStdoutLogThroughTheCatalog() {
		ServiceName api = ServiceName.of("api");
		try (ServiceCatalog catalog = new ServiceCatalog(
				List.of(new ServiceDefinition(api, SupervisordBackend.ID, "api", null, false, null, true)),
				List.of(backend), TIMEOUT, TIMEOUT)) {
			assertThat(catalog.getCapabilities(api)).containsExactly(ServiceCapability.LOG_TAIL,
					ServiceCapability.SIGNAL);
			await().atMost(TIMEOUT).until(() -> catalog.tailLog(api, 10).lines().size() >= 2);
			List<ServiceLog.Line> lines = catalog.tailLog(api, 10).lines();
			// api.out holds one line per start of the program, api.err likewise: stdout's
			// lines come first, then stderr's, each marked with its stream
			assertThat(lines).filteredOn((line) -> "stdout".equals(line.stream()))
				.isNotEmpty()
				.allMatch((line) -> line.text().equals("api-says-hello"));
			assertThat(lines).filteredOn((line) -> "stderr".equals(line.stream()))
				.isNotEmpty()
				.allMatch((line) -> line.text().equals("api-complains"));
			assertThat(lines.get(lines.size() - 1).stream()).isEqualTo("stderr");
			assertThat(catalog.tailLog(api, 1).lines())
				.containsExactly(ServiceLog.Line.of(null, "stderr", "api-complains"));
		}
	}

	@Test
	void pushesChangesToListeners() throws Exception {
		List<ServiceStatus> seen = new CopyOnWriteArrayList<>();
		try (Subscription subscription = backend.watch(seen::add)) {
			// only changes are pushed: let the first poll settle
			await("the listener to go quiet").during(Duration.ofMillis(300))
				.atMost(Duration.ofSeconds(5))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> drained(seen));
			daemon.supervisorctl("stop", "web");
			assertThat(awaitSeen(seen, "web", ServiceState.STOPPED)).extracting(ServiceStatus::target)
				.containsOnly("web");
			perform("web", ServiceAction.START);
			assertThat(awaitSeen(seen, "web", ServiceState.RUNNING)).extracting(ServiceStatus::target)
				.containsOnly("web");
		}
	}

	private static boolean drained(List<ServiceStatus> seen) {
		List<ServiceStatus> drained = List.copyOf(seen);
		seen.removeAll(drained);
		return drained.isEmpty();
	}

	private static List<ServiceStatus> awaitSeen(List<ServiceStatus> seen, String target, ServiceState state) {
		await("a pushed " + state + " of " + target).atMost(Duration.ofSeconds(10))
			.until(() -> seen.stream().anyMatch((status) -> status.target().equals(target) && status.state() == state));
		List<ServiceStatus> result = List.copyOf(seen);
		seen.clear();
		return result;
	}

	@Test
	void wrongPasswordIsACredentialsError() {
		try (SupervisordBackend wrong = backend(daemon.unixUrl(), SupervisordDaemon.USERNAME, "wrong")) {
			ServiceStatus status = wrong.status(List.of("web"), TIMEOUT).get("web");
			assertThat(status.state()).isEqualTo(ServiceState.UNKNOWN);
			assertThat(status.message()).contains("rejected the credentials").doesNotContain("wrong");
			assertThat(wrong.availability().available()).isFalse();
			assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> wrong.perform("web", ServiceAction.STOP, TIMEOUT).get(12, TimeUnit.SECONDS))
				.havingCause()
				.isInstanceOf(PermissionDeniedException.class)
				.withMessageContaining("rejected the credentials")
				.withMessageNotContaining(SupervisordDaemon.PASSWORD);
		}
	}

	@Test
	void missingSocketMakesTheBackendUnavailable() {
		try (SupervisordBackend absent = backend("unix://" + daemon.directory().resolve("absent.sock"), null, null)) {
			ServiceStatus status = absent.status(List.of("web"), TIMEOUT).get("web");
			assertThat(status.state()).isEqualTo(ServiceState.UNKNOWN);
			assertThat(status.message()).contains("does not exist");
			assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> absent.perform("web", ServiceAction.START, TIMEOUT).get(12, TimeUnit.SECONDS))
				.havingCause()
				.isInstanceOf(BackendUnavailableException.class);
		}
	}

	@Test
	@Order(1000)
	void appliesAChangedConfigurationLikeSupervisorctlUpdate() throws Exception {
		long changingPid = daemon.ctlPid("changing");
		long leavingPid = daemon.ctlPid("leaving");
		String updated = PROGRAMS.replace("""
				[program:leaving]
				command=/bin/sleep 100000
				startsecs=0
				""", """
				[program:arriving]
				command=/bin/sleep 100000
				startsecs=0
				""").replace("""
				[program:changing]
				command=/bin/sleep 100000
				""", """
				[program:changing]
				command=/bin/sleep 200000
				""");
		daemon.setPrograms(updated + "\n[program:nocommand]\nstartsecs=0\n");
		assertThatExceptionOfType(SupervisordFaultException.class)
			.isThrownBy(() -> backend.update(Duration.ofSeconds(20)))
			.satisfies((ex) -> assertThat(ex.getFault()).isEqualTo(SupervisordFault.CANT_REREAD))
			.withMessageContaining("nocommand");
		assertThat(daemon.ctlPid("leaving")).isEqualTo(leavingPid);
		daemon.setPrograms(updated);
		UpdateResult result = backend.update(Duration.ofSeconds(20));
		assertThat(result.added()).containsExactly("arriving");
		assertThat(result.changed()).containsExactly("changing");
		assertThat(result.removed()).containsExactly("leaving");
		Map<String, String> ctl = daemon.ctlStatus();
		assertThat(ctl).doesNotContainKey("leaving").containsEntry("changing", "RUNNING");
		assertThat(daemon.ctlPid("changing")).isNotEqualTo(changingPid);
		assertThat(ProcessHandle.of(leavingPid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
		awaitState("arriving", "RUNNING");
		assertThat(status("arriving").state()).isEqualTo(ServiceState.RUNNING);
		assertThat(backend.update(Duration.ofSeconds(20)).isEmpty()).isTrue();
	}

	@Test
	@Order(2000)
	void survivesSupervisordRestartingUnderIt() throws Exception {
		assertThat(status("web").state()).isEqualTo(ServiceState.RUNNING);
		List<ServiceStatus> seen = new CopyOnWriteArrayList<>();
		try (Subscription subscription = backend.watch(seen::add);
				SupervisordBackend unwatched = backend(daemon.unixUrl(), SupervisordDaemon.USERNAME,
						SupervisordDaemon.PASSWORD)) {
			awaitAvailability(unwatched, true);
			long oldPid = daemon.pid();
			daemon.stop();
			awaitAvailability(unwatched, false);
			assertThat(unwatched.availability().reason()).contains("supervisor.sock");
			ServiceStatus down = status("web");
			assertThat(down.state()).isEqualTo(ServiceState.UNKNOWN);
			assertThat(down.message()).contains("supervisord");
			assertThat(backend.availability().available()).isFalse();
			awaitSeen(seen, "web", ServiceState.UNKNOWN);
			daemon.restart();
			assertThat(daemon.pid()).isNotEqualTo(oldPid);
			awaitState("web", "RUNNING");
			assertThat(status("web").state()).isEqualTo(ServiceState.RUNNING);
			assertThat(status("web").pid()).isEqualTo(daemon.ctlPid("web"));
			assertThat(backend.availability().available()).isTrue();
			awaitSeen(seen, "web", ServiceState.RUNNING);
			awaitAvailability(unwatched, true);
		}
	}

	// availability() never waits: it answers the last observation and refreshes a stale
	// one in the background
	private static void awaitAvailability(SupervisordBackend backend, boolean available) {
		await("availability to become " + available).atMost(Duration.ofSeconds(10))
			.until(() -> backend.availability().available() == available);
	}

}
