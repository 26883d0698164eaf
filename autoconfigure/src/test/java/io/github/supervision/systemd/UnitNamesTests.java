package io.github.supervision.systemd;

import io.github.supervision.InvalidServiceNameException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link UnitNames}.
 *
 * @author Supervision contributors
 */
class UnitNamesTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			foo.service           | foo_2eservice
			my-app.service        | my_2dapp_2eservice
			getty@tty1.service    | getty_40tty1_2eservice
			a\\x2db.service       | a_5cx2db_2eservice
			1password.service     | _31password_2eservice
			dev-sda1.device       | dev_2dsda1_2edevice
			x_y:z.socket          | x_5fy_3az_2esocket
			""")
	void escapesObjectPathsAsSystemdDoes(String name, String label) {
		assertThat(UnitNames.objectPath(name)).isEqualTo("/org/freedesktop/systemd1/unit/" + label);
	}

	@ParameterizedTest
	@ValueSource(strings = { "nginx.service", "getty@tty1.service", "a\\x2db.service", "my-app.service",
			"systemd-journald.socket", "multi-user.target", "-.slice", "x:y_z.timer" })
	void acceptsValidUnitNames(String name) {
		assertThat(UnitNames.isValid(name)).isTrue();
		assertThat(UnitNames.validate(name)).isEqualTo(name);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "nginx", "nginx.conf", "../nginx.service", "/etc/nginx.service", "a b.service",
			"getty@.service", "a@b@c.service", "x\\y.service", "evil\n.service", "name;rm.service", ".hidden.service",
			"a..b.service", "nginx.SERVICE", "ünï.service" })
	void rejectsInvalidUnitNames(String name) {
		assertThat(UnitNames.isValid(name)).isFalse();
		assertThatExceptionOfType(InvalidServiceNameException.class).isThrownBy(() -> UnitNames.validate(name))
			.withMessageContaining("nginx.service");
	}

	@ParameterizedTest
	@ValueSource(strings = { "*.service", "x@*.service", "nginx*", "[ab]*.socket", "?.target" })
	void acceptsDiscoveryPatterns(String pattern) {
		assertThat(UnitNames.isValidPattern(pattern)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "/etc/*", "a b*", "*;rm" })
	void rejectsDiscoveryPatterns(String pattern) {
		assertThat(UnitNames.isValidPattern(pattern)).isFalse();
	}

	@ParameterizedTest
	@ValueSource(ints = { 255, 256 })
	void limitsTheLength(int length) {
		String name = "a".repeat(length - ".service".length()) + ".service";
		assertThat(UnitNames.isValid(name)).isEqualTo(length <= 255);
	}

}
