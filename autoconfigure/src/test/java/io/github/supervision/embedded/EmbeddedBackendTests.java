package io.github.supervision.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import io.github.supervision.ActionResult;
import io.github.supervision.ActionResult.Outcome;
import io.github.supervision.InvalidServiceNameException;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import io.github.supervision.ServiceStatusListener;
import io.github.supervision.Subscription;
import io.github.supervision.UnknownServiceException;
import io.github.supervision.testsupport.RealDaemons;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link EmbeddedBackend} with real child processes ({@code /bin/sh} scripts),
 * checked through {@code /proc}. One backend runs every service of the class; each test
 * uses services of its own.
 *
 * @author Supervision contributors
 */
class EmbeddedBackendTests {

	private static final Duration START_SECONDS = Duration.ofMillis(300);

	private static final Duration RESTART_DELAY = Duration.ofMillis(100);

	private static final Duration RESTART_DELAY_MAX = Duration.ofSeconds(1);

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static Path directory;

	private static EmbeddedBackend backend;

	@BeforeAll
	static void startBackend() throws IOException {
		requireChildProcesses();
		directory = Files.createTempDirectory("embedded-tests");
		List<EmbeddedServiceSpec> specs = new ArrayList<>();
		specs.add(spec("sleeper", "echo started; exec sleep 600", RestartPolicy.ALWAYS, 2, Duration.ofSeconds(5)));
		specs.add(spec("restartable", "exec sleep 600", RestartPolicy.ALWAYS, 2, Duration.ofSeconds(5)));
		specs.add(spec("crasher", "sleep 0.5; exit 3", RestartPolicy.ON_FAILURE, 2, Duration.ofSeconds(5)));
		specs.add(spec("crashloop", "echo failing; exit 1", RestartPolicy.ALWAYS, 2, Duration.ofSeconds(5)));
		specs.add(spec("stubborn", "trap '' TERM; echo ready; while :; do sleep 0.1; done", RestartPolicy.ALWAYS, 2,
				Duration.ofSeconds(1)));
		specs.add(spec("forker", forkingScript("forker"), RestartPolicy.ALWAYS, 2, Duration.ofSeconds(5)));
		specs.add(spec("reloadable", "trap 'echo hup >> \"$HUP_FILE\"' HUP; echo ready; while :; do sleep 0.1; done",
				RestartPolicy.ALWAYS, 2, Duration.ofSeconds(5), Map.of("HUP_FILE", directory.resolve("hup").toString()),
				null, 64 * 1024));
		specs.add(spec("chatty",
				"i=0; while [ $i -lt 2000 ]; do echo \"line $i\"; i=$((i+1)); done; "
						+ "echo 'to stderr' >&2; echo last; exec sleep 600",
				RestartPolicy.ALWAYS, 2, Duration.ofSeconds(5), Map.of(), directory.resolve("chatty.log"), 1024));
		specs.add(spec("watched", "exec sleep 600", RestartPolicy.ALWAYS, 2, Duration.ofSeconds(5)));
		specs.add(spec("killable", "exec sleep 600", RestartPolicy.ALWAYS, 2, Duration.ofSeconds(5)));
		specs.add(spec("leaver",
				"sleep 600 & echo $! > '" + directory.resolve("leaver.pid") + "'; echo left; sleep 0.5; exit 3",
				RestartPolicy.NEVER, 2, Duration.ofSeconds(1)));
		specs.add(spec("finisher", "sleep 0.5; echo finished", RestartPolicy.ON_FAILURE, 2, Duration.ofSeconds(1)));
		specs.add(spec("retrying", "echo attempt; exit 2", RestartPolicy.ALWAYS, 50, Duration.ofSeconds(1)));
		specs.add(spec("concurrent", "exec sleep 600", RestartPolicy.ALWAYS, 2, Duration.ofSeconds(5)));
		specs.add(with(spec("slow", "exec sleep 600", RestartPolicy.ALWAYS, 2, Duration.ofSeconds(5)),
				Duration.ofSeconds(3), false));
		specs.add(new EmbeddedServiceSpec("missing", List.of(directory.resolve("no-such-program").toString()), null,
				Map.of(), RestartPolicy.ALWAYS, START_SECONDS, 1, RESTART_DELAY, RESTART_DELAY_MAX,
				Duration.ofSeconds(1), false, null, 1024));
		specs.add(command("falser", List.of("/bin/false"), Duration.ZERO, 3));
		specs.add(command("late-crasher", List.of("/bin/sh", "-c", "sleep 0.3; exit 1"), Duration.ofMillis(200), 5));
		specs.add(command("recovering",
				List.of("/bin/sh", "-c", countingScript("recovering", "[ $n = 3 ] && sleep 1.5")), Duration.ZERO, 2));
		specs.add(command("fixed", List.of("/bin/sh", "-c", countingScript("fixed", "[ $n -gt 4 ] && exec sleep 600")),
				Duration.ZERO, 3));
		EmbeddedServiceSpec falser = command("patient", List.of("/bin/false"), Duration.ZERO, 3);
		specs.add(new EmbeddedServiceSpec(falser.name(), falser.command(), null, Map.of(), falser.restart(),
				falser.startSeconds(), falser.startRetries(), Duration.ofSeconds(5), Duration.ofSeconds(10),
				falser.stopTimeout(), false, null, 0));
		backend = new EmbeddedBackend(specs);
		backend.start();
	}

