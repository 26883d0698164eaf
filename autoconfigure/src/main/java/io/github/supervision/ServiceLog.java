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
	 * The most characters of text one line keeps; the rest is cut.
	 */
	public static final int MAX_LINE_LENGTH = 16 * 1024;

	/**
	 * The most characters of text a whole tail should hold; a backend leaves older lines
	 * out beyond it.
	 */
	public static final int MAX_TEXT_LENGTH = 1024 * 1024;

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

		/**
		 * Return a line whose text is made safe to show: terminal escape sequences
		 * ({@code ESC [ ... m} and the like) and other control characters except TAB are
		 * removed, and the text is cut after {@link #MAX_LINE_LENGTH} characters. Invalid
		 * UTF-8 must have been decoded with replacement characters before.
		 * @param time when the line was written, or {@code null}
		 * @param stream the stream the line came from, or {@code null}
		 * @param raw the text as the log holds it
		 * @return the line
		 */
		public static Line of(@Nullable Instant time, @Nullable String stream, String raw) {
			Assert.notNull(raw, "'raw' must not be null");
			return new Line(time, stream, clean(raw));
		}

		private static String clean(String raw) {
			StringBuilder text = new StringBuilder(Math.min(raw.length(), MAX_LINE_LENGTH));
			int length = raw.length();
			int i = 0;
			while (i < length && text.length() < MAX_LINE_LENGTH) {
				char c = raw.charAt(i);
				if (c == '\u001b') {
					i = afterEscape(raw, i + 1);
				}
				else if (c == '\u009b') {
					i = afterControlSequence(raw, i + 1);
				}
				else {
					if (c == '\t' || (c >= 0x20 && c != 0x7f && (c < 0x80 || c > 0x9f))) {
						text.append(c);
					}
					i++;
				}
			}
			if (i < length && text.length() > 0 && Character.isHighSurrogate(text.charAt(text.length() - 1))) {
				// cut between the two halves of a character
				text.setLength(text.length() - 1);
			}
			return text.toString();
		}

		// ESC [ ... final (CSI), ESC ] ... BEL or ESC \ (OSC and other strings), or ESC
		// and one more character
		private static int afterEscape(String raw, int i) {
			if (i >= raw.length()) {
				return i;
			}
			char c = raw.charAt(i);
			if (c == '[') {
				return afterControlSequence(raw, i + 1);
			}
			if (c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_') {
				for (int j = i + 1; j < raw.length(); j++) {
					char d = raw.charAt(j);
					if (d == '\u0007') {
						return j + 1;
					}
					if (d == '\u001b') {
						return Math.min(j + 2, raw.length());
					}
				}
				return raw.length();
			}
			return i + 1;
		}

		private static int afterControlSequence(String raw, int i) {
			int j = i;
			while (j < raw.length() && raw.charAt(j) >= 0x20 && raw.charAt(j) <= 0x3f) {
				j++;
			}
			return (j < raw.length() && raw.charAt(j) >= 0x40 && raw.charAt(j) <= 0x7e) ? j + 1 : j;
		}

	}

}
