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
	void aSanitisedLineLosesEscapesAndControlCharactersButTabs() {
		assertThat(ServiceLog.Line.of(null, null, "\u001b[1;31mred\u001b[0m\tx\r\u0007\u0000").text())
			.isEqualTo("red\tx");
		assertThat(ServiceLog.Line.of(null, null, "a\u001b]0;title\u0007b\u001b]2;t\u001b\\c").text()).isEqualTo("abc");
		assertThat(ServiceLog.Line.of(null, null, "a\u001b(Bb\u001bMc\u009b2Jd\u0085e").text()).isEqualTo("abcde");
		assertThat(ServiceLog.Line.of(null, null, "cut at the end \u001b[").text()).isEqualTo("cut at the end ");
		assertThat(ServiceLog.Line.of(null, null, "\ufffd stays").text()).isEqualTo("\ufffd stays");
	}

	@Test
	void aSanitisedLineIsCutAtItsMaximumLengthWithoutSplittingASurrogatePair() {
		assertThat(ServiceLog.Line.of(null, null, "x".repeat(100_000)).text()).hasSize(ServiceLog.Line.MAX_LENGTH);
		String pairs = "\ud83d\ude00".repeat(ServiceLog.Line.MAX_LENGTH);
		String text = ServiceLog.Line.of(null, "stdout", "y" + pairs).text();
		assertThat(text).hasSize(ServiceLog.Line.MAX_LENGTH - 1);
		assertThat(Character.isHighSurrogate(text.charAt(text.length() - 1))).isFalse();
	}

}
