package io.github.supervision;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ServiceLog}.
 *
 * @author Supervision contributors
 */
class ServiceLogTests {

	@Test
	void keepsTheLastLinesOfAText() {
		assertThat(ServiceLog.ofText("a\nb\nc\n", false, 2).texts()).containsExactly("b", "c");
		assertThat(ServiceLog.ofText("a\nb\nc", false, 5).texts()).containsExactly("a", "b", "c");
	}

	@Test
	void dropsTheFirstLineOfATextCutFromALongerLog() {
		assertThat(ServiceLog.ofText("ail of a line\nwhole\n", true, 5).texts()).containsExactly("whole");
		assertThat(ServiceLog.ofText("ail of a line\nwhole\n", false, 5).texts()).containsExactly("ail of a line",
				"whole");
	}

	@Test
	void anEmptyTextHasNoLinesAndBlankLinesAreKept() {
		assertThat(ServiceLog.ofText("", false, 5).texts()).isEmpty();
		assertThat(ServiceLog.ofText("", true, 5).texts()).isEmpty();
		assertThat(ServiceLog.ofText("a\n\nb\n", false, 5).texts()).containsExactly("a", "", "b");
	}

	@Test
	void removesAnsiEscapeSequences() {
		assertThat(ServiceLog.Line.of(null, "stdout", "\u001b[1;31mred\u001b[0m plain").text()).isEqualTo("red plain");
		assertThat(ServiceLog.Line.of(null, null, "\u001b]0;window title\u0007after").text()).isEqualTo("after");
		assertThat(ServiceLog.Line.of(null, null, "\u001b]8;;http://x\u001b\\link\u001b]8;;\u001b\\").text())
			.isEqualTo("link");
		assertThat(ServiceLog.Line.of(null, null, "\u001b(Bcharset \u001b7saved\u009b2Jcleared").text())
			.isEqualTo("charset savedcleared");
		assertThat(ServiceLog.Line.of(null, null, "unterminated \u001b[12").text()).isEqualTo("unterminated ");
		assertThat(ServiceLog.Line.of(null, null, "lone escape at the end \u001b").text())
			.isEqualTo("lone escape at the end ");
	}

	@Test
	void removesControlCharactersButTab() {
		assertThat(ServiceLog.Line.of(null, null, "a\tb\rc\u0000d\u0007e\u0008f\u007fg\u0085h").text())
			.isEqualTo("a\tbcdefgh");
		assertThat(ServiceLog.ofText("carriage\r\nreturn\r\n", false, 5).texts()).containsExactly("carriage", "return");
	}

	@Test
	void decodesInvalidUtf8WithTheReplacementCharacter() {
		byte[] bytes = { 'o', 'k', ' ', (byte) 0xff, (byte) 0xc3, ' ', (byte) 0xe2, (byte) 0x82, ' ', (byte) 0xc3,
				(byte) 0xa9 };
		String text = ServiceLog.decode(bytes, 0, bytes.length);
		assertThat(text).isEqualTo("ok \uFFFD\uFFFD \uFFFD \u00e9");
		assertThat(ServiceLog.decode(bytes, 3, 1)).isEqualTo("\uFFFD");
		assertThat(ServiceLog.Line.of(null, null, text).text()).isEqualTo(text);
	}

	@Test
	void replacesUnpairedSurrogatesAndKeepsPairs() {
		assertThat(ServiceLog.Line.of(null, null, "a\ud800b\udc00c\ud83d\ude00").text())
			.isEqualTo("a\uFFFDb\uFFFDc\ud83d\ude00");
	}

	@Test
	void cutsALineOfTenMegabytesTo16KibAndSaysSo() {
		String huge = "x".repeat(10 * 1024 * 1024);
		ServiceLog log = ServiceLog.ofText("before\n" + huge + "\nafter\n", false, 10);
		assertThat(log.texts()).hasSize(3);
		assertThat(log.lines().get(1).text()).hasSize(ServiceLog.MAX_LINE_LENGTH);
		assertThat(log.texts().get(2)).isEqualTo("after");
		assertThat(log.truncated()).isTrue();
		assertThat(ServiceLog.Line.of(Instant.EPOCH, "stderr", huge).text()).hasSize(ServiceLog.MAX_LINE_LENGTH);
		String escapes = "\u001b[31m".repeat(1024 * 1024) + "end";
		assertThat(ServiceLog.Line.of(null, null, escapes).text()).isEqualTo("end");
		assertThat(ServiceLog.ofText("short\n", false, 10).truncated()).isFalse();
	}

	@Test
	void keepsAtMostOneMebibyteOfTextLeavingOutTheOldestLines() {
		List<ServiceLog.Line> lines = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			lines.add(ServiceLog.Line.of(null, null, i + " " + "y".repeat(16_000)));
		}
		ServiceLog log = new ServiceLog(lines, false);
		assertThat(log.truncated()).isTrue();
		assertThat(log.texts().stream().mapToInt(String::length).sum()).isLessThanOrEqualTo(ServiceLog.MAX_TEXT_LENGTH);
		assertThat(log.texts().get(log.texts().size() - 1)).startsWith("99 ");
		assertThat(log.texts()).hasSizeGreaterThan(60);
	}

	@Test
	void aCleanLineIsKeptAsItIs() {
		String text = "caf\u00e9 \u2603 \ud83d\ude00 tab\there";
		assertThat(ServiceLog.Line.of(null, null, text).text()).isSameAs(text);
		assertThat(new String(ServiceLog.Line.of(null, null, text).text().getBytes(StandardCharsets.UTF_8),
				StandardCharsets.UTF_8))
			.isEqualTo(text);
	}

}
