package io.github.supervision.systemd;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.github.supervision.ServiceLog;
import org.jspecify.annotations.Nullable;

/**
 * Parses the output of {@code journalctl --output=export} as it arrives, in blocks of any
 * size, into the lines of a log tail, holding only the fields a tail shows.
 * <p>
 * The export format prints an entry as one field a line and ends it with an empty line. A
 * field whose value is printable UTF-8 without line breaks is {@code NAME=value}; any
 * other value (several lines, terminal escapes, bytes that are not UTF-8) is
 * {@code NAME}, a line end, its length as a little-endian 64-bit number, the bytes, and a
 * line end. Field names are capital ASCII letters, digits and {@code _}; anything else is
 * not the export format and is refused.
 * <p>
 * {@code __REALTIME_TIMESTAMP} (microseconds since the epoch, when journald received the
 * entry) gives the time. {@code MESSAGE} gives the text, decoded with replacement
 * characters by {@link ServiceLog#decode(byte[], int, int)} and cleaned by
 * {@link ServiceLog.Line#of(Instant, String, String)}; an entry with the field several
 * times, or a message of several lines, gives several lines with the same time, and an
 * entry without it one empty line. The stream is {@code stdout} for entries that came
 * through journald's stdout transport ({@code _TRANSPORT=stdout}, which carries a unit's
 * standard error too unless it was sent elsewhere: the journal does not tell the two
 * apart), and {@code null} for everything else (systemd's own messages about the unit,
 * syslog, {@code sd_journal_send}). Other fields are skipped as they pass.
 *
 * @author Supervision contributors
 */
final class JournalExport {

	private static final int MAX_NAME_LENGTH = 64;

	// a timestamp or a transport is short; a longer value is neither
	private static final int MAX_SHORT_VALUE = 32;

	private static final byte[] TIMESTAMP = bytes("__REALTIME_TIMESTAMP");

	private static final byte[] MESSAGE = bytes("MESSAGE");

	private static final byte[] TRANSPORT = bytes("_TRANSPORT");

	private static final byte[] STDOUT = bytes("stdout");

	private static final byte[] LINE_END = { '\n' };

	private final Entries entries;

	private final int maxMessageBytes;

	private State state = State.NAME;

	private final byte[] name = new byte[MAX_NAME_LENGTH];

	private int nameLength;

	private Field field = Field.OTHER;

	private long size;

	private int sizeBytes;

	private final byte[] value = new byte[MAX_SHORT_VALUE];

	private int valueLength;

	private byte[] message = new byte[4096];

	private int messageLength;

	private int messages;

	private boolean oversized;

	private @Nullable Instant time;

	private boolean stdout;

	private boolean started;

	/**
	 * Create a parser that hands each entry to {@code entries}.
	 * @param maxMessageBytes the most bytes of {@code MESSAGE} one entry may have; an
	 * entry with more is left out without being held in memory
	 * @param entries receives the entries, in the order of the output
	 */
	JournalExport(int maxMessageBytes, Entries entries) {
		this.maxMessageBytes = maxMessageBytes;
		this.entries = entries;
	}

	/**
	 * Parse the next bytes of the output.
	 * @param bytes the bytes
	 * @param offset where they start
	 * @param length how many there are
	 * @return whether to read on: {@code false} when the receiver asked to stop, in which
	 * case the rest of the bytes were not parsed
	 * @throws IllegalArgumentException if the bytes are not in the export format
	 */
	boolean parse(byte[] bytes, int offset, int length) {
		int i = offset;
		int end = offset + length;
		while (i < end) {
			switch (this.state) {
				case NAME -> {
					int nameEnd = i;
					while (nameEnd < end && isNameByte(bytes[nameEnd])) {
						nameEnd++;
					}
					appendToName(bytes, i, nameEnd - i);
					i = nameEnd;
					if (i < end) {
						byte b = bytes[i++];
						if (b == '=') {
							startValue(State.TEXT);
						}
						else if (b != '\n') {
							throw notExport("a field name with the byte " + (b & 0xff));
						}
						else if (this.nameLength > 0) {
							startValue(State.SIZE);
						}
						else if (!endOfEntry()) {
							return false;
						}
					}
				}
				case TEXT -> {
					int lineEnd = indexOf(bytes, i, end, (byte) '\n');
					appendToValue(bytes, i, ((lineEnd < 0) ? end : lineEnd) - i);
					if (lineEnd < 0) {
						i = end;
					}
					else {
						i = lineEnd + 1;
						endOfField();
					}
				}
				case SIZE -> {
					this.size |= (bytes[i++] & 0xffL) << (8 * this.sizeBytes);
					if (++this.sizeBytes == 8) {
						if (this.size < 0) {
							throw notExport("a field of more than 2^63 bytes");
						}
						this.state = (this.size == 0) ? State.BINARY_END : State.BINARY;
					}
				}
				case BINARY -> {
					int count = (int) Math.min(this.size, end - i);
					appendToValue(bytes, i, count);
					i += count;
					this.size -= count;
					if (this.size == 0) {
						this.state = State.BINARY_END;
					}
				}
				case BINARY_END -> {
					if (bytes[i++] != '\n') {
						throw notExport("a binary field not followed by a line end");
					}
					endOfField();
				}
			}
		}
		return true;
	}

	/**
	 * End the output: an entry that was complete but for its empty line is handed on, one
	 * cut inside a field is not.
	 * @return whether the output ended between entries or fields; {@code false} if it was
	 * cut inside a field
	 */
	boolean finish() {
		if (this.state != State.NAME || this.nameLength > 0) {
			reset();
			return false;
		}
		if (this.started) {
			endOfEntry();
		}
		return true;
	}

