package org.freedesktop.systemd1;

import org.freedesktop.dbus.exceptions.DBusExecutionException;

/**
 * The D-Bus error {@code org.freedesktop.systemd1.JobTypeNotApplicable}: the job type
 * does not apply to the unit.
 *
 * @author Supervision contributors
 */
public class JobTypeNotApplicable extends DBusExecutionException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create a new exception, as dbus-java does for an error reply.
	 * @param message systemd's message
	 */
	public JobTypeNotApplicable(String message) {
		super(message);
	}

}
