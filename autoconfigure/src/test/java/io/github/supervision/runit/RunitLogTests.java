package io.github.supervision.runit;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.github.supervision.ActionResult.Outcome;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceLog;
import io.github.supervision.testsupport.RealDaemonTest;
import io.github.supervision.testsupport.Runsvdir;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the log tail of {@link RunitBackend} against real {@code runsv} services
 * whose log services run {@code svlogd}: where the log is found ({@code log/run}, a
 * configured log directory), the stamps decoded, hostile content, and rotation while the
 * log is read.
 *
 * @author Supervision contributors
 */
@RealDaemonTest
class RunitLogTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private static final Instant STARTED = Instant.now();

	private static final JsonMapper json = JsonMapper.builder().build();

	@RegisterExtension
	static final Runsvdir runsvdir = Runsvdir.withServices(RunitLogTests::services);

	private static RunitBackend backend;

	private static RunitBackend configured;

	private static void services(Runsvdir runsvdir) throws IOException {
		logged(runsvdir, "escapes", "printf '\\033[31mred\\033[0m \\033]0;title\\007done\\n'\n"
				+ "printf 'bad \\377\\303 utf8\\n'\nprintf 'tab\\there\\r\\n'\n", "exec svlogd -t ./main");
		logged(runsvdir, "huge", "head -c 10000000 /dev/zero | tr '\\000' A\necho\necho after\n",
				"exec svlogd -tt ./main");
		Path far = Files.createDirectories(runsvdir.root().resolve("logs/far"));
		logged(runsvdir, "far", "echo far away\n", "exec chpst svlogd -ttt " + far);
		Path split = logged(runsvdir, "split", "echo keep one\necho drop two\necho keep three\n",
				"exec svlogd ./main ./extra");
		Files.createDirectories(split.resolve("log/extra"));
		// svlogd's own selection: the second directory gets the lines that start with
		// keep
		Files.writeString(split.resolve("log/extra/config"), "-*\n+keep*\n");
		Path unknown = logged(runsvdir, "unknown", "echo unknown logger\n", "dir=./main\nexec svlogd -t \"$dir\"");
		assertThat(unknown).isDirectory();
		Path chatty = runsvdir.service("chatty",
				"exec 2>&1\ni=0\nwhile :; do seq $((i+1)) $((i+100)); i=$((i+100)); sleep 0.01; done", true);
		Files.createDirectories(chatty.resolve("log/main"));
		// rotate every 4 KB (about 130 lines), keep 30 rotated files: 2,000 lines span 16
		// files
		Files.writeString(chatty.resolve("log/main/config"), "s4096\nn30\n");
		Runsvdir.script(chatty.resolve("log/run"), "exec svlogd -tt ./main");
	}

	private static Path logged(Runsvdir runsvdir, String name, String output, String logRun) throws IOException {
		Path directory = runsvdir.service(name, "exec 2>&1\n" + output + RunitBackendTests.SLEEP, false);
		Files.createDirectories(directory.resolve("log/main"));
		Runsvdir.script(directory.resolve("log/run"), logRun);
		return directory;
	}

	@BeforeAll
	static void startBackends() {
		backend = RunitBackendTests.createBackend(runsvdir);
		configured = new RunitBackend(runsvdir.scan(), false, Duration.ofMillis(200), true,
				RunitBackend.DEFAULT_LOG_FILE, List.of(), RunitBackend.DEFAULT_STOP_TIMEOUT, Map.of(),
				Map.of("split", Path.of("log/extra")));
	}

	@AfterAll
	static void closeBackends() {
		if (backend != null) {
			backend.close();
		}
		if (configured != null) {
			configured.close();
		}
	}

	@Test
	void decodesSvlogdsTai64nStampsAndRemovesEscapesAndInvalidUtf8() throws Exception {
		ServiceLog log = awaitLines("escapes", 3);
		assertThat(log.texts()).containsExactly("red done", "bad \ufffd\ufffd utf8", "tab\there");
		assertThat(log.truncated()).isFalse();
		// svlogd -t writes TAI64N with TAI - UTC = 10 s: a wrong offset would be 27 s off
		assertThat(log.lines()).allSatisfy(
				(line) -> assertThat(line.time()).isBetween(STARTED.minusSeconds(2), Instant.now().plusSeconds(2)));
		assertValidJson(log);
	}

	@Test
	void readsA10MegabyteLineBoundedWithItsRotatedPieces() throws Exception {
		ServiceLog log = awaitLast("huge", "after");
		ServiceLog.Line after = log.lines().get(log.lines().size() - 1);
		assertThat(after.time()).isBetween(STARTED.minusSeconds(2), Instant.now().plusSeconds(2));
		// svlogd cut the line into its 1 MB rotated files; the rest was beyond the bytes
		// read
		assertThat(log.truncated()).isTrue();
		assertThat(log.lines())
			.allSatisfy((line) -> assertThat(line.text().length()).isLessThanOrEqualTo(ServiceLog.MAX_LINE_LENGTH));
		assertThat(log.texts().stream().mapToInt(String::length).sum()).isLessThanOrEqualTo(1024 * 1024);
		assertThat(log.texts().subList(0, log.texts().size() - 1)).allSatisfy((text) -> assertThat(text).matches("A+"));
		assertValidJson(log);
	}

	@Test
	void readsTheDirectoryThatLogRunNames() {
		ServiceLog log = awaitLines("far", 1);
		assertThat(log.texts()).containsExactly("far away");
		assertThat(log.lines().get(0).time()).isBetween(STARTED.minusSeconds(2), Instant.now().plusSeconds(2));
	}

	@Test
	void aConfiguredLogDirectoryOverridesLogRun() {
		assertThat(awaitLines("split", 3).texts()).containsExactly("keep one", "drop two", "keep three");
		await("svlogd's selection in log/extra").atMost(TIMEOUT)
			.until(() -> configured.tailLog("split", 10, TIMEOUT).texts(), (texts) -> texts.size() == 2);
		assertThat(configured.tailLog("split", 10, TIMEOUT).texts()).containsExactly("keep one", "keep three");
	}

	@Test
	void decodesAnyStampWhenLogRunCannotBeRead() {
		ServiceLog log = awaitLines("unknown", 1);
		assertThat(log.texts()).containsExactly("unknown logger");
		assertThat(log.lines().get(0).time()).isBetween(STARTED.minusSeconds(2), Instant.now().plusSeconds(2));
	}

	@Test
	void aLogRotatedWhileItIsReadGivesConsecutiveLinesWithinTheDeadline() throws Exception {
		assertThat(perform("chatty", ServiceAction.START)).isEqualTo(Outcome.DONE);
		try {
			awaitLines("chatty", 2000);
			Path main = runsvdir.scan().resolve("chatty/log/main");
			Set<String> rotatedSeen = new LinkedHashSet<>();
			long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
			int reads = 0;
			int truncated = 0;
			while (System.nanoTime() - end < 0 && reads < 1000) {
				long before = System.nanoTime();
				ServiceLog log = backend.tailLog("chatty", 2000, Duration.ofSeconds(2));
				assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(3));
				List<Long> numbers = log.texts().stream().map(Long::valueOf).toList();
				assertThat(numbers).isNotEmpty();
				for (int i = 1; i < numbers.size(); i++) {
					assertThat(numbers.get(i)).as("line %d of %s", i, numbers.size()).isEqualTo(numbers.get(i - 1) + 1);
				}
				assertThat(log.lines()).allSatisfy((line) -> assertThat(line.time()).isNotNull());
				if (numbers.size() < 2000) {
					assertThat(log.truncated()).isTrue();
					truncated++;
				}
				rotatedSeen.addAll(rotated(main));
				reads++;
			}
			System.err
				.println("ROTATION reads=" + reads + " truncated=" + truncated + " rotated=" + rotatedSeen.size());
			assertThat(reads).isGreaterThan(10);
			// the logger rotated many times while the reads ran
			assertThat(rotatedSeen).hasSizeGreaterThan(10);
			assertThat(truncated).isLessThan(reads);
		}
		finally {
			assertThat(perform("chatty", ServiceAction.STOP)).isEqualTo(Outcome.DONE);
		}
	}

	private static ServiceLog awaitLines(String target, int lines) {
		return await(lines + " log lines of " + target).atMost(Duration.ofSeconds(20))
			.until(() -> backend.tailLog(target, lines, TIMEOUT), (log) -> log.lines().size() == lines);
	}

	private static ServiceLog awaitLast(String target, String text) {
		return await("the log of " + target + " to end with " + text).atMost(Duration.ofSeconds(30))
			.until(() -> backend.tailLog(target, 100, TIMEOUT),
					(log) -> !log.lines().isEmpty() && log.texts().get(log.texts().size() - 1).equals(text));
	}

	private static Outcome perform(String target, ServiceAction action) throws Exception {
		return backend.perform(target, action, TIMEOUT).get(10, TimeUnit.SECONDS).outcome();
	}

	private static List<String> rotated(Path directory) throws IOException {
		List<String> names = new ArrayList<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "@*")) {
			entries.forEach((entry) -> names.add(entry.getFileName().toString()));
		}
		return names;
	}

	private static void assertValidJson(ServiceLog log) {
		String text = json.writeValueAsString(log);
		assertThat(text.length()).isLessThan(2 * 1024 * 1024);
		JsonNode tree = json.readTree(text);
		assertThat(tree.get("lines").size()).isEqualTo(log.lines().size());
		assertThat(text).doesNotContain("\u001b");
	}

}
