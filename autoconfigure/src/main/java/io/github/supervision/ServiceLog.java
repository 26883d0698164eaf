package io.github.supervision;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The latest lines a service wrote, as its backend read them, cleaned of what a log may
 * hold but a client must never be sent. Every {@link Line} is sanitised when it is made
 * (terminal escape sequences and control characters other than TAB removed, unpaired
 * surrogates replaced, at most {@link #MAX_LINE_LENGTH} characters), and a whole log
 * holds at most {@link #MAX_TEXT_LENGTH} characters of text: older lines beyond it are
 * left out.
 *
 * @param lines the lines, oldest first
 * @param truncated whether lines were left out or shortened to keep the answer bounded
 * (older lines beyond the bytes read, the rest of an over-long line); a line of
 * {@link #MAX_LINE_LENGTH} characters always counts as shortened
 * @author Supervision contributors
 * @see LogTailCapability
 */
public record ServiceLog(List<Line> lines, boolean truncated) {

	/**
	 * The most characters one line's text keeps (16 KiB); the rest is cut.
	 */
	public static final int MAX_LINE_LENGTH = 16 * 1024;

	/**
	 * The most characters of text a whole log keeps (1 MiB); older lines beyond it are
	 * left out.
	 */
	public static final int MAX_TEXT_LENGTH = 1024 * 1024;

	/**
	 * Create a new log tail, leaving out the oldest lines beyond {@link #MAX_TEXT_LENGTH}
	 * characters.
	 */
	public ServiceLog {
		Assert.notNull(lines, "'lines' must not be null");
		int from = lines.size();
		long length = 0;
		while (from > 0 && length + lines.get(from - 1).text().length() <= MAX_TEXT_LENGTH) {
			from--;
			length += lines.get(from).text().length();
		}
		List<Line> kept = (from > 0) ? lines.subList(from, lines.size()) : lines;
		truncated = truncated || from > 0 || kept.stream().anyMatch((line) -> line.text().length() >= MAX_LINE_LENGTH);
		lines = List.copyOf(kept);
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
	 * Decode bytes of a log as UTF-8, each malformed sequence as U+FFFD (the replacement
	 * character), never failing.
	 * @param bytes the bytes
	 * @param offset where they start
	 * @param length how many there are
	 * @return the text
	 */
	public static String decode(byte[] bytes, int offset, int length) {
		Assert.notNull(bytes, "'bytes' must not be null");
		if (isAscii(bytes, offset, length)) {
			// the common case, without a decoder
			return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
		}
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPLACE)
				.onUnmappableCharacter(CodingErrorAction.REPLACE)
				.decode(ByteBuffer.wrap(bytes, offset, length))
				.toString();
		}
		catch (CharacterCodingException ex) {
			// REPLACE never throws; keep the JDK's own replacement as a fallback
			return new String(bytes, offset, length, StandardCharsets.UTF_8);
		}
	}

	private static boolean isAscii(byte[] bytes, int offset, int length) {
		for (int i = offset; i < offset + length; i++) {
			if (bytes[i] < 0) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Return a text as it may be sent to a client: ANSI and other terminal escape
	 * sequences ({@code ESC [ … m}, {@code ESC ] … BEL}, the C1 {@code CSI}) and control
	 * characters other than TAB removed, unpaired surrogates replaced by U+FFFD, and at
	 * most {@code max} characters kept.
	 * @param text the text
	 * @param max the most characters to keep
	 * @return the clean text
	 */
	public static String clean(String text, int max) {
		Assert.notNull(text, "'text' must not be null");
		if (isClean(text, max)) {
			return text;
		}
		StringBuilder clean = new StringBuilder(Math.min(text.length(), max));
		int length = text.length();
		int i = 0;
		while (i < length && clean.length() < max) {
			char c = text.charAt(i);
			if (c == '\u001b' || c == '\u009b') {
				i = skipEscape(text, i);
			}
			else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
				if (clean.length() + 2 > max) {
					break;
				}
				clean.append(c).append(text.charAt(i + 1));
				i += 2;
			}
			else {
				if (Character.isSurrogate(c)) {
					clean.append('\uFFFD');
				}
				else if (!isControl(c)) {
					clean.append(c);
				}
				i++;
			}
		}
		return clean.toString();
	}

	private static boolean isClean(String text, int max) {
		if (text.length() > max) {
			return false;
		}
		int length = text.length();
		for (int i = 0; i < length; i++) {
			char c = text.charAt(i);
			if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
				i++;
			}
			else if (isControl(c) || Character.isSurrogate(c)) {
				return false;
			}
		}
		return true;
	}

	// C0 but TAB, DEL and C1: terminals act on them, and JSON would escape them
	private static boolean isControl(char c) {
		return (c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f);
	}

	// Return the index after the escape sequence that starts at 'start' (ESC or CSI)
	private static int skipEscape(String text, int start) {
		int length = text.length();
		int i = start + 1;
		char introducer = (text.charAt(start) == '\u009b') ? '[' : ((i < length) ? text.charAt(i++) : '\0');
		switch (introducer) {
			case '[' -> {
				// CSI: parameters and intermediates, then one final byte
				while (i < length && text.charAt(i) >= 0x20 && text.charAt(i) <= 0x3f) {
					i++;
				}
				while (i < length && text.charAt(i) >= 0x20 && text.charAt(i) <= 0x2f) {
					i++;
				}
				return (i < length && text.charAt(i) >= 0x40 && text.charAt(i) <= 0x7e) ? i + 1 : i;
			}
			case ']', 'P', 'X', '^', '_' -> {
				// OSC, DCS, SOS, PM, APC: a string ended by BEL or ST (ESC \)
				while (i < length) {
					char c = text.charAt(i);
					if (c == '\u0007' || c == '\u009c') {
						return i + 1;
					}
					if (c == '\u001b') {
						return (i + 1 < length && text.charAt(i + 1) == '\\') ? i + 2 : i;
					}
					i++;
				}
				return i;
			}
			default -> {
				// ESC, intermediates, one final character (ESC ( B, ESC 7, ESC c)
				i = start + 1;
				while (i < length && text.charAt(i) >= 0x20 && text.charAt(i) <= 0x2f) {
					i++;
				}
				return (i < length && text.charAt(i) >= 0x30 && text.charAt(i) <= 0x7e) ? i + 1 : i;
			}
		}
	}

	/**
	 * One line of a log, sanitised when it is made.
	 *
	 * @param time when the line was written, where the log records it (a journal entry,
	 * an {@code svlogd} or {@code multilog} stamp), or {@code null}
	 * @param stream the stream the line came from ({@code stdout}, {@code stderr}) where
	 * the source keeps them apart, or {@code null}
	 * @param text the line without its line end,
	 * {@linkplain ServiceLog#clean(String, int) clean} and at most
	 * {@link ServiceLog#MAX_LINE_LENGTH} characters
	 */
	public record Line(@Nullable Instant time, @Nullable String stream, String text) {

		/**
		 * Create a new line, cleaning its text and cutting it to
		 * {@link ServiceLog#MAX_LINE_LENGTH} characters.
		 */
		public Line {
			Assert.notNull(text, "'text' must not be null");
			text = clean(text, MAX_LINE_LENGTH);
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
		 * Return a line read from a log whose content nobody vouches for: its text
		 * {@linkplain ServiceLog#clean(String, int) cleaned} and cut to
		 * {@link ServiceLog#MAX_LINE_LENGTH} characters. Bytes are turned into the raw
		 * text with {@link ServiceLog#decode(byte[], int, int)}.
		 * @param time when the line was written, or {@code null}
		 * @param stream {@code stdout}, {@code stderr}, or {@code null}
		 * @param raw the text as read, without its line end
		 * @return the line
		 */
		public static Line of(@Nullable Instant time, @Nullable String stream, String raw) {
			return new Line(time, stream, raw);
		}

	}

}
