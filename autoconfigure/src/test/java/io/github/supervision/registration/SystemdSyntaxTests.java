package io.github.supervision.registration;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link SystemdSyntax}: the table of how each hazard is written. What systemd
 * makes of these words after unquoting is, per systemd.syntax(7) and systemd.service(5):
 * {@code \\} and {@code \"} unescaped, then {@code %%} resolved to {@code %}, then at
 * execution {@code $$} to {@code $}.
 *
 * @author Supervision contributors
 */
class SystemdSyntaxTests {

	@Test
	void quotesEveryWordOfACommandLine() {
		assertThat(SystemdSyntax.commandLine("p", List.of("/usr/bin/java", "-jar", "/opt/my app.jar")))
			.isEqualTo("\"/usr/bin/java\" \"-jar\" \"/opt/my app.jar\"");
	}

	@Test
	void escapesEachHazardInACommandLine() {
		assertThat(word("back\\slash")).isEqualTo("\"back\\\\slash\"");
		assertThat(word("trailing\\")).isEqualTo("\"trailing\\\\\"");
		assertThat(word("double\"quote")).isEqualTo("\"double\\\"quote\"");
		assertThat(word("single'quote")).isEqualTo("\"single'quote\"");
		assertThat(word("100%")).isEqualTo("\"100%%\"");
		assertThat(word("%h")).isEqualTo("\"%%h\"");
		assertThat(word("$HOME")).isEqualTo("\"$$HOME\"");
		assertThat(word("${HOME}")).isEqualTo("\"$${HOME}\"");
		assertThat(word(";")).isEqualTo("\";\"");
		assertThat(word("")).isEqualTo("\"\"");
		assertThat(word("\u00fcn\u00efc\u00f8d\u00e9 \u2713")).isEqualTo("\"\u00fcn\u00efc\u00f8d\u00e9 \u2713\"");
	}

	@Test
	void keepsDollarsButDoublesPercentsInEnvironmentAssignments() {
		assertThat(SystemdSyntax.environment("p", "A", "x \"y\" $z 5%")).isEqualTo("\"A=x \\\"y\\\" $z 5%%\"");
	}

	@Test
	void rejectsARelativeExecutable() {
		assertThatExceptionOfType(RegistrationException.class)
			.isThrownBy(() -> SystemdSyntax.commandLine("supervision.registration.command", List.of("java")))
			.withMessageContaining("supervision.registration.command")
			.withMessageContaining("absolute");
	}

	@Test
	void rejectsNewlinesAndControlCharactersNamingTheProperty() {
		for (String bad : List.of("a\nb", "a\rb", "a\tb", "a\u0000b", "a\u007fb", "a\u0085b", "a\u2028b")) {
			assertThatExceptionOfType(RegistrationException.class)
				.isThrownBy(() -> SystemdSyntax.commandLine("program argument 2", List.of("/bin/java", bad)))
				.withMessageStartingWith("'program argument 2': ")
				.withMessageNotContaining(bad);
		}
	}

	@Test
	void rejectsAPlainValueThatSystemdWouldChange() {
		assertThatExceptionOfType(RegistrationException.class).isThrownBy(() -> SystemdSyntax.value("d", " x"));
		assertThatExceptionOfType(RegistrationException.class).isThrownBy(() -> SystemdSyntax.value("d", "x\\"));
		assertThat(SystemdSyntax.value("d", "50% of /a b")).isEqualTo("50%% of /a b");
	}

	@Test
	void writesTimeSpansInSecondsOrMilliseconds() {
		assertThat(SystemdSyntax.timeSpan(Duration.ofMinutes(2))).isEqualTo("120s");
		assertThat(SystemdSyntax.timeSpan(Duration.ofMillis(1500))).isEqualTo("1500ms");
	}

	private static String word(String word) {
		String line = SystemdSyntax.commandLine("p", List.of("/x", word));
		return line.substring("\"/x\" ".length());
	}

}
