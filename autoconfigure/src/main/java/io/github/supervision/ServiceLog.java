package io.github.supervision;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The latest lines a service wrote, as its backend read them.
 *
 * @param lines the lines, oldest first
 * @param truncated whether lines were left out or shortened to keep the answer bounded
 * (older lines beyond the bytes read, the rest of an over-long line)
 * @author Supervision contributors
 * @see LogTailCapability
 */
public record ServiceLog(List<Line> lines, boolean truncated) {

	/**
	 * Create a new log tail.
	 */
	public ServiceLog {
		Assert.notNull(lines, "'lines' must not be null");
		lines = List.copyOf(lines);
	}

	/**
	 * Return the lines' texts, oldest first.
	 * @return the texts
	 */
	public List<String> texts() {
		return this.lines.stream().map(Line::text).toList();
	}

	/**
	 * Return the last lines of a text that is the end of a longer log, with neither time
	 * nor stream.
	 * @param text the end of the log
	 * @param cut whether the text may start in the middle of a line (older bytes were
	 * left out), in which case its first line is dropped
	 * @param lines the most lines to keep
	 * @return the last lines
	 */
	public static ServiceLog ofText(String text, boolean cut, int lines) {
		Assert.notNull(text, "'text' must not be null");
		List<String> all = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
		if (all.get(all.size() - 1).isEmpty()) {
			all.remove(all.size() - 1);
		}
		if (cut && !all.isEmpty()) {
			all.remove(0);
		}
		int from = Math.max(0, all.size() - Math.max(0, lines));
		List<Line> kept = all.subList(from, all.size()).stream().map(Line::of).toList();
		return new ServiceLog(kept, cut || from > 0);
	}

	/**
	 * One line of a log.
	 *
	 * @param time when the line was written, where the log records it (a journal entry,
	 * an {@code svlogd} or {@code multilog} stamp), or {@code null}
	 * @param stream the stream the line came from ({@code stdout}, {@code stderr}) where
	 * the source keeps them apart, or {@code null}
	 * @param text the line without its line end
	 */
	public record Line(@Nullable Instant time, @Nullable String stream, String text) {

		/**
		 * Create a new line.
		 */
		public Line {
			Assert.notNull(text, "'text' must not be null");
		}

		/**
		 * Return a line with neither time nor stream.
		 * @param text the text
		 * @return the line
		 */
		public static Line of(String text) {
			return new Line(null, null, text);
		}

	}

}
