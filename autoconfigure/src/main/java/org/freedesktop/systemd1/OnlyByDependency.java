package org.freedesktop.systemd1;

import org.freedesktop.dbus.exceptions.DBusExecutionException;

/**
 * The D-Bus error {@code org.freedesktop.systemd1.OnlyByDependency}: the unit refuses
 * manual start or stop.
 *
 * @author Supervision contributors
 */
public class OnlyByDependency extends DBusExecutionException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create a new exception, as dbus-java does for an error reply.
	 * @param message systemd's message
	 */
	public OnlyByDependency(String message) {
		super(message);
	}

}
