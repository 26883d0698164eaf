package io.github.supervision.runit;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import io.github.supervision.ServiceLog;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LogFormat}, on stamps captured from {@code svlogd}, {@code multilog}
 * and {@code s6-log} (runit 2.1.2, daemontools 0.76, s6 2.11.3) at unix time 1796038457
 * (2026-11-30 11:34:17 UTC).
 *
 * @author Supervision contributors
 */
class LogFormatTests {

	private static final ZoneId UTC = ZoneOffset.UTC;

	@Test
	void decodesTheTai64nStampsOfSvlogdAndMultilogWithTenSecondsOfTaiMinusUtc() {
		// tai64n (libtai) printed @400000006b0d5f430c00d294 at unix 1796038457
		ServiceLog.Line line = LogFormat.TAI64N.line("@400000006b0d5f430c00d294 hello world", UTC);
		assertThat(line.time()).isEqualTo(Instant.ofEpochSecond(1796038457L, 0x0c00d294));
		assertThat(line.text()).isEqualTo("hello world");
	}

	@Test
	void decodesTheTai64nStampsOfS6LogWithItsLeapSeconds() {
		// s6-tai64n (skalibs) printed @400000006b0d5f5e... at the same second
		ServiceLog.Line line = LogFormat.S6_TAI64N.line("@400000006b0d5f5e0c220ab1 hello", UTC);
		assertThat(line.time()).isEqualTo(Instant.ofEpochSecond(1796038457L, 0x0c220ab1));
		assertThat(line.text()).isEqualTo("hello");
	}

	@Test
	void decodesSvlogdsHumanStampsInUtc() {
		ServiceLog.Line tt = LogFormat.SVLOGD_TT.line("2026-11-30_11:34:17.21264 hello", ZoneId.of("America/New_York"));
		assertThat(tt.time()).isEqualTo(Instant.parse("2026-11-30T11:34:17.212640Z"));
		assertThat(tt.text()).isEqualTo("hello");
		ServiceLog.Line ttt = LogFormat.SVLOGD_TTT.line("2026-11-30T11:34:17.21493 hello", UTC);
		assertThat(ttt.time()).isEqualTo(Instant.parse("2026-11-30T11:34:17.214930Z"));
		assertThat(ttt.text()).isEqualTo("hello");
	}

	@Test
	void decodesS6LogsIsoStampsInTheLocalTimeZone() {
		// s6-log T under TZ=America/New_York wrote the local time, then two spaces
		ServiceLog.Line line = LogFormat.S6_ISO.line("2026-11-30 06:34:21.334609278  hello",
				ZoneId.of("America/New_York"));
		assertThat(line.time()).isEqualTo(Instant.parse("2026-11-30T11:34:21.334609278Z"));
		assertThat(line.text()).isEqualTo("hello");
		assertThat(LogFormat.S6_ISO.line("2026-11-30 06:34:21.334609278   indented", UTC).text())
			.isEqualTo(" indented");
	}

	@Test
	void takesTheTimeOfS6LogsTwoStampsFromTheTai64nOne() {
		ServiceLog.Line line = LogFormat.S6_TAI64N_ISO
			.line("@400000006b0d5f5e0da551c6 2026-11-30 11:34:17.228938182  hello", UTC);
		assertThat(line.time()).isEqualTo(Instant.ofEpochSecond(1796038457L, 0x0da551c6));
		assertThat(line.text()).isEqualTo("hello");
	}

	@Test
	void keepsALineWithoutTheExpectedStampWhole() {
		assertThat(LogFormat.TAI64N.line("no stamp here", UTC)).isEqualTo(ServiceLog.Line.of("no stamp here"));
		assertThat(LogFormat.TAI64N.line("@400000006b0d5f430c00d29", UTC).time()).isNull();
		assertThat(LogFormat.TAI64N.line("@400000006B0D5F430C00D294 upper case", UTC).time()).isNull();
		assertThat(LogFormat.TAI64N.line("@000000006b0d5f430c00d294 before 2^62", UTC).time()).isNull();
		assertThat(LogFormat.TAI64N.line("@400000006b0d5f43ffffffff nanos too large", UTC).time()).isNull();
		assertThat(LogFormat.SVLOGD_TT.line("2026-13-30_11:34:17.21264 month 13", UTC).time()).isNull();
		assertThat(LogFormat.SVLOGD_TT.line("2026-11-30T11:34:17.21264 other separator", UTC).time()).isNull();
		assertThat(LogFormat.PLAIN.line("@400000006b0d5f430c00d294 kept", UTC))
			.isEqualTo(ServiceLog.Line.of("@400000006b0d5f430c00d294 kept"));
		assertThat(LogFormat.TAI64N.line("", UTC)).isEqualTo(ServiceLog.Line.of(""));
	}

	@Test
	void decodesAnyKnownStampWhenTheLoggerIsUnknown() {
		assertThat(LogFormat.UNKNOWN.line("@400000006b0d5f430c00d294 a", UTC).time())
			.isEqualTo(Instant.ofEpochSecond(1796038457L, 0x0c00d294));
		assertThat(LogFormat.UNKNOWN_S6.line("@400000006b0d5f5e0c220ab1 a", UTC).time())
			.isEqualTo(Instant.ofEpochSecond(1796038457L, 0x0c220ab1));
		assertThat(LogFormat.UNKNOWN.line("2026-11-30_11:34:17.21264 b", UTC).text()).isEqualTo("b");
		assertThat(LogFormat.UNKNOWN.line("2026-11-30T11:34:17.21264 c", UTC).text()).isEqualTo("c");
		assertThat(LogFormat.UNKNOWN.line("2026-11-30 11:34:17.224450649  d", UTC).text()).isEqualTo("d");
		assertThat(LogFormat.UNKNOWN.line("plain text line", UTC)).isEqualTo(ServiceLog.Line.of("plain text line"));
	}

	@Test
	void sanitisesTheTextAfterTheStamp() {
		ServiceLog.Line line = LogFormat.TAI64N
			.line("@400000006b0d5f430c00d294 \u001b[31mred\u001b[0m\tand\rbell\u0007", UTC);
		assertThat(line.text()).isEqualTo("red\tandbell");
	}

}
