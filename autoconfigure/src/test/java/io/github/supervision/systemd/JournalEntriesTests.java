package io.github.supervision.systemd;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import io.github.supervision.ServiceLog.Line;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link JournalEntries}, with entries as {@code journalctl --output=json}
 * prints them.
 *
 * @author Supervision contributors
 */
class JournalEntriesTests {

	private static final Instant TIME = Instant.parse("2026-11-30T11:56:07.123456Z");

	@Test
	void readsTheTimeTheTextAndTheStdoutTransport() {
		assertThat(
				lines("""
						{"__CURSOR":"s=1","__REALTIME_TIMESTAMP":"1796039767123456","_BOOT_ID":"b","MESSAGE":"hello","_TRANSPORT":"stdout"}"""))
			.containsExactly(new Line(TIME, "stdout", "hello"));
		assertThat(lines("""
				{"__REALTIME_TIMESTAMP":"1796039767123456","MESSAGE":"Started x.service.","_TRANSPORT":"journal"}"""))
			.containsExactly(new Line(TIME, null, "Started x.service."));
	}

	@Test
	void decodesAMessageThatIsNotUtf8WithReplacementCharacters() {
		assertThat(lines("""
				{"__REALTIME_TIMESTAMP":"1796039767123456","MESSAGE":[255,254,32,111,107,27,91,48,109]}"""))
			.extracting(Line::text)
			.containsExactly("\ufffd\ufffd ok");
	}

	@Test
	void givesAMessageOfSeveralLinesOrValuesAsSeveralLines() {
		assertThat(lines("""
				{"__REALTIME_TIMESTAMP":"1796039767123456","MESSAGE":"one\\ntwo\\n"}""")).extracting(Line::text)
			.containsExactly("one", "two");
		assertThat(lines("""
				{"__REALTIME_TIMESTAMP":"1796039767123456","MESSAGE":["first",[104,105]]}""")).extracting(Line::text)
			.containsExactly("first", "hi");
	}

	@Test
	void anEntryWithoutMessageOrTimeIsAnEmptyLineWithoutTime() {
		assertThat(lines("""
				{"__REALTIME_TIMESTAMP":"not a number"}""")).containsExactly(new Line(null, null, ""));
	}

	@Test
	void somethingElseThanAnObjectIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> lines("Hint: not JSON"));
		assertThatIllegalArgumentException().isThrownBy(() -> lines("[1]"));
	}

	private static List<Line> lines(String json) {
		byte[] bytes = ("junk" + json).getBytes(StandardCharsets.UTF_8);
		return JournalEntries.lines(bytes, 4, bytes.length - 4);
	}

}
