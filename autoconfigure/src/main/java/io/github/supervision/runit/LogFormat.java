package io.github.supervision.runit;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

import io.github.supervision.ServiceLog;
import org.jspecify.annotations.Nullable;

/**
 * The time stamps a logger puts before each line it writes ({@code svlogd},
 * {@code multilog}, {@code s6-log}), decoded into a line's time and stripped from its
 * text.
 *
 * @author Supervision contributors
 */
enum LogFormat {

	/**
	 * No stamp: {@code svlogd} without {@code -t}, {@code multilog} without {@code t},
	 * {@code s6-log} without {@code t} or {@code T}.
	 */
	PLAIN,

	/**
	 * {@code @4000000068f1a2b30c85779c text}: {@code svlogd -t} and {@code multilog t}
	 * (libtai: TAI - UTC = 10 s).
	 */
	TAI64N,

	/**
	 * {@code @4000000068f1a2b30c85779c text}: {@code s6-log t} (skalibs: TAI - UTC = 37
	 * s).
	 */
	S6_TAI64N,

	/**
	 * {@code 2026-11-30_11:34:17.21264 text}: {@code svlogd -tt}, UTC.
	 */
	SVLOGD_TT,

	/**
	 * {@code 2026-11-30T11:34:17.21264 text}: {@code svlogd -ttt}, UTC.
	 */
	SVLOGD_TTT,

	/**
	 * {@code 2026-11-30 11:34:17.224450649  text}: {@code s6-log T}, in the logger's
	 * local time (taken as the application's time zone).
	 */
	S6_ISO,

	/**
	 * {@code @4000000068f1a2b30c85779c 2026-11-30 11:34:17.224450649  text}:
	 * {@code s6-log t T}; the time comes from the TAI64N stamp.
	 */
	S6_TAI64N_ISO,

	/**
	 * The logger is not known ({@code log/run} could not be read): any of the stamps
	 * above at the start of a line is decoded, a TAI64N one as libtai writes it (TAI -
	 * UTC = 10 s).
	 */
	UNKNOWN,

	/**
	 * Like {@link #UNKNOWN}, for a log service supervised by s6 (TAI - UTC = 37 s).
	 */
	UNKNOWN_S6;

	private static final int TAI64N_LENGTH = 25;

	// 2026-11-30_11:34:17.21264
	private static final int SVLOGD_LENGTH = 25;

	// 2026-11-30 11:34:17.224450649
	private static final int S6_ISO_LENGTH = 29;

	/**
	 * Return a line as the logger wrote it, its stamp decoded into its time and removed
	 * from its text. A line without the stamp the format expects is kept whole, without
	 * time.
	 * @param raw the line, without its line end
	 * @param zone the time zone of {@code s6-log T} stamps
	 * @return the line, sanitised
	 */
	ServiceLog.Line line(String raw, ZoneId zone) {
		return switch (this) {
			case PLAIN -> ServiceLog.Line.of(null, null, raw);
			case TAI64N -> tai64n(raw, SuperviseRecord.TAI_OFFSET, false, zone);
			case S6_TAI64N -> tai64n(raw, SuperviseRecord.S6_TAI_OFFSET, false, zone);
			case S6_TAI64N_ISO -> tai64n(raw, SuperviseRecord.S6_TAI_OFFSET, true, zone);
			case SVLOGD_TT -> svlogd(raw, '_');
			case SVLOGD_TTT -> svlogd(raw, 'T');
			case S6_ISO -> s6Iso(raw, null, zone);
			case UNKNOWN -> any(raw, SuperviseRecord.TAI_OFFSET, zone);
			case UNKNOWN_S6 -> any(raw, SuperviseRecord.S6_TAI_OFFSET, zone);
		};
	}

	private static ServiceLog.Line any(String raw, long taiOffset, ZoneId zone) {
		if (raw.startsWith("@")) {
			return tai64n(raw, taiOffset, true, zone);
		}
		if (raw.length() > 10 && raw.charAt(10) == ' ') {
			return s6Iso(raw, null, zone);
		}
		return svlogd(raw, (raw.length() > 10) ? raw.charAt(10) : '_');
	}

