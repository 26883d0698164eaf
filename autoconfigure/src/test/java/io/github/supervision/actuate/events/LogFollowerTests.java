package io.github.supervision.actuate.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

import com.jayway.jsonpath.JsonPath;
import io.github.supervision.ServiceLog;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LogFollower}'s choice of new lines and its frames.
 *
 * @author Supervision contributors
 */
class LogFollowerTests {

	@Test
	void theNewLinesAreThoseAfterTheLastOnesOfThePreviousRead() {
		assertThat(texts(LogFollower.added(lines("a", "b", "c"), lines("a", "b", "c", "d", "e")))).containsExactly("d",
				"e");
		assertThat(LogFollower.added(lines("a", "b"), lines("a", "b"))).isEmpty();
		assertThat(texts(LogFollower.added(lines(), lines("a")))).containsExactly("a");
		// a full read window: older lines fall off its front as new ones come
		List<ServiceLog.Line> before = numbered(0, 100);
		assertThat(texts(LogFollower.added(before, numbered(3, 103)))).containsExactly("100", "101", "102");
	}

	@Test
	void everyLineReadIsNewWhenThePreviousLinesAreGone() {
		assertThat(texts(LogFollower.added(lines("a", "b"), lines("x", "y")))).containsExactly("x", "y");
	}

	@Test
	void aFrameIsOneLogEventWithTheLinesJson() {
		String frame = new String(
				LogFollower.frame("web",
						new ServiceLog.Line(Instant.parse("2026-11-30T12:00:00Z"), "stderr", "say \"hi\" \\ \tthere")),
				StandardCharsets.UTF_8);
		assertThat(frame).startsWith("event: log\ndata: {").endsWith("}\n\n");
		String data = frame.substring("event: log\ndata: ".length()).strip();
		assertThat(JsonPath.<String>read(data, "$.service")).isEqualTo("web");
		assertThat(JsonPath.<String>read(data, "$.time")).isEqualTo("2026-11-30T12:00:00Z");
		assertThat(JsonPath.<String>read(data, "$.stream")).isEqualTo("stderr");
		assertThat(JsonPath.<String>read(data, "$.text")).isEqualTo("say \"hi\" \\ \tthere");
	}

	private static List<ServiceLog.Line> lines(String... texts) {
		return List.of(texts).stream().map(ServiceLog.Line::of).toList();
	}

	private static List<ServiceLog.Line> numbered(int from, int to) {
		return IntStream.range(from, to).mapToObj((i) -> ServiceLog.Line.of(String.valueOf(i))).toList();
	}

	private static List<String> texts(List<ServiceLog.Line> lines) {
		return lines.stream().map(ServiceLog.Line::text).toList();
	}

}
