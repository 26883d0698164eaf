package io.github.supervision.runit;

import java.util.Locale;

import io.github.supervision.ServiceSignal;
import org.jspecify.annotations.Nullable;

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
	 * Return the letter that asks this supervisor, through {@code supervise/control}, to
	 * send a signal: runit's {@code sv} letters ({@code 1 2 a i q t k h c p}), s6's
	 * {@code s6-svc} letters (those and {@code y} for WINCH), daemontools' {@code svc}
	 * letters ({@code a i t k h c p}).
	 * @param signal the signal
	 * @return the letter, or {@code null} when this supervisor cannot send the signal
	 */
	public @Nullable Character signalLetter(ServiceSignal signal) {
		char letter = switch (signal) {
			case HUP -> 'h';
			case INT -> 'i';
			case QUIT -> 'q';
			case USR1 -> '1';
			case USR2 -> '2';
			case TERM -> 't';
			case KILL -> 'k';
			case ALRM -> 'a';
			case CONT -> 'c';
			case STOP -> 'p';
			case WINCH -> 'y';
		};
		boolean supported = switch (this) {
			case RUNIT -> letter != 'y';
			case S6 -> true;
			case DAEMONTOOLS -> "aitkhcp".indexOf(letter) >= 0;
		};
		return supported ? letter : null;
	}

	/**
	 * Return the flavour's id as shown in status details.
	 * @return the lower-case id, such as {@code runit}
	 */
	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

}
