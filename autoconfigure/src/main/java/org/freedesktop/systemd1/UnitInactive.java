package org.freedesktop.systemd1;

import org.freedesktop.dbus.exceptions.DBusExecutionException;

/**
 * The D-Bus error {@code org.freedesktop.systemd1.UnitInactive}: the unit is not active.
 *
 * @author Supervision contributors
 */
public class UnitInactive extends DBusExecutionException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create a new exception, as dbus-java does for an error reply.
	 * @param message systemd's message
	 */
	public UnitInactive(String message) {
		super(message);
	}

}
