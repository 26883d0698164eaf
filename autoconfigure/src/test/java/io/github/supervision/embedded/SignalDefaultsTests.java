package io.github.supervision.embedded;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.github.supervision.ServiceSignal;
import io.github.supervision.testsupport.Commands;
import io.github.supervision.testsupport.RealDaemons;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SignalDefaults}: the {@code SigIgn} mask of {@code /proc/<pid>/status}
 * read, and a command run under {@code nohup} (SIGHUP ignored when it starts) getting the
 * default handling of SIGHUP back through {@code env --default-signal}.
 *
 * @author Supervision contributors
 */
class SignalDefaultsTests {

	private static final String STATUS = "Name:\tjava\nSigQ:\t0/63457\nSigPnd:\t0000000000000000\n"
			+ "ShdPnd:\t0000000000000000\nSigBlk:\t0000000000000000\nSigIgn:\t%s\nSigCgt:\t2000000181005ccf\n";

	@Test
	void readsWhichOfTheBackendsSignalsAreIgnoredFromTheSigIgnMask() {
		// bit n-1 for signal n: 0x4206 is INT (2), QUIT (3), USR1 (10) and TERM (15)
		assertThat(SignalDefaults.ignored(STATUS.formatted("0000000000004206"))).containsExactly(ServiceSignal.INT,
				ServiceSignal.QUIT, ServiceSignal.USR1, ServiceSignal.TERM);
		// a JVM under nohup: HUP, and signals 32 and 33 that are not ours
		assertThat(SignalDefaults.ignored(STATUS.formatted("0000000180000001"))).containsExactly(ServiceSignal.HUP);
		assertThat(SignalDefaults.ignored(STATUS.formatted("0000000180000000"))).isEmpty();
	}

	@Test
	void aStatusWithoutAValidMaskIgnoresNothing() {
		assertThat(SignalDefaults.ignored("Name:\tjava\n")).isEmpty();
		assertThat(SignalDefaults.ignored(STATUS.formatted("not hex"))).isEmpty();
	}

	@Test
	void aCommandStartsAsItIsWhenNothingIsIgnored() {
		SignalDefaults defaults = new SignalDefaults(Set.of());
		assertThat(defaults.command(List.of("/bin/sleep", "1"))).containsExactly("/bin/sleep", "1");
	}

	@Test
	void aCommandRunUnderNohupGetsTheDefaultHandlingOfHangupBack() throws Exception {
		RealDaemons.requireExecutables("/usr/bin/nohup", "/usr/bin/env", "/bin/grep");
		SignalDefaults defaults = new SignalDefaults(List.of(ServiceSignal.TERM, ServiceSignal.HUP));
		assertThat(defaults.prefix()).containsExactly("/usr/bin/env", "--default-signal=HUP,TERM", "--");
		List<String> grep = List.of("/bin/grep", "SigIgn", "/proc/self/status");
		// without: nohup's HUP stays ignored across exec (INT and QUIT may be too, when
		// the build runs in the background)
		assertThat(SignalDefaults.ignored(nohup(grep))).contains(ServiceSignal.HUP);
		assertThat(SignalDefaults.ignored(nohup(defaults.command(grep)))).doesNotContain(ServiceSignal.HUP,
				ServiceSignal.TERM);
	}

	private static String nohup(List<String> command) throws Exception {
		List<String> argv = new ArrayList<>(List.of("/usr/bin/nohup"));
		argv.addAll(command);
		Commands.Result result = Commands.run(Duration.ofSeconds(10), argv);
		assertThat(result.exitStatus()).as(result.stderr()).isZero();
		return result.stdout();
	}

}
