package io.github.supervision.runit;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.IntStream;

import io.github.supervision.ServiceLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link LogTail}.
 *
 * @author Supervision contributors
 */
class LogTailTests {

	@TempDir
	Path temp;

	@Test
	void returnsTheLastLinesOldestFirst() throws Exception {
		assertThat(tail("a\nb\nc\n", 2, 1024)).containsExactly("b", "c");
		assertThat(tail("a\nb\nc", 2, 1024)).containsExactly("b", "c");
		assertThat(tail("a\nb\nc\n", 10, 1024)).containsExactly("a", "b", "c");
		assertThat(tail("", 10, 1024)).isEmpty();
		assertThat(tail("a\n", 0, 1024)).isEmpty();
	}

	@Test
	void readsAcrossChunks() throws Exception {
		String text = String.join("\n", IntStream.range(0, 5000).mapToObj((i) -> "line " + i).toList()) + "\n";
		assertThat(tail(text, 3, 1024 * 1024)).containsExactly("line 4997", "line 4998", "line 4999");
	}

	@Test
	void dropsACutFirstLineWhenTheByteLimitIsReached() throws Exception {
		String text = "x".repeat(100) + "\nshort\nlast\n";
		assertThat(tail(text, 10, 20)).containsExactly("short", "last");
	}

	@Test
	void readsRotatedFilesNewestFirstWhenCurrentHoldsTooFewLines() throws Exception {
		Files.writeString(this.temp.resolve("@400000006b0d5f430000000a.s"), "1\n2\n");
		Files.writeString(this.temp.resolve("@400000006b0d5f440000000a.u"), "3\n4\n");
		Files.writeString(this.temp.resolve("@400000006b0d5f450000000a.s"), "5\n");
		Files.writeString(this.temp.resolve("current"), "6\n7\n");
		Files.writeString(this.temp.resolve("state"), "not a log\n");
		Files.writeString(this.temp.resolve("@not-rotated.s"), "x\n");
		ServiceLog log = read(4, 1024);
		assertThat(log.texts()).containsExactly("4", "5", "6", "7");
		assertThat(log.truncated()).isFalse();
		ServiceLog all = read(100, 1024);
		assertThat(all.texts()).containsExactly("1", "2", "3", "4", "5", "6", "7");
		assertThat(all.truncated()).isFalse();
	}

	@Test
	void leavesOutTheLineALoggerIsWritingInCurrent() throws Exception {
		Files.writeString(this.temp.resolve("@400000006b0d5f430000000a.s"), "1\n2\n");
		Files.writeString(this.temp.resolve("current"), "3\n4\n5 being wri");
		assertThat(read(3, 1024).texts()).containsExactly("2", "3", "4");
		Files.writeString(this.temp.resolve("current"), "only a part");
		assertThat(read(3, 1024).texts()).containsExactly("1", "2");
	}

	@Test
	void readsAPreviousFileAsTheNewestRotatedOne() throws Exception {
		// multilog and s6-log rename current to previous, then link it to its rotated
		// name
		Files.writeString(this.temp.resolve("@400000006b0d5f430000000a.s"), "1\n");
		Files.writeString(this.temp.resolve("previous"), "2\n");
		Files.writeString(this.temp.resolve("current"), "3\n");
		assertThat(read(10, 1024).texts()).containsExactly("1", "2", "3");
		Files.createLink(this.temp.resolve("@400000006b0d5f440000000a.s"), this.temp.resolve("previous"));
		assertThat(read(10, 1024).texts()).containsExactly("1", "2", "3");
		Files.delete(this.temp.resolve("previous"));
		assertThat(read(10, 1024).texts()).containsExactly("1", "2", "3");
	}

	@Test
	void readsRotatedFilesWhenThereIsNoCurrentFile() throws Exception {
		Files.writeString(this.temp.resolve("@400000006b0d5f430000000a.s"), "old\n");
		assertThat(read(10, 1024).texts()).containsExactly("old");
		Files.delete(this.temp.resolve("@400000006b0d5f430000000a.s"));
		assertThat(read(10, 1024)).isEqualTo(new ServiceLog(List.of(), false));
	}

