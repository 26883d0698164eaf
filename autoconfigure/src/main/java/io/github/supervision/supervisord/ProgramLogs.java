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

	private static final int MIN_BYTES = 256;

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
		boolean truncated = read(tailer, LogTail.Stream.STDOUT, separateStderr ? "stdout" : null, bytes, lines, all);
		if (separateStderr) {
			truncated |= read(tailer, LogTail.Stream.STDERR, "stderr", bytes, lines, all);
		}
		int from = Math.max(0, all.size() - lines);
		return new ServiceLog(all.subList(from, all.size()), truncated || from > 0);
	}

	private static boolean read(Tailer tailer, LogTail.Stream stream, @Nullable String name, int bytes, int lines,
			List<ServiceLog.Line> into) {
		boolean shortened = false;
		int size = bytes;
		while (true) {
			for (int cut = 0; cut <= MAX_UTF8_CUT && size - cut > 0; cut++) {
				try {
					LogTail tail = tailer.tail(stream, size - cut);
					ServiceLog log = ServiceLog.ofText(tail.text(), tail.overflow(), lines);
					log.lines().forEach((line) -> into.add(ServiceLog.Line.of(null, name, line.text())));
					return log.truncated() || shortened;
				}
				catch (UndecodableLogException ex) {
					if (size / 2 < MIN_BYTES && cut == MAX_UTF8_CUT) {
						throw ex;
					}
				}
			}
			size /= 2;
			shortened = true;
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
