package io.github.supervision;

import org.jspecify.annotations.Nullable;

/**
 * Whether a backend can be reached, and if not, why.
 *
 * @param available whether the backend can be reached
 * @param reason why it cannot be reached, for a person, or {@code null} when it can
 * @author Supervision contributors
 */
public record BackendAvailability(boolean available, @Nullable String reason) {

	private static final BackendAvailability AVAILABLE = new BackendAvailability(true, null);

	/**
	 * Return the availability of a reachable backend.
	 * @return an available instance
	 */
	public static BackendAvailability up() {
		return AVAILABLE;
	}

	/**
	 * Return the availability of a backend that cannot be reached.
	 * @param reason why, for a person
	 * @return an unavailable instance
	 */
	public static BackendAvailability down(String reason) {
		Assert.notNull(reason, "'reason' must not be null");
		return new BackendAvailability(false, reason);
	}

}
