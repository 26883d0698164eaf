package io.github.supervision;

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
	void aSanitisedLineHasNoTerminalEscapesNoControlsAndABoundedLength() {
		assertThat(ServiceLog.Line.of(null, null, "\u001b[1;31mred\u001b[0m\ttab\u0007\r").text())
			.isEqualTo("red\ttab");
		assertThat(ServiceLog.Line.of(null, null, "a\u001b]0;title\u0007b\u001b]2;t\u001b\\c\u009b2Jd").text())
			.isEqualTo("abcd");
		assertThat(ServiceLog.Line.of(null, null, "x".repeat(100_000)).text()).hasSize(ServiceLog.MAX_LINE_LENGTH);
		String emoji = "\ud83d\ude00";
		assertThat(ServiceLog.Line.of(null, null, "x".repeat(ServiceLog.MAX_LINE_LENGTH - 1) + emoji).text())
			.as("never half a character")
			.hasSize(ServiceLog.MAX_LINE_LENGTH - 1);
	}

}
