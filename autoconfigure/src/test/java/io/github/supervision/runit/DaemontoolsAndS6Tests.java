package io.github.supervision.runit;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.github.supervision.ActionResult;
import io.github.supervision.ActionResult.Outcome;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceLog;
import io.github.supervision.ServiceSignal;
import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import io.github.supervision.testsupport.RealDaemonTest;
import io.github.supervision.testsupport.RealDaemons;
import io.github.supervision.testsupport.Runsvdir;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the daemontools and s6 status formats, written by a real daemontools
 * {@code supervise} and a real s6 {@code s6-supervise}, and compared with what their own
 * {@code svstat} and {@code s6-svstat} print, in the up, paused and down states; and for
 * the log tail of services whose log services run {@code multilog} and {@code s6-log}
 * (each service's output piped to its log service's supervisor, as {@code svscan} and
 * {@code s6-svscan} do).
 *
 * @author Supervision contributors
 */
@RealDaemonTest
class DaemontoolsAndS6Tests {

	private static final String SUPERVISE = "/usr/bin/supervise";

	private static final String SVSTAT = "/usr/bin/svstat";

	private static final String S6_SUPERVISE = "/usr/bin/s6-supervise";

	private static final String S6_SVSTAT = "/usr/bin/s6-svstat";

	private static final String MULTILOG = "/usr/bin/multilog";

	private static final String S6_LOG = "/usr/bin/s6-log";

	private static final String HOSTILE = "exec 2>&1\necho one\nprintf '\\033[31mred\\033[0m \\377 bad\\n'\n"
			+ "exec sleep 1000";

	// numbered lines, 100 every 10 ms, from the moment the service is started
	private static final String CHATTY = "exec 2>&1\ni=0\n"
			+ "while :; do seq $((i+1)) $((i+100)); i=$((i+100)); sleep 0.01; done";

	private static final Instant STARTED = Instant.now();

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private static final Pattern SVSTAT_LINE = Pattern
		.compile("\\S+: (up|down) (?:\\(pid (\\d+)\\) )?(\\d+) seconds(.*)");

	private static final List<Process> supervisors = new ArrayList<>();

	private static Path root;

	private static Path daemontools;

	private static Path s6;

	private static Path multilogged;

	private static Path s6Logged;

	private static Path multilogChatty;

	private static Path s6LogChatty;

	private static Path s6Ready;

	private static RunitBackend backend;

	@BeforeAll
	static void startSupervisors() throws Exception {
		RealDaemons.requireExecutables(SUPERVISE, SVSTAT, S6_SUPERVISE, S6_SVSTAT, MULTILOG, S6_LOG);
		root = Files.createTempDirectory("supervise-tests");
		daemontools = Files.createDirectories(root.resolve("daemontools"));
		s6 = Files.createDirectories(root.resolve("s6"));
		Runsvdir.script(daemontools.resolve("run"), "exec sleep 1000");
		Runsvdir.script(s6.resolve("run"), "exec sleep 1000");
		// says it is ready a second after it starts, on the fd named in notification-fd
		s6Ready = Files.createDirectories(root.resolve("s6-ready"));
		Files.writeString(s6Ready.resolve("notification-fd"), "3\n");
		Runsvdir.script(s6Ready.resolve("run"), "sleep 1\necho >&3\nexec sleep 1000 3>&-");
		supervisors.add(start(SUPERVISE, daemontools));
		supervisors.add(start(S6_SUPERVISE, s6));
		multilogged = logged(SUPERVISE, "multilogged", HOSTILE, "exec multilog t ./main", false);
		s6Logged = logged(S6_SUPERVISE, "s6-logged", HOSTILE, "exec s6-log -b n20 s1000000 t T ./main", false);
		// rotate every 4 KB (about 100 to 150 lines), keep 30 rotated files
		multilogChatty = logged(SUPERVISE, "multilog-chatty", CHATTY, "exec multilog t s4096 n30 ./main", true);
		s6LogChatty = logged(S6_SUPERVISE, "s6-log-chatty", CHATTY, "exec s6-log n30 s4096 T ./main", true);
		supervisors.add(start(S6_SUPERVISE, s6Ready));
		backend = new RunitBackend(root, false, Duration.ofMillis(200), true, RunitBackend.DEFAULT_LOG_FILE, List.of());
		for (Path directory : List.of(daemontools, s6)) {
			await(directory + " to run").atMost(TIMEOUT).until(() -> read(directory).state() == ServiceState.RUNNING);
		}
	}