	/**
	 * Skip the test (fail it under {@code CI=true}) unless the machine can run the
	 * embedded backend's child processes and show them in {@code /proc}.
	 */
	static void requireChildProcesses() {
		RealDaemons.requireExecutables("/bin/sh", "/usr/bin/setsid", "/bin/kill");
		RealDaemons.require(Files.isDirectory(Path.of("/proc/self")), "/proc is not mounted");
	}

	@AfterAll
	static void closeBackend() {
		if (backend != null) {
			backend.close();
		}
	}

	@Test
	void startsAServiceInASessionOfItsOwnAndStopsIt() throws Exception {
		ActionResult started = perform("sleeper", ServiceAction.START);
		assertThat(started.outcome()).isEqualTo(Outcome.DONE);
		ServiceStatus status = started.status();
		assertThat(status.state()).isEqualTo(ServiceState.RUNNING);
		assertThat(status.rawState()).isEqualTo("RUNNING");
		long pid = status.pid();
		ProcessTree.Stat stat = ProcessTree.Stat.read(pid);
		assertThat(stat).isNotNull();
		assertThat(stat.ppid()).isEqualTo(ProcessHandle.current().pid());
		assertThat(stat.pgrp()).isEqualTo(pid);
		assertThat(stat.session()).isEqualTo(pid);
		assertThat(commandLine(pid)).contains("sleep", "600");
		assertThat(perform("sleeper", ServiceAction.START).outcome()).isEqualTo(Outcome.NO_CHANGE);
		ActionResult stopped = perform("sleeper", ServiceAction.STOP);
		assertThat(stopped.outcome()).isEqualTo(Outcome.DONE);
		assertThat(stopped.status().state()).isEqualTo(ServiceState.STOPPED);
		assertThat(stopped.status().pid()).isNull();
		assertThat(stopped.status().exitStatus()).isEqualTo(128 + 15);
		assertThat(isGone(pid)).isTrue();
		assertThat(perform("sleeper", ServiceAction.STOP).outcome()).isEqualTo(Outcome.NO_CHANGE);
		assertThat(backend.tail("sleeper")).isEqualTo("started\n");
	}

	@Test
	void restartsAServiceWithANewProcess() throws Exception {
		ActionResult restartedFromStopped = perform("restartable", ServiceAction.RESTART);
		assertThat(restartedFromStopped.outcome()).isEqualTo(Outcome.DONE);
		long first = restartedFromStopped.status().pid();
		ActionResult restarted = perform("restartable", ServiceAction.RESTART);
		assertThat(restarted.outcome()).isEqualTo(Outcome.DONE);
		assertThat(restarted.status().state()).isEqualTo(ServiceState.RUNNING);
		long second = restarted.status().pid();
		assertThat(second).isNotEqualTo(first);
		assertThat(isGone(first)).isTrue();
		assertThat(isGone(second)).isFalse();
		perform("restartable", ServiceAction.STOP);
		assertThat(isGone(second)).isTrue();
	}

	@Test
	void restartsACrashedServiceAndCountsTheRestarts() throws Exception {
		ActionResult started = perform("crasher", ServiceAction.START);
		assertThat(started.outcome()).isEqualTo(Outcome.DONE);
		long firstPid = started.status().pid();
		awaitUntil(() -> restarts("crasher") >= 2, Duration.ofSeconds(5));
		ServiceStatus status = backend.status("crasher");
		assertThat(status.exitStatus()).isEqualTo(3);
		assertThat(isGone(firstPid)).isTrue();
		perform("crasher", ServiceAction.STOP);
		assertThat(backend.status("crasher").state()).isEqualTo(ServiceState.STOPPED);
	}

