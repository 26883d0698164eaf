package io.github.supervision.systemd;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.github.supervision.ServiceLog;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns one journal entry, as {@code journalctl --output=json} prints it, into the lines
 * of a log tail.
 * <p>
 * {@code __REALTIME_TIMESTAMP} (microseconds since the epoch, when journald received the
 * entry) gives the time. {@code MESSAGE} gives the text: a JSON string, or an array of
 * byte values when the message is not valid UTF-8 (decoded with replacement characters),
 * or an array of such values when the entry has several; a message of several lines gives
 * several lines with the same time. The stream is {@code stdout} for entries that came
 * through journald's stdout transport ({@code _TRANSPORT=stdout}, which carries a unit's
 * standard error too unless it was sent elsewhere: the journal does not tell the two
 * apart), and {@code null} for everything else (systemd's own messages about the unit,
 * syslog, {@code sd_journal_send}).
 *
 * @author Supervision contributors
 */
final class JournalEntries {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private JournalEntries() {
	}

	/**
	 * Return the lines of one entry, oldest first, sanitised by
	 * {@link ServiceLog.Line#of(Instant, String, String)}.
	 * @param json one line of {@code journalctl --output=json}
	 * @param offset where the entry starts in {@code json}
	 * @param length the entry's length in bytes
	 * @return the lines
	 * @throws IllegalArgumentException if the entry is not a JSON object
	 */
	static List<ServiceLog.Line> lines(byte[] json, int offset, int length) {
		JsonNode entry;
		try {
			entry = MAPPER.readTree(json, offset, length);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("journalctl printed an entry that is not JSON", ex);
		}
		if (entry == null || !entry.isObject()) {
			throw new IllegalArgumentException("journalctl printed an entry that is not a JSON object");
		}
		Instant time = time(entry.get("__REALTIME_TIMESTAMP"));
		JsonNode transport = entry.get("_TRANSPORT");
		String stream = (transport != null && "stdout".equals(transport.asString(null))) ? "stdout" : null;
		List<ServiceLog.Line> lines = new ArrayList<>();
		for (String text : texts(message(entry.get("MESSAGE")))) {
			lines.add(ServiceLog.Line.of(time, stream, text));
		}
		return lines;
	}

	private static @Nullable Instant time(@Nullable JsonNode value) {
		if (value == null) {
			return null;
		}
		try {
			long micros = Long.parseLong(value.asString(""));
			return Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1_000);
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	// A string, an array of byte values (not valid UTF-8), or, when the field appears
	// more than once in the entry, an array of either
	private static String message(@Nullable JsonNode value) {
		if (value == null || value.isNull()) {
			return "";
		}
		if (value.isString()) {
			return value.stringValue();
		}
		if (value.isArray() && value.size() > 0 && !value.get(0).isNumber()) {
			List<String> values = new ArrayList<>();
			for (JsonNode each : value.values()) {
				values.add(message(each));
			}
			return String.join("\n", values);
		}
		if (value.isArray()) {
			ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.size());
			for (JsonNode each : value.values()) {
				bytes.write(each.intValue(0));
			}
			return bytes.toString(StandardCharsets.UTF_8);
		}
		return value.asString("");
	}

	private static List<String> texts(String message) {
		String text = message.endsWith("\n") ? message.substring(0, message.length() - 1) : message;
		return List.of(text.split("\n", -1));
	}

}