	@Test
	void stopsAtTheByteBudgetAcrossFiles() throws Exception {
		Files.writeString(this.temp.resolve("@400000006b0d5f430000000a.s"), "old line\n");
		Files.writeString(this.temp.resolve("current"), "line one\nline two\n");
		ServiceLog log = read(10, 22);
		// 18 bytes of current, then 4 of the rotated file: a cut line, left out
		assertThat(log.texts()).containsExactly("line one", "line two");
		assertThat(log.truncated()).isTrue();
	}

	@Test
	void readsNothingAfterTheDeadline() throws Exception {
		Files.writeString(this.temp.resolve("current"), "a\nb\n");
		ServiceLog log = LogTail.read(this.temp.resolve("current"), 10, 1024, System.nanoTime() - 1, LogFormat.PLAIN,
				ZoneOffset.UTC);
		assertThat(log.lines()).isEmpty();
		assertThat(log.truncated()).isTrue();
	}

	@Test
	void readsARotatedFileOnceWhenCurrentIsRenamedWhileItIsOpen() throws Exception {
		Path current = this.temp.resolve("current");
		Files.writeString(current, "a\nb\n");
		try (FileChannel open = FileChannel.open(current)) {
			// what a logger's rotation does: rename current, start a new one
			Files.move(current, this.temp.resolve("@400000006b0d5f430000000a.s"));
			Files.writeString(current, "c\n");
			assertThat(read(10, 1024).texts()).containsExactly("a", "b", "c");
		}
	}

	@Test
	void cutsAnOverLongLineToItsStartAndSaysSo() throws Exception {
		String longLine = "@400000006b0d5f430c00d294 " + "y".repeat(200_000);
		Files.writeString(this.temp.resolve("current"), "first\n" + longLine + "\nlast\n");
		ServiceLog log = LogTail.read(this.temp.resolve("current"), 10, 1024 * 1024, System.nanoTime() + 5_000_000_000L,
				LogFormat.TAI64N, ZoneOffset.UTC);
		assertThat(log.texts()).hasSize(3);
		assertThat(log.lines().get(1).time()).isNotNull();
		assertThat(log.lines().get(1).text()).hasSize(ServiceLog.MAX_LINE_LENGTH).matches("y+");
		assertThat(log.texts().get(2)).isEqualTo("last");
		assertThat(log.truncated()).isTrue();
	}

	@Test
	void leavesOutALineLongerThanTheBytesRead() throws Exception {
		Path current = this.temp.resolve("current");
		try (FileChannel out = FileChannel.open(current, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
			byte[] block = "z".repeat(1024 * 1024).getBytes(StandardCharsets.US_ASCII);
			for (int i = 0; i < 10; i++) {
				out.write(ByteBuffer.wrap(block));
			}
			out.write(ByteBuffer.wrap("\nafter\n".getBytes(StandardCharsets.US_ASCII)));
		}
		assertThat(read(10, 1024 * 1024).texts()).containsExactly("after");
		assertThat(read(10, 1024 * 1024).truncated()).isTrue();
	}

	@Test
	void decodesInvalidUtf8WithReplacementsAndRemovesEscapes() throws Exception {
		byte[] bytes = { 'o', 'k', ' ', (byte) 0xff, (byte) 0xc3, ' ', 0x1b, '[', '3', '1', 'm', 'r', 'e', 'd', 0x1b,
				']', '0', ';', 't', 'i', 't', 'l', 'e', 0x07, '!', '\r', '\n' };
		Files.write(this.temp.resolve("current"), bytes);
		assertThat(read(10, 1024).texts()).containsExactly("ok \ufffd\ufffd red!");
	}

	@Test
	void refusesACurrentFileThatIsNotARegularFile() throws Exception {
		Files.createDirectory(this.temp.resolve("current"));
		assertThatExceptionOfType(LogTail.NotARegularFileException.class).isThrownBy(() -> read(10, 1024))
			.withMessageContaining("is not a regular file");
	}

	private ServiceLog read(int lines, int maxBytes) throws Exception {
		return LogTail.read(this.temp.resolve("current"), lines, maxBytes, System.nanoTime() + 5_000_000_000L,
				LogFormat.PLAIN, ZoneOffset.UTC);
	}

	private List<String> tail(String text, int lines, int maxBytes) throws Exception {
		Path file = this.temp.resolve("current");
		Files.writeString(file, text);
		try (FileChannel channel = FileChannel.open(file)) {
			return LogTail.lastLines(channel, lines, maxBytes).texts();
		}
	}

}
