package io.github.supervision;

import java.util.Arrays;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a request names an action that does not exist, or a signal action without a
 * signal of {@link ServiceSignal}.
 *
 * @author Supervision contributors
 */
public class InvalidActionException extends SupervisionException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create a new exception.
	 * @param action the text that was asked for
	 */
	public InvalidActionException(@Nullable String action) {
		super(message(action));
	}

	/**
	 * Create a new exception with a message of its own, for a request whose action is
	 * known but incomplete (a signal action without a valid signal).
	 * @param message the message
	 * @param custom marks this constructor
	 */
	InvalidActionException(String message, boolean custom) {
		super(message);
	}

	private static String message(@Nullable String action) {
		String known = Arrays.stream(ServiceAction.values()).map(ServiceAction::id).collect(Collectors.joining(", "));
		if (action == null || action.isBlank()) {
			return "No action given; use one of " + known;
		}
		return "Unknown action; use one of " + known;
	}

}
