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

}
