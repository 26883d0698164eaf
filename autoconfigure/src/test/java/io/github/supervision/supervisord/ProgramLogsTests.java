package io.github.supervision.supervisord;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.github.supervision.ServiceLog;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tests for {@link ProgramLogs} with a stand-in for supervisord's log tails, which fail
 * as supervisord does when the part asked for is not UTF-8.
 *
 * @author Supervision contributors
 */
class ProgramLogsTests {

	private final List<String> calls = new ArrayList<>();

	@Test
	void listsStdoutThenStderrEachMarkedAndKeepsTheLastLines() {
		ServiceLog log = ProgramLogs.read(true, 3, 1024 * 1024, tailer(bytes("o1\no2\no3\n"), bytes("e1\ne2\n")));
		assertThat(log.lines()).extracting(ServiceLog.Line::stream, ServiceLog.Line::text)
			.containsExactly(tuple("stdout", "o3"), tuple("stderr", "e1"), tuple("stderr", "e2"));
		assertThat(log.truncated()).isTrue();
	}

	@Test
	void readsOnlyStdoutWithoutAStreamWhenStderrHasNoLogOfItsOwn() {
		ServiceLog log = ProgramLogs.read(false, 10, 1024 * 1024, tailer(bytes("a\nb\n"), bytes("never\n")));
		assertThat(log.lines()).extracting(ServiceLog.Line::stream).containsOnlyNulls();
		assertThat(log.texts()).containsExactly("a", "b");
		assertThat(this.calls).allMatch((call) -> call.startsWith("STDOUT"));
	}

	@Test
	void findsTheLinesAfterBytesThatAreNotUtf8() {
		byte[] stderr = concat(bytes("old line\nbad "), new byte[] { (byte) 0xff }, bytes(" bytes\n"),
				bytes("after one\nafter two\n"));
		ServiceLog log = ProgramLogs.read(true, 10, 1024 * 1024, tailer(bytes("out\n"), stderr));
		assertThat(log.texts()).containsExactly("out", "after one", "after two");
		assertThat(log.truncated()).isTrue();
		assertThat(this.calls.size()).as("a bounded number of calls").isLessThan(80);
	}

	@Test
	void failsWhenNoLineAtAllCanBeSent() {
		byte[] tainted = concat(bytes("ends badly "), new byte[] { (byte) 0xff, '\n' });
		assertThatExceptionOfType(UndecodableLogException.class)
			.isThrownBy(() -> ProgramLogs.read(false, 10, 1024 * 1024, tailer(tainted, bytes(""))));
	}

	// supervisord's tailFile: the last 'length' bytes, overflow when there were more;
	// HTTP 500 when they are not UTF-8
	private ProgramLogs.Tailer tailer(byte[] stdout, byte[] stderr) {
		return (stream, length) -> {
			this.calls.add(stream + " " + length);
			byte[] log = (stream == LogTail.Stream.STDOUT) ? stdout : stderr;
			int from = Math.max(0, log.length - length);
			try {
				String text = StandardCharsets.UTF_8.newDecoder()
					.decode(ByteBuffer.wrap(log, from, log.length - from))
					.toString();
				return new LogTail(text, log.length, from > 0);
			}
			catch (CharacterCodingException ex) {
				throw new UndecodableLogException("not UTF-8");
			}
		};
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			out.writeBytes(part);
		}
		return out.toByteArray();
	}

}
