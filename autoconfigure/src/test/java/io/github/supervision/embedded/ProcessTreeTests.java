package io.github.supervision.embedded;

import java.nio.file.Files;
import java.nio.file.Path;

import io.github.supervision.testsupport.RealDaemons;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ProcessTree}'s reading of {@code /proc/<pid>/stat}.
 *
 * @author Supervision contributors
 */
class ProcessTreeTests {

	@Test
	void parsesAStatLineWhoseCommandHoldsSpacesAndParentheses() {
		String line = "4242 (evil) (name Z 1 2) S 17 4242 4242 0 -1 4194560 101 0 0 0 0 0 0 0 20 0 1 0 987654 "
				+ "2424832 219 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
		ProcessTree.Stat stat = ProcessTree.Stat.parse(4242, line);
		assertThat(stat).isNotNull();
		assertThat(stat.state()).isEqualTo('S');
		assertThat(stat.ppid()).isEqualTo(17);
		assertThat(stat.pgrp()).isEqualTo(4242);
		assertThat(stat.session()).isEqualTo(4242);
		assertThat(stat.startTicks()).isEqualTo(987654);
		assertThat(stat.isLive()).isTrue();
	}

	@Test
	void treatsAZombieAsNotLive() {
		String line = "7 (sh) Z 1 7 7 0 -1 4228164 0 0 0 0 0 0 0 0 20 0 1 0 555 0 0 18446744073709551615 0 0 0 0 0 0 "
				+ "0 0 0 0 0 0 17 0 0 0 0 0 0";
		assertThat(ProcessTree.Stat.parse(7, line).isLive()).isFalse();
	}

	@Test
	void rejectsATruncatedLine() {
		assertThat(ProcessTree.Stat.parse(7, "7 (sh) S 1 7")).isNull();
		assertThat(ProcessTree.Stat.parse(7, "garbage")).isNull();
	}

	@Test
	void readsThisJvmsOwnStat() {
		RealDaemons.require(Files.isDirectory(Path.of("/proc/self")), "/proc is not mounted");
		ProcessTree.Stat stat = ProcessTree.Stat.read(ProcessHandle.current().pid());
		assertThat(stat).isNotNull();
		assertThat(stat.pid()).isEqualTo(ProcessHandle.current().pid());
		assertThat(stat.ppid()).isEqualTo(ProcessHandle.current().parent().get().pid());
		assertThat(stat.isLive()).isTrue();
		assertThat(stat.startTicks()).isPositive();
	}

}
