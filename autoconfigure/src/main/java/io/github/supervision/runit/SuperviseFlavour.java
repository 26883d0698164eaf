package io.github.supervision.runit;

import java.util.Locale;

/**
 * The supervisor that wrote a {@code supervise/status} record, told apart by the record's
 * size.
 *
 * @author Supervision contributors
 */
public enum SuperviseFlavour {

	/**
	 * runit's {@code runsv}: 20 bytes.
	 */
	RUNIT("runsv"),

	/**
	 * daemontools' {@code supervise}: 18 bytes.
	 */
	DAEMONTOOLS("supervise"),

	/**
	 * s6's {@code s6-supervise}: 35 bytes (s6 2.11) or 43 bytes (later versions, with the
	 * process group).
	 */
	S6("s6-supervise");

	private final String supervisor;

	SuperviseFlavour(String supervisor) {
		this.supervisor = supervisor;
	}

	/**
	 * Return the name of the supervisor program, as used in messages.
	 * @return the program name, such as {@code runsv}
	 */
	public String supervisor() {
		return this.supervisor;
	}

	/**
	 * Return the flavour's id as shown in status details.
	 * @return the lower-case id, such as {@code runit}
	 */
	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

}
