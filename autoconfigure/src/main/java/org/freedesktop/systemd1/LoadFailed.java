package org.freedesktop.systemd1;

import org.freedesktop.dbus.exceptions.DBusExecutionException;

/**
 * The D-Bus error {@code org.freedesktop.systemd1.LoadFailed}: the unit failed to load.
 *
 * @author Supervision contributors
 */
public class LoadFailed extends DBusExecutionException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create a new exception, as dbus-java does for an error reply.
	 * @param message systemd's message
	 */
	public LoadFailed(String message) {
		super(message);
	}

}
