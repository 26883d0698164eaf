package org.freedesktop.systemd1;

import org.freedesktop.dbus.exceptions.DBusExecutionException;

/**
 * The D-Bus error {@code org.freedesktop.systemd1.NoSuchProcess}: the unit has no
 * process.
 *
 * @author Supervision contributors
 */
public class NoSuchProcess extends DBusExecutionException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create a new exception, as dbus-java does for an error reply.
	 * @param message systemd's message
	 */
	public NoSuchProcess(String message) {
		super(message);
	}

}
