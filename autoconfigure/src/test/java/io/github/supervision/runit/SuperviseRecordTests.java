package io.github.supervision.runit;

import java.time.Instant;
import java.util.HexFormat;

import io.github.supervision.ServiceState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link SuperviseRecord} and the state mapping of {@link SuperviseReader}, on
 * records captured from the real supervisors on this machine.
 *
 * @author Supervision contributors
 */
class SuperviseRecordTests {

	// runsv, "run: (pid 6852)", want up
	private static final String RUNIT_UP = "400000006b024b6018e89834c41a000000750001";

	// supervise, "up (pid 6801)", want up
	private static final String DAEMONTOOLS_UP = "400000006b024b5f18d14774911a00000075";

	// s6-supervise 2.11, "up (pid 6805)", want up
	private static final String S6_UP = "400000006b024b7a1917942c400000006b024b7a19114eeb0000000000001a95000004";

	// s6-supervise 2.11, "down (signal SIGTERM)", ready flag left set
	private static final String S6_DOWN = "400000006b024d5e26c5c8c0400000006b024d5e275ce2a40000000000000000000f08";

	@Test
	void parsesARunitRecord() {
		SuperviseRecord record = parse(RUNIT_UP);
		assertThat(record.flavour()).isEqualTo(SuperviseFlavour.RUNIT);
		assertThat(record.pid()).isEqualTo(6852);
		assertThat(record.state()).isEqualTo(SuperviseRecord.RUN);
		assertThat(record.want()).isEqualTo('u');
		assertThat(record.paused()).isFalse();
		assertThat(record.termSent()).isFalse();
		assertThat(record.since()).isEqualTo(Instant.ofEpochSecond(0x6b024b60L - 10, 0x18e89834L));
		assertThat(SuperviseReader.rawState(record, true)).isEqualTo("run");
		assertThat(SuperviseReader.state(record)).isEqualTo(ServiceState.RUNNING);
	}

	@Test
	void parsesADaemontoolsRecord() {
		SuperviseRecord record = parse(DAEMONTOOLS_UP);
		assertThat(record.flavour()).isEqualTo(SuperviseFlavour.DAEMONTOOLS);
		assertThat(record.pid()).isEqualTo(6801);
		assertThat(record.state()).isEqualTo(SuperviseRecord.RUN);
		assertThat(record.want()).isEqualTo('u');
		assertThat(record.since().getEpochSecond()).isEqualTo(0x6b024b5fL - 10);
	}

	@Test
	void parsesAnS6Record() {
		SuperviseRecord record = parse(S6_UP);
		assertThat(record.flavour()).isEqualTo(SuperviseFlavour.S6);
		assertThat(record.pid()).isEqualTo(6805);
		assertThat(record.state()).isEqualTo(SuperviseRecord.RUN);
		assertThat(record.want()).isEqualTo('u');
		assertThat(record.ready()).isFalse();
		assertThat(record.exitCode()).isNull();
		// skalibs counts leap seconds: the same moment as the runit record above
		assertThat(record.since().getEpochSecond()).isEqualTo(0x6b024b7aL - 37);
	}

	@Test
	void parsesTheSignalThatEndedAnS6Service() {
		SuperviseRecord record = parse(S6_DOWN);
		assertThat(record.hasProcess()).isFalse();
		assertThat(record.want()).isEqualTo('d');
		assertThat(record.termSignal()).isEqualTo(15);
		assertThat(record.exitCode()).isNull();
		assertThat(SuperviseReader.state(record)).isEqualTo(ServiceState.STOPPED);
	}

	@Test
	void parsesAnS6RecordWithAProcessGroup() {
		byte[] bytes = new byte[43];
		byte[] s6 = HexFormat.of().parseHex(S6_UP);
		System.arraycopy(s6, 0, bytes, 0, 32);
		bytes[40] = 0;
		bytes[41] = 0;
		bytes[42] = 0x05;
		SuperviseRecord record = SuperviseRecord.parse(bytes);
		assertThat(record.pid()).isEqualTo(6805);
		assertThat(record.paused()).isTrue();
		assertThat(record.want()).isEqualTo('u');
	}

	@Test
	void describesStatesInSvWords() {
		assertThat(SuperviseReader.rawState(runit(1, 'u', false, false), false)).isEqualTo("run, normally down");
		assertThat(SuperviseReader.rawState(runit(0, 'd', false, false), true)).isEqualTo("down, normally up");
		assertThat(SuperviseReader.rawState(runit(0, 'u', false, false), true)).isEqualTo("down, normally up, want up");
		assertThat(SuperviseReader.rawState(runit(1, 'd', true, true), true))
			.isEqualTo("run, paused, want down, got TERM");
		assertThat(SuperviseReader.rawState(runit(2, 'd', false, false), true)).isEqualTo("finish, want down");
	}

	@Test
	void normalizesStates() {
		assertThat(SuperviseReader.state(runit(1, 'u', false, false))).isEqualTo(ServiceState.RUNNING);
		assertThat(SuperviseReader.state(runit(1, 'u', true, false))).isEqualTo(ServiceState.RUNNING);
		assertThat(SuperviseReader.state(runit(1, 'd', false, false))).isEqualTo(ServiceState.STOPPING);
		assertThat(SuperviseReader.state(runit(1, 'u', false, true))).isEqualTo(ServiceState.STOPPING);
		assertThat(SuperviseReader.state(runit(2, 'u', false, false))).isEqualTo(ServiceState.STOPPING);
		assertThat(SuperviseReader.state(runit(0, 'd', false, false))).isEqualTo(ServiceState.STOPPED);
		assertThat(SuperviseReader.state(runit(0, 'u', false, false))).isEqualTo(ServiceState.FAILED);
	}

	@Test
	void refusesARecordOfAnUnknownSize() {
		assertThatIllegalArgumentException().isThrownBy(() -> SuperviseRecord.parse(new byte[19]))
			.withMessageContaining("19 bytes");
		assertThatIllegalArgumentException().isThrownBy(() -> SuperviseRecord.parse(new byte[0]));
	}

	private static SuperviseRecord runit(int state, char want, boolean paused, boolean term) {
		byte[] bytes = HexFormat.of().parseHex(RUNIT_UP);
		if (state == 0) {
			bytes[12] = 0;
			bytes[13] = 0;
		}
		bytes[16] = (byte) (paused ? 1 : 0);
		bytes[17] = (byte) want;
		bytes[18] = (byte) (term ? 1 : 0);
		bytes[19] = (byte) state;
		return SuperviseRecord.parse(bytes);
	}

	private static SuperviseRecord parse(String hex) {
		return SuperviseRecord.parse(HexFormat.of().parseHex(hex));
	}

}
