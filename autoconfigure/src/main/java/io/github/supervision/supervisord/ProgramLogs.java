package io.github.supervision.supervisord;

import java.util.ArrayList;
import java.util.List;

import io.github.supervision.ServiceLog;
import org.jspecify.annotations.Nullable;

/**
 * Reads the end of a program's standard output and standard error logs into one
 * {@link ServiceLog}. supervisord keeps no time per line, so the lines are grouped by
 * stream: those of the standard output, then those of the standard error, each marked
 * with its stream; beyond the lines asked for, the oldest standard output lines go first.
 * Where standard error has no log of its own ({@code redirect_stderr=true}, or
 * {@code stderr_logfile=NONE}) only the standard output log is read, and its lines have
 * no stream, since they may hold both.
 * <p>
 * supervisord answers HTTP 500 to a tail whose bytes are not UTF-8. A part that starts in
 * the middle of a character is read again from up to three bytes later; a part that holds
 * bytes that are not UTF-8 is read again as its newer half, down to {@value #MIN_BYTES}
 * bytes, so that what was written after such bytes can still be read.
 */
final class ProgramLogs {

	private static final int MAX_UTF8_CUT = 3;

	private ProgramLogs() {
	}

	/**
	 * Read a program's log.
	 * @param separateStderr whether standard error has a log of its own
	 * @param lines the most lines to return
	 * @param maxBytes the most bytes to read from all logs together
	 * @param tailer reads the end of one log
	 * @return the lines
	 * @throws UndecodableLogException if even the smallest part of a log's end cannot be
	 * sent as text
	 */
	static ServiceLog read(boolean separateStderr, int lines, int maxBytes, Tailer tailer) {
		int bytes = (int) Math.min(separateStderr ? maxBytes / 2 : maxBytes, Math.max(1, lines) * 1024L);
		List<ServiceLog.Line> all = new ArrayList<>();
		Part stdout = read(tailer, LogTail.Stream.STDOUT, bytes, lines);
		Part stderr = separateStderr ? read(tailer, LogTail.Stream.STDERR, bytes, lines) : null;
		boolean truncated = stdout.add(separateStderr ? "stdout" : null, all);
		if (stderr != null) {
			truncated |= stderr.add("stderr", all);
		}
		UndecodableLogException undecodable = (stdout.undecodable != null) ? stdout.undecodable
				: ((stderr != null) ? stderr.undecodable : null);
		if (all.isEmpty() && undecodable != null) {
			throw undecodable;
		}
		int from = Math.max(0, all.size() - lines);
		return new ServiceLog(all.subList(from, all.size()), truncated || from > 0);
	}

	// The largest part of the log's end that supervisord can send: the whole part asked
	// for, else the longest end found by halving the interval between nothing and the
	// shortest part that failed
	private static Part read(Tailer tailer, LogTail.Stream stream, int bytes, int lines) {
		UndecodableLogException failure;
		try {
			return new Part(attempt(tailer, stream, bytes, lines), false, null);
		}
		catch (UndecodableLogException ex) {
			failure = ex;
		}
		ServiceLog best = null;
		int good = 0;
		int bad = bytes;
		while (bad - good > MAX_UTF8_CUT + 1) {
			int middle = good + (bad - good) / 2;
			try {
				best = attempt(tailer, stream, middle, lines);
				good = middle;
			}
			catch (UndecodableLogException ex) {
				bad = middle;
			}
		}
		return new Part(best, true, failure);
	}

	// The part of 'size' bytes, or of up to three bytes fewer when it starts inside a
	// character
	private static ServiceLog attempt(Tailer tailer, LogTail.Stream stream, int size, int lines) {
		UndecodableLogException failure = null;
		for (int cut = 0; cut <= MAX_UTF8_CUT && size - cut > 0; cut++) {
			try {
				LogTail tail = tailer.tail(stream, size - cut);
				return ServiceLog.ofText(tail.text(), tail.overflow() || cut > 0, lines);
			}
			catch (UndecodableLogException ex) {
				failure = ex;
			}
		}
		throw (failure != null) ? failure : new UndecodableLogException("Nothing to read");
	}

	/**
	 * What was read of one log.
	 */
	private record Part(@Nullable ServiceLog log, boolean shortened, @Nullable UndecodableLogException undecodable) {

		boolean add(@Nullable String stream, List<ServiceLog.Line> into) {
			if (this.log == null) {
				return this.shortened;
			}
			this.log.lines().forEach((line) -> into.add(ServiceLog.Line.of(null, stream, line.text())));
			return this.log.truncated() || this.shortened;
		}

	}

	/**
	 * Reads the last bytes of one of a program's logs.
	 */
	@FunctionalInterface
	interface Tailer {

		/**
		 * Read the end of a log.
		 * @param stream which log
		 * @param bytes how many bytes at most
		 * @return the end of the log
		 */
		LogTail tail(LogTail.Stream stream, int bytes);

	}

}
