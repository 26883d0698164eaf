package io.github.supervision;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * A signal that {@link ServiceAction#SIGNAL} may send: a fixed list, so that a request
 * names nothing else. Each backend sends it its own way: a systemd {@code KillUnit}, a
 * letter written to a runit, daemontools or s6 {@code supervise/control}, a supervisord
 * {@code signalProcess}, or a {@code kill} of an embedded service's process group.
 *
 * @author Supervision contributors
 */
public enum ServiceSignal {

	/**
	 * SIGHUP.
	 */
	HUP(1),

	/**
	 * SIGINT.
	 */
	INT(2),

	/**
	 * SIGQUIT.
	 */
	QUIT(3),

	/**
	 * SIGUSR1.
	 */
	USR1(10),

	/**
	 * SIGUSR2.
	 */
	USR2(12),

	/**
	 * SIGTERM.
	 */
	TERM(15),

	/**
	 * SIGKILL.
	 */
	KILL(9),

	/**
	 * SIGALRM.
	 */
	ALRM(14),

	/**
	 * SIGCONT.
	 */
	CONT(18),

	/**
	 * SIGSTOP.
	 */
	STOP(19),

	/**
	 * SIGWINCH.
	 */
	WINCH(28);

	private final int number;

	ServiceSignal(int number) {
		this.number = number;
	}

	/**
	 * Return the signal named by the given text, ignoring case and an optional
	 * {@code SIG} prefix.
	 * @param text the signal's name, such as {@code USR1}
	 * @return the signal
	 * @throws InvalidActionException if the text is missing or names no signal of the
	 * list
	 */
	public static ServiceSignal of(@Nullable String text) {
		if (text != null) {
			String normalized = text.strip().toUpperCase(Locale.ROOT);
			if (normalized.startsWith("SIG")) {
				normalized = normalized.substring(3);
			}
			for (ServiceSignal signal : values()) {
				if (signal.name().equals(normalized)) {
					return signal;
				}
			}
		}
		String known = Arrays.stream(values()).map(ServiceSignal::name).collect(Collectors.joining(", "));
		throw new InvalidActionException(((text == null || text.isBlank()) ? "No signal given" : "Unknown signal")
				+ " for the signal action; use one of " + known, true);
	}

	/**
	 * Return the signal's number on Linux.
	 * @return the number, such as {@code 10} for {@link #USR1}
	 */
	public int number() {
		return this.number;
	}

	/**
	 * Return the signal's conventional name.
	 * @return the name with its {@code SIG} prefix, such as {@code SIGUSR1}
	 */
	public String signalName() {
		return "SIG" + name();
	}

}
