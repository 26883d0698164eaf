package io.github.supervision.runit;

import java.nio.file.Path;

import io.github.supervision.InvalidServiceNameException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ServiceDirectories}.
 *
 * @author Supervision contributors
 */
class ServiceDirectoriesTests {

	private static final Path SCAN = Path.of("/etc/service");

	@ParameterizedTest
	@ValueSource(strings = { "worker", "getty-tty1", "my service", "a.b", "x@y:z", "web..2" })
	void acceptsBareNames(String name) {
		assertThat(ServiceDirectories.resolve(SCAN, name)).isEqualTo(SCAN.resolve(name));
	}

	@ParameterizedTest
	@ValueSource(strings = { "/etc/sv/worker", "/run/runit/supervise/x", "/srv/a b" })
	void acceptsCleanAbsolutePaths(String path) {
		assertThat(ServiceDirectories.resolve(SCAN, path)).isEqualTo(Path.of(path));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", ".", "..", ".hidden", "../etc", "a/b", "worker/", "./worker", "a\nb", "a\u0000b",
			"tab\there", "del\u007f", "/", "/etc/../root", "/etc/./sv", "//etc/sv", "/etc/sv/", "/etc//sv" })
	void refusesNamesThatActAsPathsOrHoldControlCharacters(String target) {
		assertThatExceptionOfType(InvalidServiceNameException.class)
			.isThrownBy(() -> ServiceDirectories.resolve(SCAN, target));
	}

	@ParameterizedTest
	@ValueSource(strings = { "/etc/sv/x", "x/y" })
	void refusesPathsWhereABareNameIsNeeded(String name) {
		assertThatExceptionOfType(InvalidServiceNameException.class)
			.isThrownBy(() -> ServiceDirectories.validateName(name));
	}

	@ParameterizedTest
	@ValueSource(ints = { 256, 1000 })
	void refusesNamesThatAreTooLong(int length) {
		assertThatExceptionOfType(InvalidServiceNameException.class)
			.isThrownBy(() -> ServiceDirectories.validate("a".repeat(length)));
	}

}
