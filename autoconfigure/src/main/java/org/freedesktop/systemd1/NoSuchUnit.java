package org.freedesktop.systemd1;

import org.freedesktop.dbus.exceptions.DBusExecutionException;

/**
 * The D-Bus error {@code org.freedesktop.systemd1.NoSuchUnit}: systemd has no such unit.
 *
 * @author Supervision contributors
 */
public class NoSuchUnit extends DBusExecutionException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create a new exception, as dbus-java does for an error reply.
	 * @param message systemd's message
	 */
	public NoSuchUnit(String message) {
		super(message);
	}

}
