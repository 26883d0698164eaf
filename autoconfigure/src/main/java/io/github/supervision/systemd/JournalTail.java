package io.github.supervision.systemd;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.supervision.BackendUnavailableException;
import io.github.supervision.PermissionDeniedException;
import io.github.supervision.ServiceLog;
import io.github.supervision.SupervisionTimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Reads the latest journal entries of a unit through {@code journalctl}, run with a fixed
 * argument vector (no shell), under a deadline and with a bounded read of its output.
 * <p>
 * {@code journalctl --output=export --all --reverse --lines=N --unit=UNIT} prints the
 * newest entries first, in the export format that {@link JournalExport} parses as it
 * arrives, so that the read can stop at any bound and still keep the newest lines: after
 * {@link #MAX_BYTES} of output, after {@link ServiceLog#MAX_TEXT_LENGTH} characters of
 * text, or at the deadline, when the process and its children are killed. An entry whose
 * message is longer than {@link #MAX_MESSAGE_BYTES} is skipped without being held in
 * memory. {@code --output-fields} leaves out the fields a tail does not show, and
 * {@code --all} keeps every message whole; each line is cut at
 * {@link ServiceLog#MAX_LINE_LENGTH} characters.
 * <p>
 * The export format rather than JSON: {@code journalctl} writes it in about two thirds of
 * the time (it neither escapes nor checks fields for duplicates), it is binary-safe, and
 * it needs no JSON library.
 * <p>
 * {@code journalctl} rather than a library: no maintained Java library reads journal
 * files (the format is systemd's own, with compression and sealing, and changes between
 * versions), and {@code journalctl} is installed wherever systemd is.
 *
 * @author Supervision contributors
 */
final class JournalTail {

	/**
	 * The most bytes of {@code journalctl} output one tail reads.
	 */
	static final int MAX_BYTES = 8 * 1024 * 1024;

	/**
	 * The most bytes of one entry's message; an entry with a longer one is left out.
	 */
	static final int MAX_MESSAGE_BYTES = 1024 * 1024;

	private static final int MAX_ERROR_BYTES = 4096;

	private static final Duration ERRORS_GRACE = Duration.ofMillis(100);

	private static final List<Path> LOCATIONS = List.of(Path.of("/usr/bin/journalctl"), Path.of("/bin/journalctl"));

	private final Path journalctl;

	private final @Nullable Path directory;

	private final Executor executor;

	/**
	 * Create a reader that runs {@code /usr/bin/journalctl} (or {@code /bin/journalctl}).
	 * @param directory the journal folder to read ({@code --directory}), or {@code null}
	 * for the system's journal
	 * @param executor runs the task that drains {@code journalctl}'s standard error
	 */
	JournalTail(@Nullable Path directory, Executor executor) {
		this(LOCATIONS.stream().filter(Files::isExecutable).findFirst().orElse(LOCATIONS.get(0)), directory, executor);
	}

	JournalTail(Path journalctl, @Nullable Path directory, Executor executor) {
		this.journalctl = journalctl;
		this.directory = directory;
		this.executor = executor;
	}

	/**
	 * Return the command line that reads a unit's latest entries.
	 * @param unit the unit, already validated
	 * @param lines the most entries
	 * @return the command and its arguments
	 */
	List<String> command(String unit, int lines) {
		List<String> command = new ArrayList<>(List.of(this.journalctl.toString(), "--output=export", "--all",
				"--output-fields=MESSAGE,_TRANSPORT", "--no-pager", "--reverse", "--lines=" + lines));
		if (this.directory != null) {
			command.add("--directory=" + this.directory);
		}
		command.add("--unit=" + unit);
		return command;
	}

	/**
	 * Return a unit's latest lines.
	 * @param unit the unit, already validated
	 * @param lines the most lines, at least 1
	 * @param timeout the most the read may take
	 * @return the lines, oldest first
	 */
	ServiceLog tail(String unit, int lines, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		Process process = start(unit, lines);
		AtomicBoolean done = new AtomicBoolean();
		AtomicBoolean expired = new AtomicBoolean();
		try {
			// the kill runs on the JDK's delay thread itself, which is never shut down or
			// busy
			CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS, Runnable::run).execute(() -> {
				if (!done.get()) {
					expired.set(true);
					killTree(process);
				}
			});
			CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> head(process.getErrorStream()),
					this.executor);
			Reading reading = new Reading(lines);
			try (InputStream output = process.getInputStream()) {
				reading.readFrom(output);
			}
			catch (IOException ex) {
				if (!expired.get()) {
					throw new BackendUnavailableException("Reading journalctl's output failed: " + ex.getMessage(), ex);
				}
			}
			if (!reading.complete) {
				killTree(process);
			}
			int exitCode = waitFor(process, deadline);
			if (expired.get()) {
				throw new SupervisionTimeoutException("Reading the journal of " + unit, timeout);
			}
			// the error output matters only for a failure or an empty tail: not waiting
			// for
			// it otherwise spares the read a hand-over between threads
			if (reading.complete && (exitCode != 0 || reading.entries == 0)) {
				// journalctl has exited: its error output ends at once
				String stderr = errors.get(Math.max(ERRORS_GRACE.toNanos(), deadline - System.nanoTime()),
						TimeUnit.NANOSECONDS);
				checkOutcome(unit, exitCode, stderr, reading.entries);
			}
			return reading.log();
		}
		catch (TimeoutException ex) {
			throw new SupervisionTimeoutException("Reading the journal of " + unit, timeout);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SupervisionTimeoutException("Reading the journal of " + unit + " (interrupted)", timeout);
		}
		catch (ExecutionException ex) {
			throw new BackendUnavailableException("Reading journalctl's errors failed", ex);
		}
		catch (RejectedExecutionException ex) {
			throw new BackendUnavailableException("The systemd backend is closed", ex);
		}
		catch (IllegalArgumentException ex) {
			throw new BackendUnavailableException("Cannot read the journal of " + unit + ": " + ex.getMessage(), ex);
		}
		finally {
			done.set(true);
			killTree(process);
		}
	}

	private Process start(String unit, int lines) {
		try {
			return new ProcessBuilder(command(unit, lines))
				.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
				.start();
		}
		catch (IOException ex) {
			throw new BackendUnavailableException(
					"Cannot run journalctl (" + this.journalctl + ") to read the journal of " + unit + ": "
							+ ex.getMessage() + "; reading systemd logs needs systemd's journalctl",
					ex);
		}
	}

	private int waitFor(Process process, long deadline) throws InterruptedException, TimeoutException {
		if (!process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
			throw new TimeoutException();
		}
		return process.exitValue();
	}

	private void checkOutcome(String unit, int exitCode, String stderr, int entries) {
		String message = firstLine(stderr);
		// entries that could be read are shown even when other journal files could not
		if (entries == 0 && (stderr.contains("Permission denied") || stderr.contains("insufficient permissions")
				|| stderr.contains("not seeing messages from other users and the system"))) {
			throw new PermissionDeniedException(
					"The journal of " + unit + " cannot be read by this process (journalctl: " + message + ")",
					"Add the application's user to the 'systemd-journal' group (or 'adm'), "
							+ "or give it read access to the journal files");
		}
		if (exitCode != 0) {
			String where = (this.directory != null) ? "the journal in " + this.directory : "the journal";
			throw new BackendUnavailableException("Cannot read " + where + " for " + unit + ": journalctl exited with "
					+ exitCode + ((message.isEmpty()) ? "" : " (" + message + ")"));
		}
	}

	private static String firstLine(String text) {
		String stripped = text.strip();
		int end = stripped.indexOf('\n');
		return (end < 0) ? stripped : stripped.substring(0, end);
	}

	// Kill journalctl and anything it started: its output pipe closes when the last of
	// them is gone. Only while it runs, so that a reused pid is never touched.
	private static void killTree(Process process) {
		if (process.isAlive()) {
			process.descendants().forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly();
		}
	}

	private static String head(InputStream input) {
		try (input) {
			ByteArrayOutputStream kept = new ByteArrayOutputStream();
			byte[] buffer = new byte[4096];
			int read;
			while ((read = input.read(buffer)) >= 0) {
				kept.write(buffer, 0, Math.max(0, Math.min(read, MAX_ERROR_BYTES - kept.size())));
			}
			return kept.toString(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "";
		}
	}

	/**
	 * The entries read so far, newest first, and whether a bound left some out.
	 */
	private static final class Reading implements JournalExport.Entries {

		private final int wanted;

		private final List<ServiceLog.Line> newestFirst = new ArrayList<>();

		private final byte[] buffer = new byte[64 * 1024];

		private final JournalExport export = new JournalExport(MAX_MESSAGE_BYTES, this);

		private long bytes;

		private long textLength;

		private int entries;

		private boolean truncated;

		// whether journalctl's output was read to its end (the byte bound did not stop
		// the
		// read)
		private boolean complete;

		Reading(int wanted) {
			this.wanted = wanted;
		}

		void readFrom(InputStream output) throws IOException {
			boolean parsing = true;
			int read;
			while ((read = output.read(this.buffer)) >= 0) {
				// once the lines are there, the rest of the (at most N) entries is read
				// unparsed: journalctl then ends by itself, which costs less than killing
				// it
				parsing = parsing && this.export.parse(this.buffer, 0, read);
				this.bytes += read;
				if (this.bytes >= MAX_BYTES) {
					// lines are left out only when they were still wanted
					this.truncated = this.truncated || parsing;
					return;
				}
			}
			if (parsing && !this.export.finish()) {
				// cut inside an entry: journalctl's exit code tells why
				this.truncated = true;
			}
			this.complete = true;
		}

		@Override
		public boolean entry(List<ServiceLog.Line> lines) {
			this.entries++;
			for (int i = lines.size() - 1; i >= 0; i--) {
				ServiceLog.Line line = lines.get(i);
				if (this.newestFirst.size() == this.wanted) {
					return false;
				}
				if (this.textLength + line.text().length() > ServiceLog.MAX_TEXT_LENGTH) {
					this.truncated = true;
					return false;
				}
				if (line.text().length() == ServiceLog.MAX_LINE_LENGTH) {
					// possibly cut: the sanitised text is that long only when it was
					this.truncated = true;
				}
				this.newestFirst.add(line);
				this.textLength += line.text().length();
			}
			return this.newestFirst.size() < this.wanted;
		}

		@Override
		public boolean leftOut() {
			this.truncated = true;
			return true;
		}

		ServiceLog log() {
			List<ServiceLog.Line> oldestFirst = new ArrayList<>(this.newestFirst);
			Collections.reverse(oldestFirst);
			return new ServiceLog(oldestFirst, this.truncated);
		}

	}

}