	// a service and its log service, each under its own supervisor, the service's output
	// piped to the log service's supervisor
	private static Path logged(String supervisor, String name, String run, String logRun, boolean normallyDown)
			throws Exception {
		Path directory = Files.createDirectories(root.resolve(name));
		Runsvdir.script(directory.resolve("run"), run);
		if (normallyDown) {
			Files.createFile(directory.resolve("down"));
		}
		Path log = Files.createDirectories(directory.resolve("log/main")).getParent();
		Runsvdir.script(log.resolve("run"), logRun);
		supervisors.addAll(ProcessBuilder.startPipeline(List.of(
				new ProcessBuilder(supervisor, directory.toString()).redirectError(ProcessBuilder.Redirect.DISCARD),
				new ProcessBuilder(supervisor, log.toString()).redirectErrorStream(true)
					.redirectOutput(ProcessBuilder.Redirect.DISCARD))));
		return directory;
	}

	private static Process start(String supervisor, Path directory) throws Exception {
		return new ProcessBuilder(supervisor, directory.toString()).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
	}

	@AfterAll
	static void stopSupervisors() throws Exception {
		if (backend != null) {
			backend.close();
		}
		Set<Long> pids = new LinkedHashSet<>();
		for (Process supervisor : supervisors) {
			pids.add(supervisor.pid());
			supervisor.descendants().forEach((handle) -> pids.add(handle.pid()));
		}
		for (Long pid : pids) {
			Runsvdir.signal(pid, "CONT");
			Runsvdir.signal(pid, "TERM");
		}
		try {
			await().atMost(TIMEOUT)
				.pollInterval(Duration.ofMillis(20))
				.until(() -> pids.stream().noneMatch(Runsvdir::isRunning));
		}
		catch (ConditionTimeoutException ex) {
			// the survivors are killed and reported below
		}
		List<Long> survivors = pids.stream().filter(Runsvdir::isRunning).toList();
		for (Long pid : survivors) {
			Runsvdir.signal(pid, "KILL");
		}
		for (Process supervisor : supervisors) {
			supervisor.waitFor(2, TimeUnit.SECONDS);
		}
		assertThat(survivors).as("processes left after TERM to the supervisors").isEmpty();
		if (root != null) {
			Runsvdir.delete(root);
		}
	}

	@Test
	void readsDaemontoolsUpPausedAndDownAsSvstatDoes() throws Exception {
		ServiceStatus up = assertSameAsSvstat(daemontools);
		assertThat(up.details()).containsEntry("flavour", "daemontools");
		assertThat(up.state()).isEqualTo(ServiceState.RUNNING);
		assertThat(Runsvdir.isRunning(up.pid())).isTrue();
		assertThat(perform(daemontools, ServiceAction.PAUSE)).isEqualTo(Outcome.DONE);
		assertThat(assertSameAsSvstat(daemontools).rawState()).isEqualTo("run, paused");
		assertThat(perform(daemontools, ServiceAction.CONTINUE)).isEqualTo(Outcome.DONE);
		assertThat(perform(daemontools, ServiceAction.STOP)).isEqualTo(Outcome.DONE);
		ServiceStatus down = assertSameAsSvstat(daemontools);
		assertThat(down.state()).isEqualTo(ServiceState.STOPPED);
		assertThat(down.rawState()).isEqualTo("down, normally up");
		assertThat(Runsvdir.isRunning(up.pid())).isFalse();
		assertThat(perform(daemontools, ServiceAction.START)).isEqualTo(Outcome.DONE);
		assertThat(assertSameAsSvstat(daemontools).pid()).isNotEqualTo(up.pid());
	}

	@Test
	void readsS6UpPausedAndDownAsS6SvstatDoes() throws Exception {
		ServiceStatus up = assertSameAsS6Svstat(s6);
		assertThat(up.details()).containsEntry("flavour", "s6");
		assertThat(up.state()).isEqualTo(ServiceState.RUNNING);
		assertThat(perform(s6, ServiceAction.PAUSE)).isEqualTo(Outcome.DONE);
		assertThat(assertSameAsS6Svstat(s6).rawState()).isEqualTo("run, paused");
		assertThat(perform(s6, ServiceAction.CONTINUE)).isEqualTo(Outcome.DONE);
		assertThat(perform(s6, ServiceAction.STOP)).isEqualTo(Outcome.DONE);
		ServiceStatus down = assertSameAsS6Svstat(s6);
		assertThat(down.state()).isEqualTo(ServiceState.STOPPED);
		assertThat(down.details()).containsEntry("signal", "15");
		assertThat(perform(s6, ServiceAction.START)).isEqualTo(Outcome.DONE);
		assertThat(assertSameAsS6Svstat(s6).pid()).isNotEqualTo(up.pid());
	}

