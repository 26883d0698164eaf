package io.github.supervision.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.function.ThrowingConsumer;

/**
 * Decides what a test that needs a real daemon does when the machine cannot run it: it is
 * skipped with the reason, except under {@code CI=true}, where it fails, so that CI can
 * never pass without having run the real-backend tests.
 *
 * @author Supervision contributors
 */
public final class RealDaemons {

	private RealDaemons() {
	}

	/**
	 * Whether the tests run under CI ({@code CI=true}).
	 * @return {@code true} under CI
	 */
	public static boolean isCi() {
		return "true".equalsIgnoreCase(System.getenv("CI"));
	}

	/**
	 * Skip the test (or fail it under CI) unless a condition holds.
	 * @param condition whether the machine can run the daemon
	 * @param reason what is missing, for the skip or failure message
	 */
	public static void require(boolean condition, String reason) {
		if (condition) {
			return;
		}
		if (isCi()) {
			Assertions.fail("CI=true and a real-daemon test cannot run: " + reason);
		}
		Assumptions.assumeTrue(false, reason);
	}

	/**
	 * Skip the test (or fail it under CI) unless the given executables exist.
	 * @param executables absolute paths of the programs the test needs
	 */
	public static void requireExecutables(String... executables) {
		for (String executable : executables) {
			require(Files.isExecutable(Path.of(executable)), executable + " is not installed");
		}
	}

	/**
	 * Skip the test (or fail it under CI) unless the JVM runs as root.
	 */
	public static void requireRoot() {
		require("root".equals(System.getProperty("user.name")), "the test needs root");
	}

	// a fixture's setup step, run before its daemon starts, may throw anything
	static <T> void prepare(ThrowingConsumer<T> step, T fixture) throws Exception {
		try {
			step.accept(fixture);
		}
		catch (Exception | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IllegalStateException(ex);
		}
	}

}
