package io.github.supervision.systemd;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.github.supervision.ServiceLog.Line;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link JournalExport}, with entries as {@code journalctl --output=export}
 * prints them (text fields as {@code NAME=value}, others as {@code NAME}, a little-endian
 * 64-bit length, the bytes and a line end), fed whole and a byte at a time.
 *
 * @author Supervision contributors
 */
class JournalExportTests {

	private static final Instant TIME = Instant.parse("2026-11-30T11:56:07.123456Z");

	private static final String CURSOR = "__CURSOR=s=6a0c;i=926;b=4236;m=6d46cb1a4;t=6617f28d8a6d7;x=4dce\n";

	@Test
	void readsTheTimeTheTextAndTheStdoutTransport() {
		Output output = new Output().text(CURSOR + "__REALTIME_TIMESTAMP=1796039767123456\n")
			.text("__MONOTONIC_TIMESTAMP=29333696932\n_BOOT_ID=4236\n_TRANSPORT=stdout\nMESSAGE=hello\n\n")
			.text("__REALTIME_TIMESTAMP=1796039767123456\nMESSAGE=Started x.service.\n_TRANSPORT=journal\n\n");
		assertThat(output.lines()).containsExactly(List.of(new Line(TIME, "stdout", "hello")),
				List.of(new Line(TIME, null, "Started x.service.")));
	}

	@Test
	void readsAMessageOfSeveralLinesFromABinaryFieldAsSeveralLines() {
		Output output = new Output().text("__REALTIME_TIMESTAMP=1796039767123456\n_TRANSPORT=stdout\n")
			.binary("MESSAGE", "one\ntwo\n\nfour\n".getBytes(StandardCharsets.UTF_8))
			.text("\n");
		assertThat(output.lines()).containsExactly(List.of(new Line(TIME, "stdout", "one"),
				new Line(TIME, "stdout", "two"), new Line(TIME, "stdout", ""), new Line(TIME, "stdout", "four")));
	}

	@Test
	void decodesAMessageThatIsNotUtf8AndRemovesTerminalEscapes() {
		Output output = new Output().text("__REALTIME_TIMESTAMP=1796039767123456\n")
			.binary("MESSAGE", new byte[] { (byte) 255, (byte) 254, 32, 'o', 'k', 27, '[', '0', 'm' })
			.text("\n");
		assertThat(output.texts()).containsExactly("\ufffd\ufffd ok");
	}

	@Test
	void binaryValuesMayHoldLineEndsEqualSignsAndEmptyLinesOfTheirOwn() {
		// a binary field of another name that looks like the end of an entry and a field
		Output output = new Output().text("__REALTIME_TIMESTAMP=1796039767123456\n")
			.binary("_CMDLINE", "sh\n\nMESSAGE=fake\n\n".getBytes(StandardCharsets.UTF_8))
			.binary("EMPTY", new byte[0])
			.text("MESSAGE=real\n\n");
		assertThat(output.texts()).containsExactly("real");
	}

	@Test
	void givesAnEntryWithTheMessageSeveralTimesAsSeveralLines() {
		Output output = new Output().text("__REALTIME_TIMESTAMP=1796039767123456\nMESSAGE=first\n")
			.binary("MESSAGE", "second\u001b".getBytes(StandardCharsets.UTF_8))
			.text("\n");
		assertThat(output.texts()).containsExactly("first", "second");
	}

	@Test
	void anEntryWithoutMessageOrTimeIsAnEmptyLineWithoutTime() {
		Output output = new Output().text("__REALTIME_TIMESTAMP=not a number\n\n")
			.text("__REALTIME_TIMESTAMP=99999999999999999999999\nPRIORITY=6\n\n");
		assertThat(output.lines()).containsExactly(List.of(new Line(null, null, "")),
				List.of(new Line(null, null, "")));
	}

	@Test
	void givesTheLastEntryEvenWithoutItsEmptyLine() {
		Output output = new Output().text("MESSAGE=one\n\nMESSAGE=two\n");
		assertThat(output.texts()).containsExactly("one", "two");
		assertThat(output.finished).isTrue();
	}

