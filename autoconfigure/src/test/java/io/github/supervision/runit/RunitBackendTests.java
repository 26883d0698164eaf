package io.github.supervision.runit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.supervision.ActionInProgressException;
import io.github.supervision.ActionResult;
import io.github.supervision.ActionResult.Outcome;
import io.github.supervision.BackendUnavailableException;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceCapability;
import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceDefinition;
import io.github.supervision.ServiceLog;
import io.github.supervision.ServiceName;
import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import io.github.supervision.Subscription;
import io.github.supervision.testsupport.Commands;
import io.github.supervision.testsupport.RealDaemonTest;
import io.github.supervision.testsupport.Runsvdir;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link RunitBackend} against a real {@code runsvdir}: every status is
 * compared with what {@code sv status} prints for the same service, and every action is
 * observed through {@code sv status} and the service's processes.
 *
 * @author Supervision contributors
 */
@RealDaemonTest
class RunitBackendTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	/**
	 * A run script's body that runs until it is stopped.
	 */
	static final String SLEEP = "exec sleep 1000";

	private static final Pattern SV_LINE = Pattern.compile(
			"(run|down|finish): (\\S+): (?:\\(pid (\\d+)\\) )?(\\d+)s([^;]*)(?:; (run|down|finish): log: (?:\\(pid (\\d+)\\) )?(\\d+)s.*)?");

	@RegisterExtension
	static final Runsvdir runsvdir = Runsvdir.withServices(RunitBackendTests::services);

	private static RunitBackend backend;

	private static final ExecutorService crowd = Executors.newFixedThreadPool(20);

	private static void services(Runsvdir runsvdir) throws IOException {
		runsvdir.service("up", SLEEP, false);
		runsvdir.service("normally-down", SLEEP, true);
		runsvdir.service("stopped", SLEEP, false);
		runsvdir.service("paused", SLEEP, false);
		runsvdir.service("once", SLEEP, true);
		Path finishing = runsvdir.service("finishing", SLEEP, false);
		// runsv runs ./finish again when it exits: keep the finish script short
		Runsvdir.script(finishing.resolve("finish"), "exec sleep 2");
		runsvdir.service("stubborn", "trap '' TERM\n" + SLEEP, false);
		runsvdir.service("crashing", "exit 3", false);
		Path logged = runsvdir.service("logged", "exec 2>&1\necho first line\necho second line\n" + SLEEP, false);
		Files.createDirectories(logged.resolve("log/main"));
		Runsvdir.script(logged.resolve("log/run"), "exec svlogd ./main");
		for (String name : List.of("act-start", "act-stop", "act-restart", "act-kill", "act-once", "act-pause",
				"act-watch")) {
			runsvdir.service(name, SLEEP, name.equals("act-start") || name.equals("act-once"));
		}
		runsvdir.service("act-reload", "trap 'echo hup >> hup.txt' HUP\nwhile :; do sleep 0.05; done", false);
		// Its finish script keeps a restart in flight for a second
		Path busy = runsvdir.service("act-busy", SLEEP, false);
		Runsvdir.script(busy.resolve("finish"), "exec sleep 1");
		// exec keeps the ignored TERM: the process runsv signals is the one that ignores
		// it
		runsvdir.service("act-stubborn", "trap '' TERM\n" + SLEEP, false);
		Path finished = runsvdir.service("act-finish", SLEEP, false);
		Runsvdir.script(finished.resolve("finish"), "exec sleep 1");
	}

	@BeforeAll
	static void startBackend() {
		backend = createBackend(runsvdir);
	}

	/**
	 * Create the backend these tests use: discovering, watching, polling every 200 ms.
	 * @param runsvdir the runsvdir whose scan directory it reads
	 * @return the backend
	 */
	static RunitBackend createBackend(Runsvdir runsvdir) {
		return new RunitBackend(runsvdir.scan(), true, Duration.ofMillis(200), true, RunitBackend.DEFAULT_LOG_FILE,
				List.of());
	}

	@AfterAll
	static void stopBackendAndStubbornServices() throws Exception {
		if (backend != null) {
			backend.close();
		}
		// The services that do not stop on TERM, before the extension stops runsvdir
		for (String stubborn : List.of("stubborn", "act-stubborn")) {
			Runsvdir.sv("down", dir(stubborn));
			Runsvdir.sv("kill", dir(stubborn));
		}
		crowd.shutdownNow();
	}

	@Test
	void readsARunningServiceAsSvDoes() throws Exception {
		runningPid("up");
		ServiceStatus status = assertSameAsSv("up");
		assertThat(status.state()).isEqualTo(ServiceState.RUNNING);
		assertThat(status.rawState()).isEqualTo("run");
		assertThat(status.details()).containsEntry("flavour", "runit").containsEntry("normallyUp", "true");
		assertThat(Runsvdir.isRunning(status.pid())).isTrue();
	}

	@Test
	void readsANormallyDownServiceBeforeAndAfterItStarts() throws Exception {
		ServiceStatus down = assertSameAsSv("normally-down");
		assertThat(down.state()).isEqualTo(ServiceState.STOPPED);
		assertThat(down.rawState()).isEqualTo("down");
		Runsvdir.sv("up", dir("normally-down"));
		awaitRaw("normally-down", "run, normally down");
		assertThat(assertSameAsSv("normally-down").state()).isEqualTo(ServiceState.RUNNING);
	}

	@Test
	void readsAStoppedService() throws Exception {
		Runsvdir.sv("-w", "5", "down", dir("stopped"));
		ServiceStatus status = assertSameAsSv("stopped");
		assertThat(status.state()).isEqualTo(ServiceState.STOPPED);
		assertThat(status.rawState()).isEqualTo("down, normally up");
		assertThat(status.pid()).isNull();
	}

	@Test
	void readsAPausedService() throws Exception {
		runningPid("paused");
		Runsvdir.sv("pause", dir("paused"));
		awaitRaw("paused", "run, paused");
		ServiceStatus status = assertSameAsSv("paused");
		assertThat(status.state()).isEqualTo(ServiceState.RUNNING);
		// runsv writes the flag, then sends STOP
		await("the process to stop").atMost(TIMEOUT).until(() -> processState(status.pid()) == 'T');
	}

	@Test
	void readsAServiceStartedOnce() throws Exception {
		Runsvdir.sv("once", dir("once"));
		awaitRaw("once", "run, normally down, want down");
		ServiceStatus status = assertSameAsSv("once");
		assertThat(status.state()).isEqualTo(ServiceState.STOPPING);
		assertThat(status.details()).containsEntry("want", "down");
	}

	@Test
	void readsAFinishingService() throws Exception {
		long runPid = runningPid("finishing");
		Runsvdir.sv("down", dir("finishing"));
		awaitRaw("finishing", "finish, want down");
		ServiceStatus status = assertSameAsSv("finishing");
		assertThat(status.state()).isEqualTo(ServiceState.STOPPING);
		assertThat(status.pid()).isNotEqualTo(runPid);
		assertThat(status.message()).contains("./finish");
	}

	@Test
	void readsAServiceThatIgnoresTermAndStopTimesOutSayingSo() throws Exception {
		long pid = runningPid("stubborn");
		ActionResult stop = perform("stubborn", ServiceAction.STOP, Duration.ofMillis(600));
		assertThat(stop.outcome()).isEqualTo(Outcome.TIMEOUT);
		assertThat(stop.message()).contains("ignore TERM");
		ServiceStatus status = assertSameAsSv("stubborn");
		assertThat(status.rawState()).isEqualTo("run, want down, got TERM");
		assertThat(status.state()).isEqualTo(ServiceState.STOPPING);
		assertThat(Runsvdir.isRunning(pid)).isTrue();
		ActionResult kill = perform("stubborn", ServiceAction.KILL, TIMEOUT);
		assertThat(kill.outcome()).isEqualTo(Outcome.DONE);
		assertThat(kill.status().state()).isEqualTo(ServiceState.STOPPED);
		assertThat(Runsvdir.sv("status", dir("stubborn"))).startsWith("down: ");
		await("the stubborn process to die").atMost(TIMEOUT).until(() -> !Runsvdir.isRunning(pid));
	}

	@Test
	void stopEscalatesToKillAfterTheStopTimeout() throws Exception {
		try (RunitBackend escalating = new RunitBackend(runsvdir.scan(), false, Duration.ofMillis(200), true,
				RunitBackend.DEFAULT_LOG_FILE, List.of(), RunitBackend.DEFAULT_STOP_TIMEOUT,
				Map.of("act-stubborn", Duration.ofSeconds(1)))) {
			long pid = runningPid("act-stubborn");
			long start = System.nanoTime();
			ActionResult stop = escalating.perform("act-stubborn", ServiceAction.STOP, Duration.ofSeconds(20))
				.get(25, TimeUnit.SECONDS);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofSeconds(1),
					Duration.ofSeconds(10));
			assertThat(stop.outcome()).isEqualTo(Outcome.DONE);
			assertThat(stop.message()).contains("killed after the stop timeout of 1000 ms");
			assertThat(stop.status().state()).isEqualTo(ServiceState.STOPPED);
			assertThat(Runsvdir.sv("status", dir("act-stubborn"))).startsWith("down: ");
			assertThat(Runsvdir.isRunning(pid)).isFalse();
		}
	}

	@Test
	void stopLetsTheFinishScriptRunPastTheStopTimeout() throws Exception {
		try (RunitBackend escalating = new RunitBackend(runsvdir.scan(), false, Duration.ofMillis(200), true,
				RunitBackend.DEFAULT_LOG_FILE, List.of(), Duration.ofMillis(200), Map.of())) {
			runningPid("act-finish");
			ActionResult stop = escalating.perform("act-finish", ServiceAction.STOP, TIMEOUT)
				.get(TIMEOUT.toMillis() + 2000, TimeUnit.MILLISECONDS);
			assertThat(stop.outcome()).isEqualTo(Outcome.DONE);
			assertThat(stop.message()).isEqualTo("The service is down");
			assertThat(Runsvdir.sv("status", dir("act-finish"))).startsWith("down: ");
		}
	}

	@Test
	void twentyConcurrentRestartsOfOneServiceRestartItOnce() throws Exception {
		Path directory = runsvdir.service(runsvdir.root(), "crowd", "echo started >> starts.txt\n" + SLEEP, false);
		Path starts = directory.resolve("starts.txt");
		Process runsv = runsvdir.runsv(directory);
		String target = directory.toString();
		long pid = runningPid(target);
		// runsv says "run" before the run script has written its line
		Awaitility.await()
			.atMost(Duration.ofSeconds(5))
			.until(() -> Files.exists(starts) && Files.readAllLines(starts).size() == 1);
		List<CompletableFuture<ActionResult>> results = new ArrayList<>();
		// runsv stopped, every command written meanwhile waits in the FIFO: more than one
		// restart command would then show as more than one restart
		Runsvdir.signal(runsv.pid(), "STOP");
		try {
			CountDownLatch go = new CountDownLatch(1);
			for (int i = 0; i < 20; i++) {
				results.add(CompletableFuture.supplyAsync(() -> {
					try {
						go.await();
						return backend.perform(target, ServiceAction.RESTART, TIMEOUT).get(10, TimeUnit.SECONDS);
					}
					catch (Exception ex) {
						throw new IllegalStateException(ex);
					}
				}, crowd));
			}
			go.countDown();
			awaitNoWrite(directory.resolve("supervise/control"), Duration.ofMillis(300));
		}
		finally {
			Runsvdir.signal(runsv.pid(), "CONT");
		}
		CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(15, TimeUnit.SECONDS);
		assertThat(results).extracting(CompletableFuture::join)
			.allSatisfy((result) -> assertThat(result.outcome()).isEqualTo(Outcome.DONE));
		long restarted = runningPid(target);
		// A restart command left in the FIFO would restart it again
		Awaitility.await()
			.during(Duration.ofMillis(500))
			.atMost(Duration.ofSeconds(3))
			.until(() -> Files.readAllLines(starts).size() == 2);
		assertThat(restarted).isNotEqualTo(pid);
		assertThat(results).extracting((result) -> result.join().status().pid()).containsOnly(restarted);
		assertThat(Runsvdir.sv("status", target)).startsWith("run: ").contains("(pid " + restarted + ")");
	}

	@Test
	void anotherActionWhileOneIsInFlightIsRefused() throws Exception {
		long pid = runningPid("act-busy");
		CompletableFuture<ActionResult> restart = backend.perform("act-busy", ServiceAction.RESTART, TIMEOUT);
		CompletableFuture<ActionResult> stop = backend.perform("act-busy", ServiceAction.STOP, TIMEOUT);
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> stop.get(1, TimeUnit.SECONDS))
			.withCauseInstanceOf(ActionInProgressException.class)
			.withMessageContaining("restart");
		ActionResult restarted = restart.get(TIMEOUT.toMillis() + 2000, TimeUnit.MILLISECONDS);
		assertThat(restarted.outcome()).isEqualTo(Outcome.DONE);
		assertThat(restarted.status().pid()).isNotEqualTo(pid);
		assertThat(Runsvdir.sv("status", dir("act-busy"))).startsWith("run: ");
	}

	@Test
	void readsACrashingService() throws Exception {
		ServiceStatus status = assertSameAsSv("crashing");
		assertThat(status.state()).isIn(ServiceState.FAILED, ServiceState.RUNNING);
		await("a crash").atMost(TIMEOUT).until(() -> read("crashing").state() == ServiceState.FAILED);
		ServiceStatus failed = read("crashing");
		assertThat(failed.rawState()).isEqualTo("down, normally up, want up");
		assertThat(failed.message()).contains("wanted up");
	}

	@Test
	void readsTheLogService() throws Exception {
		runningPid("logged");
		await("the log service to run").atMost(TIMEOUT).until(() -> read("logged").details().containsKey("log.pid"));
		ServiceStatus status = assertSameAsSv("logged");
		assertThat(status.details()).containsEntry("log.state", "run").containsKey("log.pid");
	}

	@Test
	void tailsWhatTheServiceWroteThroughItsLogServiceViaTheCatalog() throws Exception {
		ServiceName logged = ServiceName.of("logged");
		ServiceName quiet = ServiceName.of("up");
		try (ServiceCatalog catalog = new ServiceCatalog(
				List.of(new ServiceDefinition(logged, RunitBackend.ID, "logged", null, false, null, true),
						new ServiceDefinition(quiet, RunitBackend.ID, "up", null, false, null, true)),
				List.of(backend), TIMEOUT, TIMEOUT)) {
			assertThat(catalog.getCapabilities(logged)).containsExactly(ServiceCapability.LOG_TAIL,
					ServiceCapability.ENABLE, ServiceCapability.SIGNAL);
			// svlogd writes log/main/current as the service's output reaches it
			await("two log lines").atMost(TIMEOUT).until(() -> catalog.tailLog(logged, 10).lines().size() == 2);
			assertThat(catalog.tailLog(logged, 10).texts()).containsExactly("first line", "second line");
			assertThat(catalog.tailLog(logged, 1).texts()).containsExactly("second line");
			assertThat(catalog.tailLog(quiet, 5).lines()).as("a service without a log").isEmpty();
		}
	}

	@Test
	void refusesALogFileThatIsAFifoWithoutBlocking() throws Exception {
		Path directory = runsvdir.service(runsvdir.root(), "fifo-current", SLEEP, false);
		Path log = Files.createDirectories(directory.resolve("log/main")).resolve("current");
		Process mkfifo = new ProcessBuilder("mkfifo", log.toString()).start();
		assertThat(mkfifo.waitFor(5, TimeUnit.SECONDS)).isTrue();
		try {
			CompletableFuture<ServiceLog> tail = CompletableFuture
				.supplyAsync(() -> backend.tailLog(directory.toString(), 10, TIMEOUT));
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> tail.get(2, TimeUnit.SECONDS))
				.withCauseInstanceOf(IllegalStateException.class)
				.withMessageContaining(log + " is not a regular file");
		}
		finally {
			Files.deleteIfExists(log);
		}
	}

	@Test
	void aFifoAtTheLogServiceStatusBlocksNoRead() throws Exception {
		Path directory = runsvdir.service(runsvdir.root(), "fifo-log", SLEEP, false);
		Path supervise = Files.createDirectories(directory.resolve("supervise"));
		Files.copy(runsvdir.scan().resolve("up/supervise/status"), supervise.resolve("status"));
		Path log = Files.createDirectories(directory.resolve("log/supervise")).resolve("status");
		Process mkfifo = new ProcessBuilder("mkfifo", log.toString()).start();
		assertThat(mkfifo.waitFor(5, TimeUnit.SECONDS)).isTrue();
		try {
			ServiceStatus status = CompletableFuture.supplyAsync(() -> read(directory.toString()))
				.get(2, TimeUnit.SECONDS);
			assertThat(status.state()).isEqualTo(ServiceState.RUNNING);
			assertThat(status.details()).doesNotContainKey("log.state");
		}
		finally {
			// A writer lets go a reader that blocked on the FIFO
			try (FileChannel writer = FileChannel.open(log, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
				assertThat(writer.isOpen()).isTrue();
			}
		}
	}

	@Test
	void startsAServiceAndWaitsUntilItRuns() throws Exception {
		ActionResult result = perform("act-start", ServiceAction.START, TIMEOUT);
		assertThat(result.outcome()).isEqualTo(Outcome.DONE);
		assertThat(result.status().state()).isEqualTo(ServiceState.RUNNING);
		assertThat(Runsvdir.sv("status", dir("act-start"))).startsWith("run: ")
			.contains("(pid " + result.status().pid() + ")");
		assertThat(Runsvdir.isRunning(result.status().pid())).isTrue();
		assertThat(perform("act-start", ServiceAction.START, TIMEOUT).outcome()).isEqualTo(Outcome.NO_CHANGE);
	}

	@Test
	void stopsAServiceAndWaitsUntilItIsDown() throws Exception {
		long pid = runningPid("act-stop");
		ActionResult result = perform("act-stop", ServiceAction.STOP, TIMEOUT);
		assertThat(result.outcome()).isEqualTo(Outcome.DONE);
		assertThat(result.status().state()).isEqualTo(ServiceState.STOPPED);
		assertThat(Runsvdir.sv("status", dir("act-stop"))).startsWith("down: ");
		assertThat(Runsvdir.isRunning(pid)).isFalse();
		assertThat(perform("act-stop", ServiceAction.STOP, TIMEOUT).outcome()).isEqualTo(Outcome.NO_CHANGE);
	}

	@Test
	void restartsAServiceWithANewProcess() throws Exception {
		long pid = runningPid("act-restart");
		ActionResult result = perform("act-restart", ServiceAction.RESTART, TIMEOUT);
		assertThat(result.outcome()).isEqualTo(Outcome.DONE);
		assertThat(result.status().pid()).isNotNull().isNotEqualTo(pid);
		assertThat(Runsvdir.sv("status", dir("act-restart"))).startsWith("run: ")
			.contains("(pid " + result.status().pid() + ")");
		await("the old process to end").atMost(TIMEOUT).until(() -> !Runsvdir.isRunning(pid));
	}

	@Test
	void reloadsAServiceWithHup() throws Exception {
		Path hup = runsvdir.scan().resolve("act-reload/hup.txt");
		long pid = runningPid("act-reload");
		await("the service to trap HUP").atMost(TIMEOUT)
			.until(() -> Commands.catchesSignal(Files.readString(Path.of("/proc/" + pid + "/status")), 1));
		ActionResult result = perform("act-reload", ServiceAction.RELOAD, TIMEOUT);
		assertThat(result.outcome()).isEqualTo(Outcome.DONE);
		await("the service to see HUP").atMost(TIMEOUT).until(() -> Files.exists(hup));
		assertThat(read("act-reload").pid()).isEqualTo(pid);
	}

	@Test
	void killsAServiceThatRunsvThenRestarts() throws Exception {
		long pid = runningPid("act-kill");
		ActionResult result = perform("act-kill", ServiceAction.KILL, TIMEOUT);
		assertThat(result.outcome()).isEqualTo(Outcome.DONE);
		assertThat(result.status().pid()).isNotEqualTo(pid);
		assertThat(Runsvdir.isRunning(pid)).isFalse();
		assertThat(Runsvdir.sv("status", dir("act-kill"))).startsWith("run: ")
			.contains("(pid " + result.status().pid() + ")");
	}

	@Test
	void startsAServiceOnceSoThatItIsNotRestarted() throws Exception {
		ActionResult result = perform("act-once", ServiceAction.ONCE, TIMEOUT);
		assertThat(result.outcome()).isEqualTo(Outcome.DONE);
		assertThat(Runsvdir.sv("status", dir("act-once"))).startsWith("run: ").endsWith("want down");
		Runsvdir.signal(result.status().pid(), "KILL");
		await("the once service to stay down").atMost(TIMEOUT)
			.until(() -> read("act-once").state() == ServiceState.STOPPED);
		assertThat(Runsvdir.sv("status", dir("act-once"))).startsWith("down: ");
	}

	@Test
	void pausesAndContinuesAService() throws Exception {
		runningPid("act-pause");
		ActionResult paused = perform("act-pause", ServiceAction.PAUSE, TIMEOUT);
		assertThat(paused.outcome()).isEqualTo(Outcome.DONE);
		assertThat(Runsvdir.sv("status", dir("act-pause"))).endsWith("paused");
		assertThat(processState(paused.status().pid())).isEqualTo('T');
		ActionResult resumed = perform("act-pause", ServiceAction.CONTINUE, TIMEOUT);
		assertThat(resumed.outcome()).isEqualTo(Outcome.DONE);
		assertThat(Runsvdir.sv("status", dir("act-pause"))).doesNotContain("paused");
		assertThat(processState(resumed.status().pid())).isNotEqualTo('T');
		assertThat(perform("act-pause", ServiceAction.CONTINUE, TIMEOUT).outcome()).isEqualTo(Outcome.NO_CHANGE);
	}

	@Test
	void pushesChangesToListenersFromTheWatchedSuperviseDirectory() throws Exception {
		runningPid("act-watch");
		List<ServiceStatus> seen = new CopyOnWriteArrayList<>();
		try (Subscription subscription = backend.watch(seen::add)) {
			await("the watch").atMost(TIMEOUT).until(() -> "inotify".equals(read("act-watch").details().get("watch")));
			long sent = System.nanoTime();
			Runsvdir.sv("down", dir("act-watch"));
			await("a STOPPED event").atMost(TIMEOUT)
				.until(() -> seen.stream()
					.anyMatch(
							(status) -> status.target().equals("act-watch") && status.state() == ServiceState.STOPPED));
			assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(Duration.ofSeconds(1));
		}
		finally {
			Runsvdir.sv("up", dir("act-watch"));
		}
	}

	@Test
	void pollsWhenWatchingIsOff() throws Exception {
		Path directory = runsvdir.scan().resolve("act-watch");
		try (RunitBackend polling = new RunitBackend(runsvdir.scan(), false, Duration.ofMillis(100), false,
				RunitBackend.DEFAULT_LOG_FILE, List.of("act-watch"))) {
			List<ServiceStatus> seen = new CopyOnWriteArrayList<>();
			polling.watch(seen::add);
			await("polling").atMost(TIMEOUT)
				.until(() -> "poll"
					.equals(polling.status(List.of("act-watch"), TIMEOUT).get("act-watch").details().get("watch")));
			Runsvdir.sv("-w", "5", "restart", directory.toString());
			await("a polled event").atMost(TIMEOUT).until(() -> !seen.isEmpty());
		}
	}

	@Test
	void watchesAServiceOnceItIsSupervisedAndSeesItsSupervisorDie() throws Exception {
		Path directory = runsvdir.service(runsvdir.root(), "late", SLEEP, false);
		String target = directory.toString();
		assertThat(backend.status(List.of(target), TIMEOUT).get(target).message()).contains("is not supervised");
		List<ServiceStatus> seen = new CopyOnWriteArrayList<>();
		try (Subscription subscription = backend.watch(seen::add)) {
			assertThat(backend.status(List.of(target), TIMEOUT).get(target).details()).containsEntry("watch", "poll");
			Process runsv = runsvdir.runsv(directory);
			await("a RUNNING event").atMost(TIMEOUT)
				.until(() -> seen.stream()
					.anyMatch((status) -> status.target().equals(target) && status.state() == ServiceState.RUNNING));
			await("the switch from polling to inotify").atMost(TIMEOUT)
				.until(() -> "inotify"
					.equals(backend.status(List.of(target), TIMEOUT).get(target).details().get("watch")));
			long pid = backend.status(List.of(target), TIMEOUT).get(target).pid();
			Runsvdir.signal(runsv.pid(), "KILL");
			await("a runsv not running event").atMost(Duration.ofSeconds(1))
				.until(() -> seen.stream()
					.anyMatch((status) -> status.target().equals(target)
							&& "runsv not running".equals(status.rawState())));
			Runsvdir.signal(pid, "KILL");
		}
	}

	@Test
	void discoversEveryServiceInTheScanDirectory() {
		List<ServiceStatus> discovered = backend.discover(TIMEOUT);
		assertThat(discovered).extracting(ServiceStatus::target).contains("up", "logged", "stubborn");
		assertThat(discovered).allSatisfy((status) -> assertThat(status.backend()).isEqualTo("runit"));
	}

	@Test
	void reportsRunsvNotRunningWithinASecondAndNeverHangs() throws Exception {
		Path directory = runsvdir.service(runsvdir.root(), "victim", SLEEP, false);
		Process runsv = runsvdir.runsv(directory);
		// runsv writes its first status before it starts the service
		await("victim to run").atMost(TIMEOUT).until(() -> read(directory.toString()).state() == ServiceState.RUNNING);
		long pid = read(directory.toString()).pid();
		Runsvdir.signal(runsv.pid(), "KILL");
		runsv.waitFor(5, TimeUnit.SECONDS);
		long start = System.nanoTime();
		ServiceStatus status = backend.status(List.of(directory.toString()), TIMEOUT).get(directory.toString());
		assertThat(status.state()).isEqualTo(ServiceState.UNKNOWN);
		assertThat(status.rawState()).isEqualTo("runsv not running");
		assertThat(Runsvdir.sv("status", directory.toString())).contains("runsv not running");
		CompletableFuture<ActionResult> future = backend.perform(directory.toString(), ServiceAction.START,
				Duration.ofSeconds(30));
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> future.get(1, TimeUnit.SECONDS))
			.withCauseInstanceOf(BackendUnavailableException.class)
			.withMessageContaining("runsv not running");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
		assertThat(Thread.getAllStackTraces().keySet()).noneMatch(
				(thread) -> thread.getName().startsWith("runit-action") && thread.getState() == Thread.State.RUNNABLE);
		Runsvdir.signal(pid, "KILL");
	}

	@Test
	void followsASymlinkedSuperviseDirectoryAsDebianLaysItOut() throws Exception {
		Path directory = runsvdir.service(Files.createDirectories(runsvdir.root().resolve("etc-sv")), "linked", SLEEP,
				false);
		Path real = Files.createDirectories(runsvdir.root().resolve("run/runit/supervise/linked"));
		Files.createSymbolicLink(directory.resolve("supervise"), real);
		runsvdir.runsv(directory);
		String target = directory.toString();
		await("the linked service to run").atMost(TIMEOUT)
			.until(() -> backend.status(List.of(target), TIMEOUT).get(target).state() == ServiceState.RUNNING);
		assertThat(real.resolve("status")).exists();
		assertThat(Runsvdir.sv("status", target)).startsWith("run: ")
			.contains("(pid " + backend.status(List.of(target), TIMEOUT).get(target).pid() + ")");
		ActionResult stop = perform(target, ServiceAction.STOP, TIMEOUT);
		assertThat(stop.outcome()).isEqualTo(Outcome.DONE);
		assertThat(Runsvdir.sv("status", target)).startsWith("down: ");
	}

	@Test
	void reportsADirectoryThatIsNotSupervised() throws Exception {
		Path directory = runsvdir.service(runsvdir.root(), "unsupervised", SLEEP, false);
		ServiceStatus status = backend.status(List.of(directory.toString()), TIMEOUT).get(directory.toString());
		assertThat(status.state()).isEqualTo(ServiceState.UNKNOWN);
		assertThat(status.message()).contains("is not supervised");
		assertThat(Runsvdir.sv("status", directory.toString())).contains("unable to open supervise/ok");
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(
					() -> backend.perform(directory.toString(), ServiceAction.START, TIMEOUT).get(1, TimeUnit.SECONDS))
			.withCauseInstanceOf(BackendUnavailableException.class)
			.withMessageContaining("is not supervised");
	}

	@Test
	void refusesAControlFileThatIsNotAFifo() throws Exception {
		Path directory = runsvdir.service(runsvdir.root(), "fake", SLEEP, false);
		Path supervise = Files.createDirectories(directory.resolve("supervise"));
		Files.copy(runsvdir.scan().resolve("up/supervise/status"), supervise.resolve("status"));
		Path control = Files.createFile(supervise.resolve("control"));
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(
					() -> backend.perform(directory.toString(), ServiceAction.STOP, TIMEOUT).get(1, TimeUnit.SECONDS))
			.withCauseInstanceOf(BackendUnavailableException.class)
			.withMessageContaining("is not a FIFO");
		assertThat(Files.size(control)).isZero();
	}

	private static ServiceStatus read(String target) {
		return backend.status(List.of(target), TIMEOUT).get(target);
	}

	private static long runningPid(String target) throws InterruptedException {
		await(target + " to run").atMost(TIMEOUT).until(() -> read(target).state() == ServiceState.RUNNING);
		return read(target).pid();
	}

	private static String dir(String name) {
		return runsvdir.scan().resolve(name).toString();
	}

	private static ActionResult perform(String target, ServiceAction action, Duration timeout) throws Exception {
		return backend.perform(target, action, timeout).get(timeout.toMillis() + 2000, TimeUnit.MILLISECONDS);
	}

	private static void awaitRaw(String target, String rawState) throws InterruptedException {
		await(target + " to be " + rawState).atMost(TIMEOUT).until(() -> read(target).rawState().equals(rawState));
	}

	/**
	 * Wait until nothing has been written to a FIFO for a while: a write updates its
	 * modification time.
	 */
	private static void awaitNoWrite(Path fifo, Duration quiet) {
		AtomicReference<FileTime> last = new AtomicReference<>();
		AtomicLong changed = new AtomicLong(System.nanoTime());
		Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
			FileTime now = Files.getLastModifiedTime(fifo);
			if (!now.equals(last.getAndSet(now))) {
				changed.set(System.nanoTime());
			}
			return System.nanoTime() - changed.get() > quiet.toNanos();
		});
	}

	private static char processState(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
			return stat.charAt(stat.lastIndexOf(')') + 2);
		}
		catch (IOException ex) {
			return '?';
		}
	}

	/**
	 * Read a service, ask {@code sv status} about it, read it again, and when nothing
	 * changed meanwhile, compare every field with what sv printed.
	 */
	private static ServiceStatus assertSameAsSv(String name) {
		return await("a state of " + name + " that holds while sv reads it").atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> {
				ServiceStatus before = read(name);
				String line = Runsvdir.sv("status", dir(name));
				Instant now = Instant.now();
				ServiceStatus after = read(name);
				if (Objects.equals(before.since(), after.since()) && before.rawState().equals(after.rawState())) {
					assertSame(before, line, now);
					return before;
				}
				return null;
			}, Objects::nonNull);
	}

	private static void assertSame(ServiceStatus status, String line, Instant now) {
		Matcher matcher = SV_LINE.matcher(line);
		assertThat(matcher.matches()).as("sv status line: %s", line).isTrue();
		assertThat(status.rawState()).isEqualTo(matcher.group(1) + matcher.group(5));
		assertThat(status.pid()).isEqualTo((matcher.group(3) != null) ? Long.valueOf(matcher.group(3)) : null);
		long seconds = Duration.between(status.since(), now).toSeconds();
		assertThat(seconds).isBetween(Long.parseLong(matcher.group(4)) - 1, Long.parseLong(matcher.group(4)) + 1);
		Map<String, String> details = status.details();
		if (matcher.group(6) != null) {
			assertThat(details).containsEntry("log.state", matcher.group(6));
			assertThat(details.get("log.pid")).isEqualTo(matcher.group(7));
		}
		else {
			assertThat(details).doesNotContainKey("log.state");
		}
	}

}
