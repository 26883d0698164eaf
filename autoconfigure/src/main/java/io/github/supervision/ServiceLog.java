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
		 * The most characters of text a sanitised line keeps.
		 */
		public static final int MAX_LENGTH = 16 * 1024;

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
		 * ({@code ESC} and what follows it) and other control characters but TAB are
		 * removed, and a text longer than {@value #MAX_LENGTH} characters is cut. Invalid
		 * UTF-8 must already be decoded with U+FFFD replacement characters.
		 * @param time when the line was written, or {@code null}
		 * @param stream the stream it came from, or {@code null}
		 * @param raw the text as the source holds it
		 * @return the line
		 */
		public static Line of(@Nullable Instant time, @Nullable String stream, String raw) {
			Assert.notNull(raw, "'raw' must not be null");
			return new Line(time, stream, clean(raw));
		}

		private static String clean(String raw) {
			int length = raw.length();
			int i = 0;
			while (i < length && i < MAX_LENGTH && !isControl(raw.charAt(i))) {
				i++;
			}
			if (i == length) {
				return raw;
			}
			StringBuilder text = new StringBuilder(Math.min(length, MAX_LENGTH)).append(raw, 0, i);
			while (i < length && text.length() < MAX_LENGTH) {
				char c = raw.charAt(i);
				if (c == 0x1b) {
					i = skipEscape(raw, i + 1);
				}
				else if (c == 0x9b) {
					i = skipControlSequence(raw, i + 1);
				}
				else {
					if (!isControl(c)) {
						text.append(c);
					}
					i++;
				}
			}
			int end = text.length();
			if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
				text.setLength(end - 1);
			}
			return text.toString();
		}

		private static boolean isControl(char c) {
			return (c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f);
		}

		// after ESC: CSI (ESC [), OSC and other strings (ESC ] P X ^ _, ended by BEL or
		// ESC \), or one more character
		private static int skipEscape(String raw, int i) {
			if (i >= raw.length()) {
				return i;
			}
			char c = raw.charAt(i);
			if (c == '[') {
				return skipControlSequence(raw, i + 1);
			}
			if (c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_') {
				for (int j = i + 1; j < raw.length(); j++) {
					char d = raw.charAt(j);
					if (d == 0x07) {
						return j + 1;
					}
					if (d == 0x1b && j + 1 < raw.length() && raw.charAt(j + 1) == '\\') {
						return j + 2;
					}
				}
				return raw.length();
			}
			// two-character sequences, and ESC ( B-like ones with an intermediate
			while (i < raw.length() && raw.charAt(i) >= 0x20 && raw.charAt(i) <= 0x2f) {
				i++;
			}
			return Math.min(i + 1, raw.length());
		}

		// parameters and intermediates up to the final byte (0x40 to 0x7e)
		private static int skipControlSequence(String raw, int i) {
			while (i < raw.length()) {
				char c = raw.charAt(i++);
				if (c >= 0x40 && c <= 0x7e) {
					return i;
				}
				if (c < 0x20 || c > 0x3f) {
					return i - 1;
				}
			}
			return i;
		}

	}

}
