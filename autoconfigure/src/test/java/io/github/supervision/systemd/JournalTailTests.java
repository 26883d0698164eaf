package io.github.supervision.systemd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.github.supervision.BackendUnavailableException;
import io.github.supervision.ServiceLog;
import io.github.supervision.SupervisionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests for {@link JournalTail}'s process handling and bounds, with scripts in place of
 * {@code journalctl} that print what it could (the real {@code journalctl} and journald
 * are in {@link SystemdJournalTests}).
 *
 * @author Supervision contributors
 */
class JournalTailTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final ExecutorService executor = Executors.newCachedThreadPool();

	@TempDir
	Path folder;

	@AfterEach
	void shutdown() {
		this.executor.shutdownNow();
	}

	@Test
	void runsJournalctlWithAFixedArgumentVector() {
		JournalTail tail = new JournalTail(Path.of("/usr/bin/journalctl"), Path.of("/var/log/other"), this.executor);
		assertThat(tail.command("a\\x2db@x.service", 100)).containsExactly("/usr/bin/journalctl", "--output=export",
				"--all", "--output-fields=MESSAGE,_TRANSPORT", "--no-pager", "--reverse", "--lines=100",
				"--directory=/var/log/other", "--unit=a\\x2db@x.service");
		assertThat(new JournalTail(Path.of("/usr/bin/journalctl"), null, this.executor).command("a.service", 1))
			.noneMatch((argument) -> argument.startsWith("--directory"));
	}

	@Test
	void turnsTheNewestFirstOutputIntoLinesOldestFirst() throws IOException {
		ServiceLog log = tail("""
				printf '__REALTIME_TIMESTAMP=2\\nMESSAGE=new\\n_TRANSPORT=stdout\\n\\n'
				printf '__REALTIME_TIMESTAMP=1\\nMESSAGE=old\\n_TRANSPORT=stdout\\n\\n'
				""", 10);
		assertThat(log.texts()).containsExactly("old", "new");
		assertThat(log.truncated()).isFalse();
	}

	@Test
	void keepsTheNewestLinesOfAMessageOfSeveralLinesAndReadsTheRestToTheEnd() throws IOException {
		// newest first: a binary MESSAGE of three lines (length 5 as 64 bits, little
		// endian), then two older entries that are read but not needed; exit 3 is seen
		ServiceLog log = tail("""
				printf 'MESSAGE\\n\\005\\0\\0\\0\\0\\0\\0\\0a\\nb\\nc\\n\\n'
				printf 'MESSAGE=older\\n\\nMESSAGE=oldest\\n\\n'
				""", 2);
		assertThat(log.texts()).containsExactly("b", "c");
		assertThat(log.truncated()).isFalse();
		assertThatExceptionOfType(BackendUnavailableException.class).isThrownBy(() -> tail("""
				printf 'MESSAGE=new\\n\\nMESSAGE=old\\n\\n'
				exit 3
				""", 1)).withMessageContaining("journalctl exited with 3");
	}

	@Test
	void aMissingJournalctlIsReportedAsSuch() {
		JournalTail tail = new JournalTail(this.folder.resolve("journalctl"), null, this.executor);
		assertThatExceptionOfType(BackendUnavailableException.class)
			.isThrownBy(() -> tail.tail("a.service", 10, TIMEOUT))
			.withMessageContaining("Cannot run journalctl")
			.withMessageContaining("systemd's journalctl");
	}

	@Test
	void aJournalDirectoryThatIsMissingIsReportedWithJournalctlsWords() {
		Path journalctl = Path.of("/usr/bin/journalctl");
		assumeTrue(Files.isExecutable(journalctl), "journalctl is installed");
		JournalTail tail = new JournalTail(journalctl, this.folder.resolve("missing"), this.executor);
		assertThatExceptionOfType(BackendUnavailableException.class)
			.isThrownBy(() -> tail.tail("a.service", 10, TIMEOUT))
			.withMessageContaining("Cannot read the journal in " + this.folder.resolve("missing"))
			.withMessageContaining("No such file or directory");
	}

	@Test
	void killsJournalctlAndItsChildrenAtTheDeadline() throws IOException {
		Path pid = this.folder.resolve("child.pid");
		JournalTail tail = journalctl("/bin/sleep 60 &\necho $! > " + pid + "\nwait\n");
		long start = System.nanoTime();
		assertThatExceptionOfType(SupervisionTimeoutException.class)
			.isThrownBy(() -> tail.tail("a.service", 10, Duration.ofMillis(500)))
			.withMessageContaining("Reading the journal of a.service");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
		long child = Long.parseLong(Files.readString(pid).strip());
		await("the child to be gone").atMost(TIMEOUT).until(() -> ProcessHandle.of(child).isEmpty());
	}

	@Test
	void leavesOutAnEntryTooLongToHoldAndReadsOn() throws IOException {
		ServiceLog log = tail("""
				printf 'MESSAGE='; head -c 2000000 /dev/zero | tr '\\000' a; printf '\\n\\n'
				printf 'MESSAGE=older\\n\\n'
				""", 10);
		assertThat(log.texts()).containsExactly("older");
		assertThat(log.truncated()).isTrue();
	}

	@Test
	void stopsReadingAnEndlessOutputAtTheByteBound() throws IOException {
		// yes prints the entry and a line end, the empty line that ends the entry
		String entry = "PAD=" + "p".repeat(1000) + "\nMESSAGE=\u001b[0m\n";
		long start = System.nanoTime();
		ServiceLog log = tail("e=$(printf 'PAD=%s\\nMESSAGE=\\033[0m\\n_' " + "p".repeat(1000) + ")\n"
				+ "exec /usr/bin/yes \"${e%_}\"\n", 10_000);
		assertThat(log.truncated()).isTrue();
		assertThat(log.lines()).hasSizeBetween(JournalTail.MAX_BYTES / (entry.length() + 1) - 64,
				JournalTail.MAX_BYTES / (entry.length() + 1) + 64);
		assertThat(log.texts()).containsOnly("");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT);
	}

	@Test
	void outputThatIsNotTheExportFormatOrAFailedJournalctlIsReported() throws IOException {
		assertThatExceptionOfType(BackendUnavailableException.class).isThrownBy(() -> tail("echo 'not export'\n", 10))
			.withMessageContaining("not in the export format");
		assertThatExceptionOfType(BackendUnavailableException.class)
			.isThrownBy(() -> tail("echo 'Failed to open files: Bad message' >&2\nexit 1\n", 10))
			.withMessageContaining("journalctl exited with 1 (Failed to open files: Bad message)");
	}

	private ServiceLog tail(String script, int lines) throws IOException {
		return journalctl(script).tail("a.service", lines, TIMEOUT);
	}

	private JournalTail journalctl(String script) throws IOException {
		Path file = Files.createTempFile(this.folder, "journalctl", ".sh");
		Files.writeString(file, "#!/bin/sh\n" + script, StandardCharsets.UTF_8);
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
		return new JournalTail(file, null, this.executor);
	}

}
