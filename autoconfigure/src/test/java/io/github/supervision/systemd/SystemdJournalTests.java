package io.github.supervision.systemd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.github.supervision.PermissionDeniedException;
import io.github.supervision.ServiceCapability;
import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceDefinition;
import io.github.supervision.ServiceLog;
import io.github.supervision.ServiceLog.Line;
import io.github.supervision.ServiceName;
import io.github.supervision.testsupport.RealDaemonTest;
import io.github.supervision.testsupport.SystemdSandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the {@link SystemdBackend}'s log tail against a real journald running in the
 * systemd sandbox, compared with what {@code journalctl} itself prints of the same
 * journal.
 *
 * @author Supervision contributors
 */
@RealDaemonTest
class SystemdJournalTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final int LONG_LINE_LENGTH = 100_000;

	@RegisterExtension
	static final SystemdSandbox sandbox = SystemdSandbox.create()
		.journald()
		.unit("chatty.service",
				SystemdSandbox.service("Writes hostile lines",
						"/bin/sh -c 'for i in 1 2 3; do echo \"out $$i\"; echo \"err $$i\" >&2; done; "
								+ "printf \"\\\\033[31mred\\\\033[0m and \\\\033]0;title\\\\007bell\\\\n\"; "
								+ "printf \"\\\\377\\\\376 not utf-8\\\\n\"; " + "head -c " + LONG_LINE_LENGTH
								+ " /dev/zero | tr \"\\\\000\" x; echo; echo last'",
						"Type=oneshot\n"))
		.unit("many.service", SystemdSandbox.service("Writes 1.2 MB",
				"/bin/sh -c 'i=0; while [ $$i -lt 600 ]; do i=$$((i+1)); printf \"%%04d %%01996d\\\\n\" $$i 0; done'",
				"Type=oneshot\n"))
		.unit("fails.service",
				SystemdSandbox.service("Fails", "/bin/sh -c 'echo about to fail; exit 3'", "Type=oneshot\n"))
		.unit("huge.service",
				SystemdSandbox.service("Writes a 10 MB line",
						"/bin/sh -c 'echo first; head -c 10000000 /dev/zero | tr \"\\\\000\" y; echo; echo after'",
						"Type=oneshot\n"))
		.unit("quiet.service", SystemdSandbox.service("Writes nothing", "/bin/sleep infinity", ""));

	private static SystemdBackend backend;

	private static ServiceCatalog catalog;

	private static Instant started;

	@BeforeAll
	static void start() {
		backend = new SystemdBackend(
				SystemdOptions.forAddress(sandbox.busAddress()).withJournalDirectory(sandbox.journalDirectory()));
		List<ServiceDefinition> definitions = new ArrayList<>();
		for (String unit : List.of("chatty", "many", "huge", "fails", "quiet", "never")) {
			definitions.add(new ServiceDefinition(ServiceName.of(unit), SystemdBackend.ID, unit + ".service", null,
					false, null, true));
		}
		catalog = new ServiceCatalog(definitions, List.of(backend), TIMEOUT, TIMEOUT);
		started = Instant.now().minusSeconds(1);
		systemctl("start", "chatty.service", "many.service", "huge.service", "quiet.service");
	}

	@AfterAll
	static void stop() throws Exception {
		if (catalog != null) {
			catalog.close();
		}
		if (backend != null) {
			backend.close();
		}
	}

	@Test
	void tailsTheUnitsOutputWithTimesInOrderAsJournalctlShowsIt() {
		ServiceName chatty = ServiceName.of("chatty");
		assertThat(catalog.getCapabilities(chatty)).contains(ServiceCapability.LOG_TAIL);
		await("the unit's last line in the journal").atMost(TIMEOUT)
			.until(() -> catalog.tailLog(chatty, 100).texts().contains("last"));
		ServiceLog log = catalog.tailLog(chatty, 100);
		List<Line> output = log.lines().stream().filter((line) -> "stdout".equals(line.stream())).toList();
		String x = "x".repeat(ServiceLog.MAX_LINE_LENGTH);
		// journald splits the 100,000-byte line at LineMax (48 KiB); each part is cut at
		// 16 KiB
		assertThat(output).extracting(Line::text)
			.containsExactly("out 1", "err 1", "out 2", "err 2", "out 3", "err 3", "red and bell",
					"\ufffd\ufffd not utf-8", x, x, "x".repeat(LONG_LINE_LENGTH - 2 * 48 * 1024), "last");
		assertThat(log.truncated()).as("lines were cut").isTrue();
		// the same entries, in the same order, as journalctl prints them
		assertThat(log.lines()).hasSize(journalctl("-o", "cat", "-u", "chatty.service").split("\n").length);
		List<Instant> times = log.lines().stream().map(Line::time).toList();
		assertThat(times).doesNotContainNull()
			.isSorted()
			.allSatisfy((time) -> assertThat(time).isBetween(started, Instant.now()));
		assertThat(times.get(times.size() - 1)).isEqualTo(lastTimestamp("chatty.service"));
	}

	@Test
	void keepsTheNewestLinesAsked() {
		ServiceName chatty = ServiceName.of("chatty");
		await("the unit's last line in the journal").atMost(TIMEOUT)
			.until(() -> catalog.tailLog(chatty, 100).texts().contains("last"));
		List<String> expected = List.of(journalctl("-o", "cat", "-n", "3", "-u", "chatty.service").split("\n"));
		ServiceLog log = catalog.tailLog(chatty, 3);
		assertThat(log.texts()).hasSize(3)
			.isEqualTo(expected.stream().map((text) -> Line.of(null, null, text).text()).toList());
	}

	@Test
	void boundsTheTextAndKeepsTheNewest() {
		ServiceName many = ServiceName.of("many");
		await("the unit's 600 lines in the journal").atMost(TIMEOUT)
			.until(() -> catalog.tailLog(many, 10).texts().contains("0600 " + "0".repeat(1996)));
		ServiceLog log = catalog.tailLog(many, 10_000);
		int text = log.lines().stream().mapToInt((line) -> line.text().length()).sum();
		assertThat(text).isLessThanOrEqualTo(ServiceLog.MAX_TEXT_LENGTH);
		assertThat(log.truncated()).isTrue();
		List<Integer> numbers = log.lines()
			.stream()
			.filter((line) -> "stdout".equals(line.stream()))
			.map((line) -> Integer.parseInt(line.text().substring(0, 4)))
			.toList();
		// the newest lines, none left out between them
		assertThat(numbers).hasSizeGreaterThan(500).endsWith(600);
		assertThat(numbers).isEqualTo(IntStream.rangeClosed(601 - numbers.size(), 600).boxed().toList());
	}

	@Test
	void aTenMegabyteLineComesBackBoundedAndQuickly() {
		ServiceName huge = ServiceName.of("huge");
		await("the line after the 10 MB line").atMost(TIMEOUT)
			.until(() -> catalog.tailLog(huge, 1000).texts().contains("after"));
		long start = System.nanoTime();
		ServiceLog log = catalog.tailLog(huge, 1000);
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		assertThat(took).isLessThan(Duration.ofSeconds(2));
		assertThat(log.truncated()).isTrue();
		assertThat(log.lines().stream().mapToInt((line) -> line.text().length()).sum())
			.isLessThanOrEqualTo(ServiceLog.MAX_TEXT_LENGTH);
		List<String> texts = log.texts();
		assertThat(texts.get(texts.size() - 1)).isEqualTo("after");
		// the newest 48 KiB parts of the line, each cut at 16 KiB, as many as 1 MiB of
		// text holds
		assertThat(texts.subList(0, texts.size() - 1))
			.hasSize(ServiceLog.MAX_TEXT_LENGTH / ServiceLog.MAX_LINE_LENGTH - 1)
			.allSatisfy((text) -> assertThat(text).matches("y{1," + ServiceLog.MAX_LINE_LENGTH + "}"));
	}

	@Test
	void aUnitThatWroteNothingOrDoesNotExistHasAnEmptyTail() {
		assertThat(catalog.tailLog(ServiceName.of("never"), 10).lines()).isEmpty();
		assertThat(catalog.tailLog(ServiceName.of("quiet"), 10).lines()).isEmpty();
	}

	@Test
	void showsSystemdsOwnMessagesAboutTheUnitWithoutAStream() {
		ServiceName fails = ServiceName.of("fails");
		assertThat(sandbox.systemctl("start", "fails.service").exitCode()).isNotZero();
		await("systemd's messages about the failure").atMost(TIMEOUT)
			.until(() -> catalog.tailLog(fails, 10).texts().stream().anyMatch((text) -> text.contains("exit-code")));
		ServiceLog log = catalog.tailLog(fails, 10);
		assertThat(log.lines()).filteredOn((line) -> "stdout".equals(line.stream()))
			.extracting(Line::text)
			.containsExactly("about to fail");
		assertThat(log.lines()).filteredOn((line) -> line.stream() == null)
			.extracting(Line::text)
			.anySatisfy((text) -> assertThat(text).contains("Failed with result 'exit-code'"));
		assertThat(log.texts()).isEqualTo(List.of(journalctl("-o", "cat", "-u", "fails.service").split("\n")));
	}

	@Test
	void aJournalTheProcessMayNotReadIsAPermissionError() throws Exception {
		// journalctl itself, as 'nobody', with the folders open to it but not the files
		Path wrapper = Files.createTempFile(sandbox.journalDirectory().getParent(), "journalctl-", ".sh");
		Files.writeString(wrapper, "#!/bin/sh\nexec /usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups "
				+ "/usr/bin/journalctl \"$@\"\n", StandardCharsets.UTF_8);
		Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
		Files.setPosixFilePermissions(sandbox.journalDirectory().getParent(),
				PosixFilePermissions.fromString("rwxr-xr-x"));
		ExecutorService executor = Executors.newCachedThreadPool();
		try {
			JournalTail tail = new JournalTail(wrapper, sandbox.journalDirectory(), executor);
			assertThatExceptionOfType(PermissionDeniedException.class)
				.isThrownBy(() -> tail.tail("chatty.service", 10, TIMEOUT))
				.withMessageContaining("cannot be read by this process")
				.withMessageContaining("systemd-journal");
		}
		finally {
			executor.shutdownNow();
			Files.setPosixFilePermissions(sandbox.journalDirectory().getParent(),
					PosixFilePermissions.fromString("rwx------"));
		}
	}

	private static Instant lastTimestamp(String unit) {
		String micros = journalctl("-o", "export", "-n", "1", "--output-fields=__REALTIME_TIMESTAMP", "-u", unit)
			.lines()
			.filter((line) -> line.startsWith("__REALTIME_TIMESTAMP="))
			.findFirst()
			.orElseThrow()
			.substring("__REALTIME_TIMESTAMP=".length());
		long value = Long.parseLong(micros);
		return Instant.ofEpochSecond(value / 1_000_000, (value % 1_000_000) * 1_000);
	}

	// journalctl's own output, decoded as the tail decodes it (with replacement
	// characters)
	private static String journalctl(String... args) {
		List<String> command = new ArrayList<>(
				List.of("/usr/bin/journalctl", "--no-pager", "--all", "--directory=" + sandbox.journalDirectory()));
		command.addAll(List.of(args));
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			process.getOutputStream().close();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
			assertThat(process.exitValue()).as(output).isZero();
			return output;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static void systemctl(String... args) {
		SystemdSandbox.Result result = sandbox.systemctl(args);
		assertThat(result.exitCode()).as(result.output()).isZero();
	}

}
