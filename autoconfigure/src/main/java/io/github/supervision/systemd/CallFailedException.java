package io.github.supervision.systemd;

import org.freedesktop.dbus.exceptions.DBusExecutionException;

/**
 * Tells a caller that systemd answered a call with an error, as opposed to the bus being
 * unreachable, so that the caller can map systemd's error to its own words.
 *
 * @author Supervision contributors
 */
final class CallFailedException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final DBusExecutionException dbus;

	CallFailedException(DBusExecutionException dbus) {
		super(dbus.getMessage(), dbus, false, false);
		this.dbus = dbus;
	}

	/**
	 * Return the error systemd answered with.
	 * @return the error
	 */
	DBusExecutionException dbus() {
		return this.dbus;
	}

}
