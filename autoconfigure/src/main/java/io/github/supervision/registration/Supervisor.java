package io.github.supervision.registration;

import java.util.Locale;

/**
 * A supervisor the application can register with.
 *
 * @author Supervision contributors
 */
public enum Supervisor {

	/**
	 * systemd: a unit file.
	 */
	SYSTEMD,

	/**
	 * runit: a service directory linked into the scan directory.
	 */
	RUNIT,

	/**
	 * supervisord: a program section in an included file.
	 */
	SUPERVISORD;

	/**
	 * Return the supervisor's name as it is written in properties and reports.
	 * @return {@code systemd}, {@code runit} or {@code supervisord}
	 */
	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

}