	@Test
	void stopsWhatACrashedServiceLeftBehind() throws Exception {
		ActionResult started = perform("leaver", ServiceAction.START);
		assertThat(started.outcome()).isEqualTo(Outcome.DONE);
		long pid = started.status().pid();
		awaitUntil(() -> backend.status("leaver").rawState().equals("EXITED"), Duration.ofSeconds(5));
		ServiceStatus status = backend.status("leaver");
		assertThat(status.state()).isEqualTo(ServiceState.FAILED);
		assertThat(status.exitStatus()).isEqualTo(3);
		assertThat(status.restarts()).isZero();
		assertThat(isGone(pid)).isTrue();
		long leftBehind = Long.parseLong(Files.readString(directory.resolve("leaver.pid")).trim());
		awaitUntil(() -> isGone(leftBehind), Duration.ofSeconds(3));
		assertThat(backend.tail("leaver")).isEqualTo("left\n");
	}

	@Test
	void doesNotRestartACleanExitOnFailureOnly() throws Exception {
		perform("finisher", ServiceAction.START);
		awaitUntil(() -> backend.status("finisher").rawState().equals("EXITED"), Duration.ofSeconds(5));
		// a restart would come after restart-delay (100 ms)
		await().during(Duration.ofMillis(300))
			.atMost(Duration.ofSeconds(1))
			.until(() -> backend.status("finisher").rawState().equals("EXITED"));
		ServiceStatus status = backend.status("finisher");
		assertThat(status.rawState()).isEqualTo("EXITED");
		assertThat(status.state()).isEqualTo(ServiceState.STOPPED);
		assertThat(status.exitStatus()).isZero();
		assertThat(status.restarts()).isZero();
		assertThat(status.pid()).isNull();
		assertThat(backend.tail("finisher")).isEqualTo("finished\n");
	}

	@Test
	void stopEndsTheRetriesOfAFailingStart() throws Exception {
		ActionResult start = backend.perform("retrying", ServiceAction.START, Duration.ofMillis(500))
			.get(5, TimeUnit.SECONDS);
		assertThat(start.outcome()).isEqualTo(Outcome.TIMEOUT);
		assertThat(start.status().state()).isEqualTo(ServiceState.STARTING);
		ActionResult stopped = perform("retrying", ServiceAction.STOP);
		assertThat(stopped.outcome()).isEqualTo(Outcome.DONE);
		assertThat(stopped.status().state()).isEqualTo(ServiceState.STOPPED);
		// let the output reader drain what the last attempt wrote
		AtomicReference<String> last = new AtomicReference<>();
		String attempts = await("the output reader to drain").during(Duration.ofMillis(200))
			.atMost(Duration.ofSeconds(5))
			.until(() -> backend.tail("retrying"), (tail) -> tail.equals(last.getAndSet(tail)));
		assertThat(attempts).startsWith("attempt\nattempt\n");
		await("no retry after the stop").during(Duration.ofMillis(500))
			.atMost(Duration.ofSeconds(2))
			.until(() -> backend.tail("retrying"), attempts::equals);
		assertThat(backend.tail("retrying")).isEqualTo(attempts);
		assertThat(backend.status("retrying").rawState()).isEqualTo("STOPPED");
	}