	@Test
	void tailsWhatMultilogWroteWithItsTai64nStamps() {
		ServiceLog log = awaitLines(multilogged, 2);
		assertThat(log.texts()).containsExactly("one", "red \ufffd bad");
		// multilog t writes TAI64N as libtai does (TAI - UTC = 10 s)
		assertThat(log.lines()).allSatisfy(
				(line) -> assertThat(line.time()).isBetween(STARTED.minusSeconds(2), Instant.now().plusSeconds(2)));
	}

	@Test
	void tailsWhatS6LogWroteWithItsStamps() {
		ServiceLog log = awaitLines(s6Logged, 2);
		assertThat(log.texts()).containsExactly("one", "red \ufffd bad");
		// s6-log t writes TAI64N as skalibs does (TAI - UTC = 37 s); T's local stamp is
		// removed too
		assertThat(log.lines()).allSatisfy(
				(line) -> assertThat(line.time()).isBetween(STARTED.minusSeconds(2), Instant.now().plusSeconds(2)));
	}

	@Test
	void aMultilogLogRotatedWhileItIsReadGivesConsecutiveLines() throws Exception {
		assertConsecutiveWhileRotating(multilogChatty);
	}

	@Test
	void anS6LogLogRotatedWhileItIsReadGivesConsecutiveLines() throws Exception {
		assertConsecutiveWhileRotating(s6LogChatty);
	}

