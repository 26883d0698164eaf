package io.github.supervision.systemd.dbus;

import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.Position;

/**
 * One change made by {@code EnableUnitFiles} or {@code DisableUnitFiles}: the D-Bus
 * struct {@code (sss)}.
 *
 * @author Supervision contributors
 */
public final class UnitFileChangeEntry extends Struct {

	@Position(0)
	private final String type;

	@Position(1)
	private final String file;

	@Position(2)
	private final String destination;

	/**
	 * Create a new entry, as dbus-java does when it reads one.
	 * @param type the change, {@code symlink} or {@code unlink}
	 * @param file the file that was created or removed
	 * @param destination the symlink's destination, or empty
	 */
	public UnitFileChangeEntry(String type, String file, String destination) {
		this.type = type;
		this.file = file;
		this.destination = destination;
	}

	/**
	 * Return the change, {@code symlink} or {@code unlink}.
	 * @return the type
	 */
	public String getType() {
		return this.type;
	}

	/**
	 * Return the file that was created or removed.
	 * @return the file
	 */
	public String getFile() {
		return this.file;
	}

	/**
	 * Return the symlink's destination, or an empty string.
	 * @return the destination
	 */
	public String getDestination() {
		return this.destination;
	}

}
