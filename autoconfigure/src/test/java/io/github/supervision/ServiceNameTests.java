package io.github.supervision;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ServiceName}.
 *
 * @author Supervision contributors
 */
class ServiceNameTests {

	private static final List<String> VALID = List.of("web", "nginx.service", "queue:worker-1", "getty@tty1.service",
			"foo\\x2dbar.service", "_private", "@template", "a".repeat(ServiceName.MAX_LENGTH));

	private static final List<String> INVALID = List.of("", "../x", "a/b", ".hidden", "a b", "x\ny", "-rf", "a..b",
			":x", "\\x", "x\u0000y", "x;y", "x\"y", "x\u001by", "a".repeat(ServiceName.MAX_LENGTH + 1));

	@Test
	void acceptsWhatTheSupervisorsNamesContain() {
		for (String name : VALID) {
			assertThat(ServiceName.isValid(name)).as(name).isTrue();
			assertThat(ServiceName.of(name).value()).isEqualTo(name);
			assertThat(ServiceName.parse(name)).contains(ServiceName.of(name));
		}
	}

	@Test
	void refusesPathsShellWordsAndControlCharactersWithoutEchoingThem() {
		for (String name : INVALID) {
			assertThat(ServiceName.isValid(name)).as(name).isFalse();
			assertThat(ServiceName.parse(name)).as(name).isEmpty();
			assertThatExceptionOfType(InvalidServiceNameException.class).as(name)
				.isThrownBy(() -> ServiceName.of(name))
				.withMessageStartingWith("Invalid service name: names are 1 to 255 characters")
				.withMessageNotContaining(name.isEmpty() ? "\u0000" : name);
		}
	}

	@Test
	void refusesNull() {
		assertThat(ServiceName.isValid(null)).isFalse();
		assertThat(ServiceName.parse(null)).isEmpty();
		assertThatExceptionOfType(InvalidServiceNameException.class).isThrownBy(() -> ServiceName.of(null));
	}

	@Test
	void isAValueThatPrintsAsTheName() {
		ServiceName name = ServiceName.of("web");
		assertThat(name).isEqualTo(ServiceName.of("web")).hasSameHashCodeAs(ServiceName.of("web"));
		assertThat(name).isNotEqualTo(ServiceName.of("Web"));
		assertThat(name).hasToString("web");
	}

}
