package io.github.supervision;

import org.jspecify.annotations.Nullable;

/**
 * Argument checks for the API package, which does not depend on Spring.
 *
 * @author Supervision contributors
 */
final class Assert {

	private Assert() {
	}

	static void notNull(@Nullable Object value, String message) {
		if (value == null) {
			throw new IllegalArgumentException(message);
		}
	}

	static void isTrue(boolean condition, String message) {
		if (!condition) {
			throw new IllegalArgumentException(message);
		}
	}

}
