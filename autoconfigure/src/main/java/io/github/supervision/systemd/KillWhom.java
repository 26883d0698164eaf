package io.github.supervision.systemd;

import java.util.Locale;

/**
 * Whose processes a signal sent to a systemd unit reaches ({@code KillUnit}'s
 * {@code who}, as {@code systemctl kill --kill-whom}).
 *
 * @author Supervision contributors
 */
public enum KillWhom {

	/**
	 * The unit's main process only.
	 */
	MAIN,

	/**
	 * Every process of the unit's control group.
	 */
	ALL;

	/**
	 * Return the word {@code KillUnit} takes.
	 * @return {@code main} or {@code all}
	 */
	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

}