	private static void assertConsecutiveWhileRotating(Path directory) throws Exception {
		assertThat(perform(directory, ServiceAction.START)).isEqualTo(Outcome.DONE);
		try {
			awaitLines(directory, 1000);
			Set<String> rotated = new LinkedHashSet<>();
			long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
			int reads = 0;
			while (System.nanoTime() - end < 0 && reads < 1000) {
				long before = System.nanoTime();
				ServiceLog log = backend.tailLog(directory.toString(), 1000, Duration.ofSeconds(2));
				assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(3));
				List<Long> numbers = log.texts().stream().map(Long::valueOf).toList();
				assertThat(numbers).isNotEmpty();
				for (int i = 1; i < numbers.size(); i++) {
					assertThat(numbers.get(i)).as("line %d of %s", i, numbers.size()).isEqualTo(numbers.get(i - 1) + 1);
				}
				assertThat(log.lines()).allSatisfy((line) -> assertThat(line.time()).isNotNull());
				assertThat(numbers.size() == 1000 || log.truncated()).isTrue();
				try (Stream<Path> files = Files.list(directory.resolve("log/main"))) {
					files.map((file) -> file.getFileName().toString())
						.filter((name) -> name.startsWith("@"))
						.forEach(rotated::add);
				}
				reads++;
			}
			assertThat(reads).isGreaterThan(10);
			assertThat(rotated).as("files the logger rotated while the log was read").hasSizeGreaterThan(10);
		}
		finally {
			assertThat(perform(directory, ServiceAction.STOP)).isEqualTo(Outcome.DONE);
		}
	}

	private static ServiceLog awaitLines(Path directory, int lines) {
		return await(lines + " log lines of " + directory).atMost(Duration.ofSeconds(10))
			.until(() -> backend.tailLog(directory.toString(), lines, TIMEOUT), (log) -> log.lines().size() == lines);
	}

	@Test
	void anS6StartWithANotificationFdWaitsUntilTheServiceIsReady() throws Exception {
		await().atMost(TIMEOUT).until(() -> run(S6_SVSTAT, s6Ready.toString()).contains("ready"));
		assertThat(perform(s6Ready, ServiceAction.STOP)).isEqualTo(Outcome.DONE);
		long start = System.nanoTime();
		ActionResult started = backend.perform(s6Ready.toString(), ServiceAction.START, TIMEOUT)
			.get(10, TimeUnit.SECONDS);
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		assertThat(started.outcome()).as(started.message()).isEqualTo(Outcome.DONE);
		assertThat(started.message()).contains("ready");
		assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(900));
		// what s6-svc -wU waits for: s6-svstat reports the service ready
		assertThat(run(S6_SVSTAT, s6Ready.toString())).startsWith("up").contains("ready");
		ActionResult timedOut = backend.perform(s6Ready.toString(), ServiceAction.RESTART, Duration.ofMillis(300))
			.get(10, TimeUnit.SECONDS);
		// a second to be ready is longer than the deadline: the restart is not done
		assertThat(timedOut.outcome()).as(timedOut.message()).isEqualTo(Outcome.TIMEOUT);
		await().atMost(TIMEOUT).until(() -> run(S6_SVSTAT, s6Ready.toString()).contains("ready"));
	}

	@Test
	void signalsUseEachSupervisorsOwnLetters() throws Exception {
		long s6Pid = assertSameAsS6Svstat(s6).pid();
		ActionResult winch = backend.signal(s6.toString(), ServiceSignal.WINCH, TIMEOUT).get(10, TimeUnit.SECONDS);
		assertThat(winch.outcome()).as(winch.message()).isEqualTo(Outcome.DONE);
		assertThat(assertSameAsS6Svstat(s6).pid()).isEqualTo(s6Pid);
		ActionResult usr1 = backend.signal(daemontools.toString(), ServiceSignal.USR1, TIMEOUT)
			.get(10, TimeUnit.SECONDS);
		assertThat(usr1.outcome()).isEqualTo(Outcome.UNSUPPORTED);
		assertThat(usr1.message()).contains("supervise cannot send SIGUSR1");
		long daemontoolsPid = assertSameAsSvstat(daemontools).pid();
		ActionResult cont = backend.signal(daemontools.toString(), ServiceSignal.CONT, TIMEOUT)
			.get(10, TimeUnit.SECONDS);
		assertThat(cont.outcome()).as(cont.message()).isEqualTo(Outcome.DONE);
		assertThat(assertSameAsSvstat(daemontools).pid()).isEqualTo(daemontoolsPid);
	}

	@Test
	void disableWritesTheDownFileThatS6SvstatReports() throws Exception {
		ActionResult disabled = backend.enable(s6.toString(), false, TIMEOUT).get(10, TimeUnit.SECONDS);
		assertThat(disabled.outcome()).as(disabled.message()).isEqualTo(Outcome.DONE);
		assertThat(run(S6_SVSTAT, s6.toString())).contains("normally down");
		ActionResult enabled = backend.enable(s6.toString(), true, TIMEOUT).get(10, TimeUnit.SECONDS);
		assertThat(enabled.outcome()).as(enabled.message()).isEqualTo(Outcome.DONE);
		assertThat(run(S6_SVSTAT, s6.toString())).doesNotContain("normally down");
	}

	private static ServiceStatus read(Path directory) {
		return backend.status(List.of(directory.toString()), TIMEOUT).get(directory.toString());
	}

	private static Outcome perform(Path directory, ServiceAction action) throws Exception {
		return backend.perform(directory.toString(), action, TIMEOUT).get(10, TimeUnit.SECONDS).outcome();
	}

	private static ServiceStatus assertSameAsSvstat(Path directory) {
		return await("a state of " + directory + " that holds while svstat reads it").atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> {
				ServiceStatus before = read(directory);
				String line = run(SVSTAT, directory.toString());
				Instant now = Instant.now();
				if (before.equals(read(directory))) {
					Matcher matcher = SVSTAT_LINE.matcher(line);
					assertThat(matcher.matches()).as("svstat line: %s", line).isTrue();
					assertThat(before.rawState())
						.isEqualTo((matcher.group(1).equals("up") ? "run" : "down") + matcher.group(4));
					assertThat(before.pid())
						.isEqualTo((matcher.group(2) != null) ? Long.valueOf(matcher.group(2)) : null);
					assertSeconds(before, now, Long.parseLong(matcher.group(3)));
					return before;
				}
				return null;
			}, Objects::nonNull);
	}

	private static ServiceStatus assertSameAsS6Svstat(Path directory) {
		return await("a state of " + directory + " that holds while s6-svstat reads it").atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> {
				ServiceStatus before = read(directory);
				String line = run(S6_SVSTAT, "-o", "up,wantedup,normallyup,paused,pid,exitcode,updownfor",
						directory.toString());
				Instant now = Instant.now();
				if (before.equals(read(directory))) {
					String[] fields = line.split(" ");
					assertThat(fields).as("s6-svstat line: %s", line).hasSize(7);
					assertThat(before.pid() != null).isEqualTo(Boolean.parseBoolean(fields[0]));
					assertThat(before.details().get("want")).isEqualTo(Boolean.parseBoolean(fields[1]) ? "up" : "down");
					assertThat(before.details()).containsEntry("normallyUp", fields[2]);
					assertThat(before.rawState().contains("paused")).isEqualTo(Boolean.parseBoolean(fields[3]));
					assertThat((before.pid() != null) ? before.pid() : -1L).isEqualTo(Long.parseLong(fields[4]));
					assertThat((before.exitStatus() != null) ? before.exitStatus() : -1)
						.isEqualTo(Integer.parseInt(fields[5]));
					assertSeconds(before, now, Long.parseLong(fields[6]));
					return before;
				}
				return null;
			}, Objects::nonNull);
	}

	private static void assertSeconds(ServiceStatus status, Instant now, long seconds) {
		assertThat(Duration.between(status.since(), now).toSeconds()).isBetween(seconds - 1, seconds + 1);
	}

	private static String run(String... command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
		return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
	}

}
