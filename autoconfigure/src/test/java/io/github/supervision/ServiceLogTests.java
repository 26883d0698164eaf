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
		assertThat(ServiceLog.ofText("a\nb\nc\n", false, 2).lines()).containsExactly("b", "c");
		assertThat(ServiceLog.ofText("a\nb\nc", false, 5).lines()).containsExactly("a", "b", "c");
	}

	@Test
	void dropsTheFirstLineOfATextCutFromALongerLog() {
		assertThat(ServiceLog.ofText("ail of a line\nwhole\n", true, 5).lines()).containsExactly("whole");
		assertThat(ServiceLog.ofText("ail of a line\nwhole\n", false, 5).lines()).containsExactly("ail of a line",
				"whole");
	}

	@Test
	void anEmptyTextHasNoLinesAndBlankLinesAreKept() {
		assertThat(ServiceLog.ofText("", false, 5).lines()).isEmpty();
		assertThat(ServiceLog.ofText("", true, 5).lines()).isEmpty();
		assertThat(ServiceLog.ofText("a\n\nb\n", false, 5).lines()).containsExactly("a", "", "b");
	}

}