	@Test
	void leavesOutAnEntryCutInsideAFieldAndSaysSo() {
		byte[] whole = new Output().text("MESSAGE=one\n\n")
			.text("__REALTIME_TIMESTAMP=1796039767123456\n")
			.binary("MESSAGE", "two\nlines".getBytes(StandardCharsets.UTF_8))
			.text("\n").bytes.toByteArray();
		// cut in the name, in the length, in the bytes, before the binary field's line
		// end
		int binary = new String(whole, StandardCharsets.ISO_8859_1).lastIndexOf("MESSAGE\n");
		for (int cut : List.of(binary + 3, binary + 10, binary + 20, whole.length - 2)) {
			Output output = new Output();
			output.bytes.write(whole, 0, cut);
			assertThat(output.texts()).as("cut at %d", cut).containsExactly("one");
			assertThat(output.finished).as("cut at %d", cut).isFalse();
		}
	}

	@Test
	void leavesOutAnEntryWhoseMessageIsTooLongAndReadsOn() {
		Output output = new Output().text("MESSAGE=" + "a".repeat(100) + "\n\n")
			.binary("MESSAGE", "b".repeat(20).getBytes(StandardCharsets.UTF_8))
			.text("\nMESSAGE=" + "c".repeat(64) + "\n\n");
		List<List<Line>> entries = new ArrayList<>();
		int[] leftOut = new int[1];
		JournalExport export = new JournalExport(64, entries(entries, leftOut));
		byte[] bytes = output.bytes.toByteArray();
		assertThat(export.parse(bytes, 0, bytes.length)).isTrue();
		assertThat(export.finish()).isTrue();
		assertThat(leftOut[0]).isOne();
		assertThat(entries).flatMap((lines) -> lines)
			.extracting(Line::text)
			.containsExactly("b".repeat(20), "c".repeat(64));
	}

	@Test
	void stopsWhenTheReceiverHasEnough() {
		byte[] bytes = new Output().text("MESSAGE=one\n\nMESSAGE=two\n\nMESSAGE=three\n\n").bytes.toByteArray();
		List<String> texts = new ArrayList<>();
		JournalExport export = new JournalExport(1024, new JournalExport.Entries() {

			@Override
			public boolean entry(List<Line> lines) {
				texts.add(lines.get(0).text());
				return texts.size() < 2;
			}

			@Override
			public boolean leftOut() {
				return true;
			}

		});
		assertThat(export.parse(bytes, 0, bytes.length)).isFalse();
		assertThat(texts).containsExactly("one", "two");
	}

	@Test
	void somethingElseThanTheExportFormatIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Output().text("Hint: not export\n").lines())
			.withMessageContaining("not in the export format");
		assertThatIllegalArgumentException().isThrownBy(() -> new Output().text("{\"MESSAGE\":\"x\"}\n").lines());
		assertThatIllegalArgumentException().isThrownBy(() -> new Output().text("=x\n").lines());
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Output().text("MESSAGE\n\u0001\0\0\0\0\0\0\0xy\n").lines())
			.withMessageContaining("line end");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Output().text("MESSAGE\n\0\0\0\0\0\0\0\u0080x\n").lines())
			.withMessageContaining("2^63");
	}

	private static JournalExport.Entries entries(List<List<Line>> entries, int[] leftOut) {
		return new JournalExport.Entries() {

			@Override
			public boolean entry(List<Line> lines) {
				entries.add(lines);
				return true;
			}

			@Override
			public boolean leftOut() {
				leftOut[0]++;
				return true;
			}

		};
	}

	/**
	 * Output as {@code journalctl --output=export} prints it.
	 */
	private static final class Output {

		private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

		private boolean finished;

		Output text(String text) {
			this.bytes.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
			return this;
		}

		Output binary(String name, byte[] value) {
			text(name + "\n");
			this.bytes.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value.length).array());
			this.bytes.writeBytes(value);
			return text("\n");
		}

		List<String> texts() {
			return lines().stream().flatMap(List::stream).map(Line::text).toList();
		}

		// parsed whole and a byte at a time, which must agree
		List<List<Line>> lines() {
			byte[] all = this.bytes.toByteArray();
			List<List<Line>> whole = new ArrayList<>();
			JournalExport export = new JournalExport(1024 * 1024, entries(whole, new int[1]));
			export.parse(all, 0, all.length);
			this.finished = export.finish();
			List<List<Line>> byByte = new ArrayList<>();
			JournalExport slow = new JournalExport(1024 * 1024, entries(byByte, new int[1]));
			for (int i = 0; i < all.length; i++) {
				slow.parse(all, i, 1);
			}
			assertThat(slow.finish()).isEqualTo(this.finished);
			assertThat(byByte).isEqualTo(whole);
			return whole;
		}

	}

}