	@Test
	void givesUpOnACrashLoopAfterTheStartRetries() throws Exception {
		long start = System.nanoTime();
		ActionResult result = perform("crashloop", ServiceAction.START);
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
		assertThat(result.status().state()).isEqualTo(ServiceState.FAILED);
		assertThat(result.status().rawState()).isEqualTo("FATAL");
		assertThat(result.status().exitStatus()).isEqualTo(1);
		assertThat(result.status().pid()).isNull();
		assertThat(result.status().message()).startsWith(
				"Exited with status 1 within 300 ms; exited 3 times in a row within 1 s of its start; giving up");
		assertThat(result.message()).contains("failed to start");
		// 3 attempts (start-retries 2), with backoffs of 100 ms and 200 ms between them
		assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(300));
		// the output is read on a worker thread, and may follow the exit by a moment
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(backend.tail("crashloop")).isEqualTo("failing\nfailing\nfailing\n"));
	}

	@Test
	void backsOffAProgramThatExitsAtOnceAndFailsItAfterTheStartRetries() throws Exception {
		Spawns spawns = Spawns.of("falser");
		try {
			perform("falser", ServiceAction.START);
			await().atMost(Duration.ofSeconds(3))
				.until(() -> backend.status("falser").rawState().equals("FATAL") || spawns.count() > 6);
			// start-retries 3: the first run and 3 retries, 100, 200 and 400 ms apart
			assertThat(spawns.count()).isEqualTo(4);
			assertThat(spawns.intervals()).satisfiesExactly(
					(first) -> assertThat(first).isGreaterThanOrEqualTo(Duration.ofMillis(100)),
					(second) -> assertThat(second).isGreaterThanOrEqualTo(Duration.ofMillis(200)),
					(third) -> assertThat(third).isGreaterThanOrEqualTo(Duration.ofMillis(400)));
			ServiceStatus status = backend.status("falser");
			assertThat(status.state()).isEqualTo(ServiceState.FAILED);
			assertThat(status.exitStatus()).isEqualTo(1);
			assertThat(status.message()).startsWith("Exited with status 1")
				.contains("4 times in a row")
				.contains("giving up");
			await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(1)).until(() -> spawns.count() == 4);
		}
		finally {
			spawns.close();
			perform("falser", ServiceAction.STOP);
		}
	}

	@Test
	void backsOffAProgramThatCrashesJustAfterStartSeconds() throws Exception {
		Spawns spawns = Spawns.of("late-crasher");
		try {
			assertThat(perform("late-crasher", ServiceAction.START).outcome()).isEqualTo(Outcome.DONE);
			await().atMost(Duration.ofSeconds(5)).until(() -> spawns.count() >= 4);
			// each run lasts 300 ms, then the delays of 100, 200 and 400 ms double
			List<Duration> intervals = spawns.intervals();
			assertThat(intervals.get(0)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
			assertThat(intervals.get(1)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
			assertThat(intervals.get(2)).isGreaterThanOrEqualTo(Duration.ofMillis(700));
		}
		finally {
			spawns.close();
			perform("late-crasher", ServiceAction.STOP);
		}
	}

	@Test
	void resetsTheBackOffAfterAHealthyRun() throws Exception {
		Spawns spawns = Spawns.of("recovering");
		try {
			perform("recovering", ServiceAction.START);
			await().atMost(Duration.ofSeconds(6)).until(() -> backend.status("recovering").rawState().equals("FATAL"));
			// start-retries 2: runs 1 and 2 fail at once, run 3 is healthy for 1.5 s and
			// starts the count again, runs 4, 5 and 6 fail at once
			assertThat(spawns.count()).isEqualTo(6);
			assertThat(backend.status("recovering").message()).contains("3 times in a row");
		}
		finally {
			spawns.close();
			perform("recovering", ServiceAction.STOP);
		}
	}

	@Test
	void anOperatorStartRunsAFailedServiceAgain() throws Exception {
		try {
			perform("fixed", ServiceAction.START);
			await().atMost(Duration.ofSeconds(3)).until(() -> backend.status("fixed").rawState().equals("FATAL"));
			ActionResult started = perform("fixed", ServiceAction.START);
			assertThat(started.outcome()).isEqualTo(Outcome.DONE);
			long pid = started.status().pid();
			await().during(Duration.ofMillis(500))
				.atMost(Duration.ofSeconds(1))
				.until(() -> backend.status("fixed").rawState().equals("RUNNING"));
			ServiceStatus status = backend.status("fixed");
			assertThat(status.pid()).isEqualTo(pid);
			assertThat(status.message()).isNull();
			assertThat(isGone(pid)).isFalse();
		}
		finally {
			perform("fixed", ServiceAction.STOP);
		}
	}

	@Test
	void anOperatorStartEndsABackOffAtOnce() throws Exception {
		Spawns spawns = Spawns.of("patient");
		try {
			perform("patient", ServiceAction.START);
			await().atMost(Duration.ofSeconds(2)).until(() -> backend.status("patient").rawState().equals("BACKOFF"));
			assertThat(backend.status("patient").message()).endsWith("; retry 1 of 3 in 5 s");
			perform("patient", ServiceAction.START);
			await().atMost(Duration.ofSeconds(2))
				.until(() -> spawns.count() == 2 && backend.status("patient").rawState().equals("BACKOFF"));
			// the start cleared the count: this is again the first retry
			assertThat(backend.status("patient").message()).endsWith("; retry 1 of 3 in 5 s");
		}
		finally {
			spawns.close();
			perform("patient", ServiceAction.STOP);
		}
	}

	@Test
	void killsAProcessThatIgnoresTermAfterTheStopTimeout() throws Exception {
		ActionResult started = perform("stubborn", ServiceAction.START);
		long pid = started.status().pid();
		awaitUntil(() -> backend.tail("stubborn").contains("ready"), Duration.ofSeconds(5));
		long start = System.nanoTime();
		ActionResult stopped = perform("stubborn", ServiceAction.STOP);
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		assertThat(stopped.outcome()).isEqualTo(Outcome.DONE);
		assertThat(stopped.message()).contains("killed");
		assertThat(stopped.status().exitStatus()).isEqualTo(128 + 9);
		assertThat(took).isGreaterThanOrEqualTo(Duration.ofSeconds(1)).isLessThan(Duration.ofMillis(2500));
		assertThat(isGone(pid)).isTrue();
	}

	@Test
	void stopsChildrenAndGrandchildrenIncludingADoubleForkedOne() throws Exception {
		ActionResult started = perform("forker", ServiceAction.START);
		long pid = started.status().pid();
		Map<String, Long> pids = awaitPids("forker");
		assertForkedTree(pid, pids);
		ActionResult stopped = perform("forker", ServiceAction.STOP);
		assertThat(stopped.outcome()).isEqualTo(Outcome.DONE);
		assertThat(isGone(pid)).isTrue();
		pids.forEach((role, child) -> assertThat(isGone(child)).as(role).isTrue());
	}

	@Test
	void stopsEveryProcessTreeOnClose() throws Exception {
		EmbeddedBackend own = new EmbeddedBackend(List.of(
				with(spec("closing", forkingScript("closing"), RestartPolicy.ALWAYS, 2, Duration.ofSeconds(5)),
						START_SECONDS, true),
				with(spec("closing-stubborn", "trap '' TERM; echo ready; while :; do sleep 0.1; done",
						RestartPolicy.ALWAYS, 2, Duration.ofSeconds(1)), START_SECONDS, true)));
		try {
			own.start();
			awaitUntil(() -> own.status("closing").state() == ServiceState.RUNNING
					&& own.tail("closing-stubborn").contains("ready"), Duration.ofSeconds(5));
			long pid = own.status("closing").pid();
			long stubborn = own.status("closing-stubborn").pid();
			Map<String, Long> pids = awaitPids("closing");
			assertForkedTree(pid, pids);
			long start = System.nanoTime();
			own.close();
			Duration took = Duration.ofNanos(System.nanoTime() - start);
			assertThat(took).isLessThan(Duration.ofMillis(2500));
			assertThat(isGone(pid)).isTrue();
			assertThat(isGone(stubborn)).isTrue();
			pids.forEach((role, child) -> assertThat(isGone(child)).as(role).isTrue());
			assertThat(own.availability().available()).isFalse();
			assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> own.perform("closing", ServiceAction.START, TIMEOUT).get());
		}
		finally {
			own.close();
		}
	}

	@Test
	void reloadSendsHangupToTheMainProcess() throws Exception {
		ActionResult notRunning = perform("reloadable", ServiceAction.RELOAD);
		assertThat(notRunning.outcome()).isEqualTo(Outcome.FAILED);
		assertThat(notRunning.message()).contains("is not running");
		perform("reloadable", ServiceAction.START);
		awaitUntil(() -> backend.tail("reloadable").contains("ready"), Duration.ofSeconds(5));
		ActionResult reloaded = perform("reloadable", ServiceAction.RELOAD);
		assertThat(reloaded.outcome()).isEqualTo(Outcome.DONE);
		assertThat(reloaded.status().state()).isEqualTo(ServiceState.RUNNING);
		Path hup = directory.resolve("hup");
		awaitUntil(() -> Files.exists(hup), Duration.ofSeconds(5));
		assertThat(Files.readString(hup)).isEqualTo("hup\n");
		assertThat(backend.status("reloadable").pid()).isEqualTo(reloaded.status().pid());
		perform("reloadable", ServiceAction.STOP);
	}

	@Test
	void keepsABoundedTailOfTheMergedOutputAndAppendsItToTheLogFile() throws Exception {
		perform("chatty", ServiceAction.START);
		awaitUntil(() -> backend.tail("chatty").endsWith("last\n"), Duration.ofSeconds(5));
		String tail = backend.tail("chatty");
		assertThat(tail.getBytes(StandardCharsets.UTF_8)).hasSize(1024);
		assertThat(tail).contains("line 1999\nto stderr\nlast\n").doesNotContain("line 0\n");
		String log = Files.readString(directory.resolve("chatty.log"));
		assertThat(log).startsWith("line 0\nline 1\n").endsWith("line 1999\nto stderr\nlast\n");
		perform("chatty", ServiceAction.STOP);
	}

	@Test
	void notifiesListenersOfEveryChangeWithoutWaitingForThem() throws Exception {
		List<String> seen = new CopyOnWriteArrayList<>();
		CountDownLatch release = new CountDownLatch(1);
		Subscription blocking = backend.watch((status) -> {
			try {
				release.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		Subscription throwing = backend.watch((status) -> {
			throw new IllegalStateException("a broken listener");
		});
		Subscription recording = backend.watch((status) -> {
			if (status.name().equals("watched")) {
				seen.add(status.rawState() + "/" + status.state());
			}
		});
		try {
			long start = System.nanoTime();
			ActionResult started = perform("watched", ServiceAction.START);
			assertThat(started.outcome()).isEqualTo(Outcome.DONE);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
			assertThat(seen).isEmpty();
			release.countDown();
			awaitUntil(() -> seen.size() >= 2, Duration.ofSeconds(5));
			assertThat(seen).containsExactly("STARTING/STARTING", "RUNNING/RUNNING");
			perform("watched", ServiceAction.STOP);
			awaitUntil(() -> seen.size() >= 4, Duration.ofSeconds(5));
			assertThat(seen).endsWith("STOPPING/STOPPING", "STOPPED/STOPPED");
		}
		finally {
			release.countDown();
			blocking.close();
			throwing.close();
			recording.close();
		}
		int count = seen.size();
		perform("watched", ServiceAction.START);
		perform("watched", ServiceAction.STOP);
		assertThat(seen).hasSize(count);
	}

	@Test
	void killAppliesTheRestartPolicy() throws Exception {
		ActionResult started = perform("killable", ServiceAction.START);
		long pid = started.status().pid();
		ActionResult killed = perform("killable", ServiceAction.KILL);
		assertThat(killed.outcome()).isEqualTo(Outcome.DONE);
		assertThat(isGone(pid)).isTrue();
		awaitUntil(() -> backend.status("killable").state() == ServiceState.RUNNING, Duration.ofSeconds(5));
		ServiceStatus status = backend.status("killable");
		assertThat(status.restarts()).isEqualTo(1);
		assertThat(status.exitStatus()).isEqualTo(128 + 9);
		assertThat(status.pid()).isNotEqualTo(pid);
		perform("killable", ServiceAction.STOP);
		assertThat(perform("killable", ServiceAction.KILL).outcome()).isEqualTo(Outcome.NO_CHANGE);
	}

	@Test
	void completesWithTimeoutWhenTheDeadlinePasses() throws Exception {
		long start = System.nanoTime();
		ActionResult result = backend.perform("slow", ServiceAction.START, Duration.ofMillis(200))
			.get(5, TimeUnit.SECONDS);
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		assertThat(result.outcome()).isEqualTo(Outcome.TIMEOUT);
		assertThat(result.status().state()).isEqualTo(ServiceState.STARTING);
		assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(200)).isLessThan(Duration.ofSeconds(1));
		ActionResult stopped = perform("slow", ServiceAction.STOP);
		assertThat(stopped.outcome()).isEqualTo(Outcome.DONE);
		assertThat(stopped.status().state()).isEqualTo(ServiceState.STOPPED);
	}

	@Test
	void spawnsOneProcessForConcurrentStarts() throws Exception {
		List<CompletableFuture<ActionResult>> futures = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			futures.add(backend.perform("concurrent", ServiceAction.START, TIMEOUT));
		}
		List<ActionResult> results = new ArrayList<>();
		for (CompletableFuture<ActionResult> future : futures) {
			results.add(future.get(15, TimeUnit.SECONDS));
		}
		assertThat(results).extracting(ActionResult::outcome)
			.containsOnlyOnce(Outcome.DONE)
			.containsOnly(Outcome.DONE, Outcome.NO_CHANGE);
		long pid = backend.status("concurrent").pid();
		assertThat(results).extracting((result) -> result.status().pid()).containsOnly(pid);
		assertThat(processesInGroup(pid)).containsExactly(pid);
		perform("concurrent", ServiceAction.STOP);
	}

	@Test
	void failsAServiceWhoseExecutableIsMissing() throws Exception {
		ActionResult result = perform("missing", ServiceAction.START);
		assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
		assertThat(result.status().rawState()).isEqualTo("FATAL");
		assertThat(result.status().message())
			.contains("Cannot run 'no-such-program': no such executable file", "giving up")
			.doesNotContain(directory.toString());
	}

	@Test
	void doesNotSupportRunitOnlyActions() {
		assertThat(backend.supportedActions()).containsExactlyInAnyOrder(ServiceAction.START, ServiceAction.STOP,
				ServiceAction.RESTART, ServiceAction.RELOAD, ServiceAction.KILL);
	}

	@Test
	void acceptsOnlyDeclaredServices() {
		backend.validateTarget("sleeper");
		assertThatExceptionOfType(InvalidServiceNameException.class)
			.isThrownBy(() -> backend.validateTarget("undeclared"));
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> backend.perform("undeclared", ServiceAction.START, TIMEOUT).get())
			.withCauseInstanceOf(UnknownServiceException.class);
		Map<String, ServiceStatus> status = backend.status(List.of("sleeper", "undeclared"), TIMEOUT);
		assertThat(status.get("sleeper").backend()).isEqualTo("embedded");
		assertThat(status.get("undeclared").state()).isEqualTo(ServiceState.UNKNOWN);
	}

	private static ActionResult perform(String name, ServiceAction action) throws Exception {
		return backend.perform(name, action, TIMEOUT).get(TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
	}

	private static int restarts(String name) {
		Integer restarts = backend.status(name).restarts();
		return (restarts != null) ? restarts : 0;
	}

	private static String forkingScript(String name) {
		String pids = directory.resolve(name + ".pids").toString();
		// a child; a grandchild whose parent exits at once (double fork, re-parented to
		// init but still in the group); a child in a session of its own
		return "sleep 600 & echo \"child $!\" >> '" + pids + "'\n" + "(sleep 600 & echo \"orphan $!\" >> '" + pids
				+ "')\n" + "setsid sleep 600 & echo \"session $!\" >> '" + pids + "'\n" + "echo done >> '" + pids
				+ "'\n" + "wait\n";
	}

	private static String countingScript(String name, String then) {
		String count = directory.resolve(name + ".count").toString();
		return "n=$(($(cat '" + count + "' 2>/dev/null || echo 0) + 1)); echo $n > '" + count + "'; " + then
				+ "; exit 1";
	}

	private static Map<String, Long> awaitPids(String name) throws Exception {
		Path file = directory.resolve(name + ".pids");
		awaitUntil(() -> Files.exists(file) && read(file).contains("done"), Duration.ofSeconds(5));
		Map<String, Long> pids = new LinkedHashMap<>();
		for (String line : read(file).split("\n")) {
			String[] words = line.split(" ");
			if (words.length == 2) {
				pids.put(words[0], Long.parseLong(words[1]));
			}
		}
		assertThat(pids).containsOnlyKeys("child", "orphan", "session");
		return pids;
	}

	private static void assertForkedTree(long pid, Map<String, Long> pids) {
		pids.values().forEach((child) -> assertThat(isGone(child)).isFalse());
		ProcessTree.Stat orphan = ProcessTree.Stat.read(pids.get("orphan"));
		assertThat(orphan.ppid()).isNotEqualTo(pid);
		assertThat(orphan.pgrp()).isEqualTo(pid);
		assertThat(ProcessHandle.of(pid).get().descendants().map(ProcessHandle::pid)).doesNotContain(orphan.pid());
		ProcessTree.Stat session = ProcessTree.Stat.read(pids.get("session"));
		assertThat(session.session()).isNotEqualTo(pid);
		assertThat(session.ppid()).isEqualTo(pid);
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			return "";
		}
	}

	private static boolean isGone(long pid) {
		ProcessTree.Stat stat = ProcessTree.Stat.read(pid);
		return stat == null || !stat.isLive();
	}

	private static String commandLine(long pid) throws IOException {
		return Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
	}

	private static List<Long> processesInGroup(long pgid) throws IOException {
		List<Long> members = new ArrayList<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
			for (Path entry : entries) {
				ProcessTree.Stat stat = ProcessTree.Stat.read(Long.parseLong(entry.getFileName().toString()));
				if (stat != null && stat.pgrp() == pgid && stat.isLive()) {
					members.add(stat.pid());
				}
			}
		}
		return members;
	}

	private static void awaitUntil(BooleanSupplier condition, Duration timeout) {
		await().atMost(timeout).pollInterval(Duration.ofMillis(20)).until(condition::getAsBoolean);
	}

	private static EmbeddedServiceSpec spec(String name, String script, RestartPolicy restart, int retries,
			Duration stopTimeout) throws IOException {
		return spec(name, script, restart, retries, stopTimeout, Map.of(), null, 1024);
	}

	private static EmbeddedServiceSpec spec(String name, String script, RestartPolicy restart, int retries,
			Duration stopTimeout, Map<String, String> environment, @Nullable Path logFile, int tailBytes)
			throws IOException {
		return spec(directory, name, script, restart, retries, stopTimeout, environment, logFile, tailBytes);
	}

	/**
	 * Write a shell script into a folder and return the spec of a service that runs it as
	 * {@code /bin/sh <folder>/<name>.sh} in that folder, with these tests' start seconds
	 * and restart delays.
	 * @param directory the folder
	 * @param name the service's name
	 * @param script the script
	 * @param restart the restart policy
	 * @param retries the start retries
	 * @param stopTimeout the stop timeout
	 * @param environment the environment
	 * @param logFile the log file, or {@code null}
	 * @param tailBytes the size of the output's tail
	 * @return the spec
	 * @throws IOException if the script cannot be written
	 */
	static EmbeddedServiceSpec spec(Path directory, String name, String script, RestartPolicy restart, int retries,
			Duration stopTimeout, Map<String, String> environment, @Nullable Path logFile, int tailBytes)
			throws IOException {
		Path file = directory.resolve(name + ".sh");
		Files.writeString(file, script + "\n");
		return new EmbeddedServiceSpec(name, List.of("/bin/sh", file.toString()), directory, environment, restart,
				START_SECONDS, retries, RESTART_DELAY, RESTART_DELAY_MAX, stopTimeout, false, logFile, tailBytes);
	}

	private static EmbeddedServiceSpec command(String name, List<String> command, Duration startSeconds, int retries) {
		return new EmbeddedServiceSpec(name, command, directory, Map.of(), RestartPolicy.ON_FAILURE, startSeconds,
				retries, RESTART_DELAY, RESTART_DELAY_MAX, Duration.ofSeconds(1), false, null, 0);
	}

	private static EmbeddedServiceSpec with(EmbeddedServiceSpec spec, Duration startSeconds, boolean autostart) {
		return new EmbeddedServiceSpec(spec.name(), spec.command(), spec.workingDirectory(), spec.environment(),
				spec.restart(), startSeconds, spec.startRetries(), spec.restartDelay(), spec.restartDelayMax(),
				spec.stopTimeout(), autostart, spec.logFile(), spec.tailBytes());
	}

	/**
	 * Records when each process of one service was spawned, from the statuses the backend
	 * publishes.
	 */
	private static final class Spawns implements ServiceStatusListener, AutoCloseable {

		private final String name;

		private final Map<Long, Instant> spawned = new LinkedHashMap<>();

		private Subscription subscription;

		private Spawns(String name) {
			this.name = name;
		}

		static Spawns of(String name) {
			Spawns spawns = new Spawns(name);
			spawns.subscription = backend.watch(spawns);
			return spawns;
		}

		@Override
		public synchronized void statusChanged(ServiceStatus status) {
			if (status.name().equals(this.name) && status.pid() != null) {
				this.spawned.putIfAbsent(status.pid(), status.since());
			}
		}

		synchronized int count() {
			return this.spawned.size();
		}

		synchronized List<Duration> intervals() {
			List<Duration> intervals = new ArrayList<>();
			Instant previous = null;
			for (Instant spawn : this.spawned.values()) {
				if (previous != null) {
					intervals.add(Duration.between(previous, spawn));
				}
				previous = spawn;
			}
			return intervals;
		}

		@Override
		public void close() {
			this.subscription.close();
		}

	}

}