	private void startValue(State next) {
		this.field = fieldNamed();
		this.nameLength = 0;
		this.valueLength = 0;
		this.size = 0;
		this.sizeBytes = 0;
		this.started = true;
		if (this.field == Field.MESSAGE && this.messages++ > 0) {
			appendToValue(LINE_END, 0, 1);
		}
		this.state = next;
	}

	private Field fieldNamed() {
		if (this.nameLength == 0) {
			throw notExport("a field without a name");
		}
		if (same(MESSAGE)) {
			return Field.MESSAGE;
		}
		if (same(TIMESTAMP)) {
			return Field.TIMESTAMP;
		}
		return same(TRANSPORT) ? Field.TRANSPORT : Field.OTHER;
	}

	private boolean same(byte[] expected) {
		return Arrays.equals(this.name, 0, this.nameLength, expected, 0, expected.length);
	}

	private void appendToName(byte[] bytes, int offset, int length) {
		if (this.nameLength + length > MAX_NAME_LENGTH) {
			throw notExport("a field name longer than " + MAX_NAME_LENGTH + " bytes");
		}
		System.arraycopy(bytes, offset, this.name, this.nameLength, length);
		this.nameLength += length;
	}

	private static boolean isNameByte(byte b) {
		return (b >= 'A' && b <= 'Z') || b == '_' || (b >= '0' && b <= '9');
	}

	private void appendToValue(byte[] bytes, int offset, int length) {
		switch (this.field) {
			case MESSAGE -> {
				if (this.oversized || this.messageLength + length > this.maxMessageBytes) {
					this.oversized = true;
					return;
				}
				if (this.messageLength + length > this.message.length) {
					this.message = Arrays.copyOf(this.message, Math.min(this.maxMessageBytes,
							Math.max(this.messageLength + length, this.message.length * 2)));
				}
				System.arraycopy(bytes, offset, this.message, this.messageLength, length);
				this.messageLength += length;
			}
			case TIMESTAMP, TRANSPORT -> {
				int count = Math.min(length, MAX_SHORT_VALUE - this.valueLength);
				System.arraycopy(bytes, offset, this.value, this.valueLength, count);
				this.valueLength += count;
				if (count < length) {
					// too long to be what the field should hold
					this.valueLength = MAX_SHORT_VALUE;
				}
			}
			case OTHER -> {
			}
		}
	}

	private void endOfField() {
		if (this.field == Field.TIMESTAMP) {
			this.time = timestamp();
		}
		else if (this.field == Field.TRANSPORT) {
			this.stdout = Arrays.equals(this.value, 0, this.valueLength, STDOUT, 0, STDOUT.length);
		}
		this.field = Field.OTHER;
		this.state = State.NAME;
	}

	private @Nullable Instant timestamp() {
		// 18 digits reach the year 33658 and never overflow
		if (this.valueLength == 0 || this.valueLength > 18) {
			return null;
		}
		long micros = 0;
		for (int i = 0; i < this.valueLength; i++) {
			byte digit = this.value[i];
			if (digit < '0' || digit > '9') {
				return null;
			}
			micros = micros * 10 + (digit - '0');
		}
		return Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1_000);
	}

	// Whether to read on
	private boolean endOfEntry() {
		if (!this.started) {
			// an empty line between entries
			return true;
		}
		boolean more = (this.oversized) ? this.entries.leftOut() : this.entries.entry(lines());
		reset();
		return more;
	}

	private List<ServiceLog.Line> lines() {
		String stream = (this.stdout) ? "stdout" : null;
		String text = ServiceLog.decode(this.message, 0, this.messageLength);
		if (text.endsWith("\n")) {
			text = text.substring(0, text.length() - 1);
		}
		if (text.indexOf('\n') < 0) {
			return List.of(ServiceLog.Line.of(this.time, stream, text));
		}
		List<ServiceLog.Line> lines = new ArrayList<>();
		for (String each : text.split("\n", -1)) {
			lines.add(ServiceLog.Line.of(this.time, stream, each));
		}
		return lines;
	}

	private void reset() {
		this.state = State.NAME;
		this.nameLength = 0;
		this.field = Field.OTHER;
		this.messageLength = 0;
		this.messages = 0;
		this.oversized = false;
		this.time = null;
		this.stdout = false;
		this.started = false;
		if (this.message.length > 64 * 1024) {
			this.message = new byte[4096];
		}
	}

	private static int indexOf(byte[] bytes, int from, int to, byte wanted) {
		for (int i = from; i < to; i++) {
			if (bytes[i] == wanted) {
				return i;
			}
		}
		return -1;
	}

	private static IllegalArgumentException notExport(String what) {
		return new IllegalArgumentException(
				"journalctl printed output that is not in the export format (" + what + ")");
	}

	private static byte[] bytes(String ascii) {
		return ascii.getBytes(StandardCharsets.US_ASCII);
	}

	/**
	 * Receives the entries of the output.
	 */
	interface Entries {

		/**
		 * Take one entry.
		 * @param lines its lines, oldest first, at least one
		 * @return whether to read on
		 */
		boolean entry(List<ServiceLog.Line> lines);

		/**
		 * Learn that an entry was left out: its message was longer than the parser may
		 * hold.
		 * @return whether to read on
		 */
		boolean leftOut();

	}

	private enum State {

		NAME, TEXT, SIZE, BINARY, BINARY_END

	}

	private enum Field {

		TIMESTAMP, MESSAGE, TRANSPORT, OTHER

	}

}