	private static ServiceLog.Line tai64n(String raw, long taiOffset, boolean isoMayFollow, ZoneId zone) {
		Instant time = tai64n(raw, taiOffset);
		if (time == null) {
			return ServiceLog.Line.of(null, null, raw);
		}
		String rest = raw.substring(TAI64N_LENGTH + 1);
		return isoMayFollow ? s6Iso(rest, time, zone) : ServiceLog.Line.of(time, null, rest);
	}

	/**
	 * Decode a TAI64N stamp ({@code @} and 24 hexadecimal digits) followed by a space at
	 * the start of a line.
	 * @param raw the line
	 * @param taiOffset the difference TAI - UTC the logger assumed, in seconds
	 * @return the instant, or {@code null} when the line does not start with a stamp
	 */
	static @Nullable Instant tai64n(String raw, long taiOffset) {
		if (raw.length() <= TAI64N_LENGTH || raw.charAt(0) != '@' || raw.charAt(TAI64N_LENGTH) != ' ') {
			return null;
		}
		long label = hex(raw, 1, 17);
		long nanos = hex(raw, 17, 25);
		if (label < SuperviseRecord.TAI64_BASE || nanos < 0 || nanos > 999_999_999L) {
			return null;
		}
		return SuperviseRecord.instant(label, nanos, taiOffset);
	}

	private static long hex(String text, int from, int to) {
		long value = 0;
		for (int i = from; i < to; i++) {
			int digit = Character.digit(text.charAt(i), 16);
			if (digit < 0 || Character.isUpperCase(text.charAt(i))) {
				return -1;
			}
			value = (value << 4) | digit;
		}
		return value;
	}

	private static ServiceLog.Line svlogd(String raw, char separator) {
		if (raw.length() <= SVLOGD_LENGTH || raw.charAt(SVLOGD_LENGTH) != ' ' || raw.charAt(10) != separator
				|| raw.charAt(19) != '.') {
			return ServiceLog.Line.of(null, null, raw);
		}
		LocalDateTime time = dateTime(raw, digits(raw, 20, 25) * 10_000L);
		if (time == null) {
			return ServiceLog.Line.of(null, null, raw);
		}
		return ServiceLog.Line.of(time.toInstant(ZoneOffset.UTC), null, raw.substring(SVLOGD_LENGTH + 1));
	}

	private static ServiceLog.Line s6Iso(String raw, @Nullable Instant time, ZoneId zone) {
		// s6-log writes the stamp, a space, then a space before the line
		if (raw.length() <= S6_ISO_LENGTH || raw.charAt(S6_ISO_LENGTH) != ' ' || raw.charAt(10) != ' '
				|| raw.charAt(19) != '.') {
			return ServiceLog.Line.of(time, null, raw);
		}
		LocalDateTime local = dateTime(raw, digits(raw, 20, 29));
		if (local == null) {
			return ServiceLog.Line.of(time, null, raw);
		}
		int from = S6_ISO_LENGTH + 1;
		if (raw.length() > from && raw.charAt(from) == ' ') {
			from++;
		}
		return ServiceLog.Line.of((time != null) ? time : local.atZone(zone).toInstant(), null, raw.substring(from));
	}

	// YYYY-MM-DD?HH:MM:SS, the separator checked by the caller
	private static @Nullable LocalDateTime dateTime(String raw, long nanos) {
		if (raw.charAt(4) != '-' || raw.charAt(7) != '-' || raw.charAt(13) != ':' || raw.charAt(16) != ':'
				|| nanos < 0) {
			return null;
		}
		long year = digits(raw, 0, 4);
		long month = digits(raw, 5, 7);
		long day = digits(raw, 8, 10);
		long hour = digits(raw, 11, 13);
		long minute = digits(raw, 14, 16);
		long second = digits(raw, 17, 19);
		if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
			return null;
		}
		try {
			return LocalDateTime.of((int) year, (int) month, (int) day, (int) hour, (int) minute,
					(int) Math.min(second, 59), (int) nanos);
		}
		catch (DateTimeException ex) {
			return null;
		}
	}

	private static long digits(String text, int from, int to) {
		long value = 0;
		for (int i = from; i < to; i++) {
			char c = text.charAt(i);
			if (c < '0' || c > '9') {
				return -1;
			}
			value = value * 10 + (c - '0');
		}
		return value;
	}

}
