package io.github.supervision.embedded;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OutputTail}.
 *
 * @author Supervision contributors
 */
class OutputTailTests {

	@Test
	void keepsEverythingWhileUnderTheCapacity() {
		OutputTail tail = new OutputTail(16);
		write(tail, "hello ");
		write(tail, "world");
		assertThat(tail.text()).isEqualTo("hello world");
		assertThat(tail.written()).isEqualTo(11);
	}

	@Test
	void keepsTheLatestBytesWhenWritesWrapAround() {
		OutputTail tail = new OutputTail(8);
		write(tail, "abcdef");
		write(tail, "ghij");
		assertThat(tail.text()).isEqualTo("cdefghij");
		write(tail, "kl");
		assertThat(tail.text()).isEqualTo("efghijkl");
		assertThat(tail.written()).isEqualTo(12);
	}

	@Test
	void keepsTheEndOfAWriteLargerThanTheCapacity() {
		OutputTail tail = new OutputTail(4);
		write(tail, "xy");
		write(tail, "0123456789");
		assertThat(tail.text()).isEqualTo("6789");
		write(tail, "a");
		assertThat(tail.text()).isEqualTo("789a");
	}

	@Test
	void keepsNothingWithoutCapacity() {
		OutputTail tail = new OutputTail(0);
		write(tail, "lost");
		assertThat(tail.text()).isEmpty();
	}

	private static void write(OutputTail tail, String text) {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		tail.write(bytes, 0, bytes.length);
	}

}
