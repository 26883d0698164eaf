package io.github.supervision.runit;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

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

	private List<String> tail(String text, int lines, int maxBytes) throws Exception {
		Path file = this.temp.resolve("current");
		Files.writeString(file, text);
		try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
			return LogTail.lastLines(raf, lines, maxBytes).texts();
		}
	}

}
