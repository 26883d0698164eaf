package io.github.supervision.registration;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Specs shared by the generator tests.
 *
 * @author Supervision contributors
 */
final class Specs {

	/**
	 * Arguments that every quoting scheme must carry through unchanged.
	 */
	static final List<String> TRICKY_ARGUMENTS = List.of("plain", "with space", "two  spaces", "double\"quote",
			"single'quote", "'", "\"", "back\\slash", "trailing\\", "\\\"", "100%", "%n", "%h", "%%", "$HOME",
			"${HOME}", "$$", "$", ";", "a ;b", "a #b", "a;b", "#hash", " ;leading", "a\u00a0;nbsp", "\\;",
			"\u00fcn\u00efc\u00f8d\u00e9 \u2713 \u65e5\u672c", "*", "?", "~", "`echo no`", "$(echo no)",
			"--key=value with space", "=", ",", "a,b=c", "");

	private Specs() {
	}

	/**
	 * A spec with every setting that all three supervisors can carry.
	 * @return the builder
	 */
	static RegistrationSpec.Builder orders() {
		return RegistrationSpec.builder("orders")
			.description("Orders service (100% up)")
			.javaBinary(Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java"))
			.jvmOptions(List.of("-Xmx512m", "-Dgreeting=hello world"))
			.jar(Path.of("/opt/orders/orders app.jar"))
			.arguments(List.of("--server.port=8080", "--name=$USER's \"app\" 100%"))
			.user("orders", null)
			.workingDirectory(Path.of("/opt/orders"))
			.environment("GREETING", "hello world")
			.environment("RATIO", "50%")
			.timeouts(Duration.ofMinutes(2), Duration.ofSeconds(20))
			.startSeconds(Duration.ofSeconds(5))
			.logDirectory(Path.of("/var/log/orders"));
	}

}
