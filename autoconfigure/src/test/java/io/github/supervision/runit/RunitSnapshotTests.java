package io.github.supervision.runit;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.supervision.BackendUnavailableException;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import io.github.supervision.Subscription;
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
 * Tests for the status snapshots of {@link RunitBackend} against a real {@code runsvdir}:
 * a watched service is served from memory (no file is read) until its files change, a
 * change made with {@code sv} shows in the very next read, and a dead runsv shows at once
 * even from a snapshot.
 *
 * @author Supervision contributors
 */
@RealDaemonTest
class RunitSnapshotTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private static final String SLEEP = "exec sleep 1000";

	private static final Pattern SV_LINE = Pattern.compile("(run|down|finish): \\S+: (?:\\(pid (\\d+)\\) )?\\d+s(.*)");

	@RegisterExtension
	static final Runsvdir runsvdir = Runsvdir.withServices((runsvdir) -> {
		for (String name : List.of("cached", "toggled", "flagged", "unwatched", "neighbour")) {
			runsvdir.service(name, SLEEP, false);
		}
		Path logged = runsvdir.service("logged", SLEEP, false);
		Files.createDirectories(logged.resolve("log/main"));
		Runsvdir.script(logged.resolve("log/run"), "exec svlogd ./main");
	});

	private static RunitBackend backend;

	@BeforeAll
	static void startBackend() {
		backend = new RunitBackend(runsvdir.scan(), false, Duration.ofMillis(200), true, RunitBackend.DEFAULT_LOG_FILE,
				List.of("cached", "toggled", "flagged", "logged", "neighbour"));
		backend.start();
		for (String name : List.of("cached", "toggled", "flagged", "logged", "neighbour")) {
			await(name + " to run").atMost(TIMEOUT).until(() -> read(name).state() == ServiceState.RUNNING);
		}
	}

	@AfterAll
	static void stopBackend() {
		if (backend != null) {
			backend.close();
		}
	}

	@Test
	void servesAnUnchangedStatusFromMemoryWithoutReadingAFile() throws Exception {
		ServiceStatus first = read("cached");
		long reads = backend.fileReads();
		for (int i = 0; i < 100; i++) {
			assertThat(read("cached")).isEqualTo(first);
		}
		assertThat(backend.fileReads()).isEqualTo(reads);
		assertThat(first.details()).containsEntry("watch", "inotify");
		assertSameAsSv(first, Runsvdir.sv("status", dir("cached")));
	}

	@Test
	void showsAChangeMadeWithSvInTheVeryNextRead() throws Exception {
		ServiceStatus running = read("toggled");
		assertThat(read("toggled")).isEqualTo(running);
		Runsvdir.sv("-w", "5", "down", dir("toggled"));
		ServiceStatus down = read("toggled");
		assertThat(down.state()).isEqualTo(ServiceState.STOPPED);
		assertSameAsSv(down, Runsvdir.sv("status", dir("toggled")));
		long reads = backend.fileReads();
		assertThat(read("toggled")).isEqualTo(down);
		assertThat(backend.fileReads()).isEqualTo(reads);
		Runsvdir.sv("-w", "5", "up", dir("toggled"));
		ServiceStatus up = read("toggled");
		assertThat(up.state()).isEqualTo(ServiceState.RUNNING);
		assertThat(up.pid()).isNotEqualTo(running.pid());
		assertSameAsSv(up, Runsvdir.sv("status", dir("toggled")));
	}

	@Test
	void flipsNormallyDownWhenTheDownFileComesAndGoes() throws Exception {
		assertThat(read("flagged").rawState()).isEqualTo("run");
		Path down = Files.createFile(runsvdir.scan().resolve("flagged/down"));
		// Made on this thread: the watcher sees it a moment later
		await("normally down").atMost(Duration.ofSeconds(1))
			.until(() -> read("flagged").rawState().equals("run, normally down"));
		assertThat(read("flagged").details()).containsEntry("normallyUp", "false");
		assertSameAsSv(read("flagged"), Runsvdir.sv("status", dir("flagged")));
		Files.delete(down);
		await("normally up").atMost(Duration.ofSeconds(1)).until(() -> read("flagged").rawState().equals("run"));
		assertSameAsSv(read("flagged"), Runsvdir.sv("status", dir("flagged")));
	}

	@Test
	void showsAChangeOfTheLogService() throws Exception {
		await("the log to run").atMost(TIMEOUT).until(() -> "run".equals(read("logged").details().get("log.state")));
		Runsvdir.sv("-w", "5", "down", dir("logged") + "/log");
		assertThat(read("logged").details()).containsEntry("log.state", "down").doesNotContainKey("log.pid");
		Runsvdir.sv("-w", "5", "up", dir("logged") + "/log");
		assertThat(read("logged").details()).containsEntry("log.state", "run").containsKey("log.pid");
	}

	@Test
	void reportsRunsvNotRunningAtOnceEvenFromASnapshot() throws Exception {
		Path directory = runsvdir.service(runsvdir.root(), "victim", SLEEP, false);
		Process runsv = runsvdir.runsv(directory);
		String target = directory.toString();
		await("victim to run").atMost(TIMEOUT).until(() -> read(target).state() == ServiceState.RUNNING);
		ServiceStatus running = read(target);
		long reads = backend.fileReads();
		assertThat(read(target)).isEqualTo(running);
		assertThat(backend.fileReads()).isEqualTo(reads);
		Runsvdir.signal(runsv.pid(), "KILL");
		assertThat(runsv.waitFor(5, TimeUnit.SECONDS)).isTrue();
		ServiceStatus dead = read(target);
		assertThat(dead.state()).isEqualTo(ServiceState.UNKNOWN);
		assertThat(dead.rawState()).isEqualTo("runsv not running");
		assertThat(Runsvdir.sv("status", target)).contains("runsv not running");
		Runsvdir.signal(running.pid(), "KILL");
	}

	@Test
	void reportsAServiceDirectoryThatWentAwayEvenFromASnapshot() throws Exception {
		Path directory = runsvdir.service(runsvdir.root(), "moved", SLEEP, false);
		Process runsv = runsvdir.runsv(directory);
		String target = directory.toString();
		await("moved to run").atMost(TIMEOUT).until(() -> read(target).state() == ServiceState.RUNNING);
		long pid = read(target).pid();
		Runsvdir.signal(runsv.pid(), "KILL");
		assertThat(runsv.waitFor(5, TimeUnit.SECONDS)).isTrue();
		Runsvdir.signal(pid, "KILL");
		assertThat(read(target).rawState()).isEqualTo("runsv not running");
		// Moving the directory itself is no event in the directories watched
		Files.move(directory, runsvdir.root().resolve("moved-away"));
		ServiceStatus gone = read(target);
		assertThat(gone.state()).isEqualTo(ServiceState.UNKNOWN);
		assertThat(gone.message()).startsWith("No service directory at " + directory);
	}

	@Test
	void aFifoAtSuperviseStatusIsUnknownAndBlocksNeitherTheReaderNorTheWatch() throws Exception {
		Path supervise = Files.createDirectories(runsvdir.root().resolve("fifo/supervise"));
		Path status = supervise.resolve("status");
		Process mkfifo = new ProcessBuilder("mkfifo", status.toString()).start();
		assertThat(mkfifo.waitFor(5, TimeUnit.SECONDS)).isTrue();
		String target = supervise.getParent().toString();
		List<ServiceStatus> seen = new CopyOnWriteArrayList<>();
		try (Subscription subscription = backend.watch(seen::add)) {
			ServiceStatus fifo = CompletableFuture.supplyAsync(() -> read(target)).get(2, TimeUnit.SECONDS);
			assertThat(fifo.state()).isEqualTo(ServiceState.UNKNOWN);
			assertThat(fifo.message()).isEqualTo(status + " is not a regular file; refusing to open it "
					+ "(reading a FIFO would block). Remove it and restart the supervisor");
			assertThat(fifo.details()).containsEntry("watch", "inotify");
			// An event in its supervise directory makes the watch read it again
			Files.createFile(supervise.resolve("touched"));
			Runsvdir.sv("down", dir("neighbour"));
			Awaitility.await()
				.atMost(Duration.ofSeconds(2))
				.until(() -> seen.stream()
					.anyMatch((seenStatus) -> seenStatus.target().equals("neighbour")
							&& seenStatus.state() == ServiceState.STOPPED));
			assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> backend.perform(target, ServiceAction.STOP, TIMEOUT).get(1, TimeUnit.SECONDS))
				.withCauseInstanceOf(BackendUnavailableException.class)
				.withMessageContaining("is not a regular file");
		}
		finally {
			// A writer lets go any reader that blocked on the FIFO
			try (FileChannel writer = FileChannel.open(status, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
				Runsvdir.sv("up", dir("neighbour"));
			}
		}
	}

	@Test
	void readsTheFilesEveryTimeWhenWatchingIsOff() throws Exception {
		try (RunitBackend unwatched = new RunitBackend(runsvdir.scan(), false, Duration.ofMillis(200), false,
				RunitBackend.DEFAULT_LOG_FILE, List.of("unwatched"))) {
			unwatched.start();
			ServiceStatus running = unwatched.status(List.of("unwatched"), TIMEOUT).get("unwatched");
			assertThat(running.details()).containsEntry("watch", "poll");
			long reads = unwatched.fileReads();
			unwatched.status(List.of("unwatched"), TIMEOUT);
			assertThat(unwatched.fileReads()).isEqualTo(reads + 1);
			Runsvdir.sv("-w", "5", "down", dir("unwatched"));
			ServiceStatus down = unwatched.status(List.of("unwatched"), TIMEOUT).get("unwatched");
			assertThat(down.state()).isEqualTo(ServiceState.STOPPED);
			assertSameAsSv(down, Runsvdir.sv("status", dir("unwatched")));
			Files.createFile(runsvdir.scan().resolve("unwatched/down"));
			assertThat(unwatched.status(List.of("unwatched"), TIMEOUT).get("unwatched").rawState()).isEqualTo("down");
		}
	}

	private static ServiceStatus read(String target) {
		return backend.status(List.of(target), TIMEOUT).get(target);
	}

	private static String dir(String name) {
		return runsvdir.scan().resolve(name).toString();
	}

	private static void assertSameAsSv(ServiceStatus status, String line) {
		Matcher matcher = SV_LINE.matcher(line);
		assertThat(matcher.matches()).as("sv status line: %s", line).isTrue();
		String words = matcher.group(3);
		int log = words.indexOf(';');
		assertThat(status.rawState()).isEqualTo(matcher.group(1) + ((log >= 0) ? words.substring(0, log) : words));
		assertThat(status.pid()).isEqualTo((matcher.group(2) != null) ? Long.valueOf(matcher.group(2)) : null);
	}

}
