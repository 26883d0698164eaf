package org.freedesktop.systemd1;

import org.freedesktop.dbus.exceptions.DBusExecutionException;

/**
 * The D-Bus error {@code org.freedesktop.systemd1.BadUnitSetting}: the unit file has a
 * bad setting.
 *
 * @author Supervision contributors
 */
public class BadUnitSetting extends DBusExecutionException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create a new exception, as dbus-java does for an error reply.
	 * @param message systemd's message
	 */
	public BadUnitSetting(String message) {
		super(message);
	}

}
