package io.github.supervision.systemd.dbus;

import java.util.List;

import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;

/**
 * Binding of {@code org.freedesktop.systemd1.Manager} at
 * {@code /org/freedesktop/systemd1}, with the methods and signals the backend uses.
 * Method names are those of the bus.
 *
 * @author Supervision contributors
 */
@DBusInterfaceName("org.freedesktop.systemd1.Manager")
@SuppressWarnings("checkstyle:MethodName")
public interface Manager extends DBusInterface {

	/**
	 * Bus name of the systemd manager.
	 */
	String BUS_NAME = "org.freedesktop.systemd1";

	/**
	 * Object path of the systemd manager.
	 */
	String OBJECT_PATH = "/org/freedesktop/systemd1";

	/**
	 * List the given units, loaded or not, in one call.
	 * @param names unit names
	 * @return one entry per name, in order
	 */
	List<UnitListEntry> ListUnitsByNames(List<String> names);

	/**
	 * List the loaded units whose name matches a pattern and whose state is one of those
	 * given.
	 * @param states active, sub or load states; empty for all
	 * @param patterns glob patterns such as {@code *.service}; empty for all
	 * @return the matching units
	 */
	List<UnitListEntry> ListUnitsByPatterns(List<String> states, List<String> patterns);

	/**
	 * Return the object path of a loaded unit.
	 * @param name unit name
	 * @return its path
	 */
	DBusPath GetUnit(String name);

	/**
	 * Queue a start job.
	 * @param name unit name
	 * @param mode job mode such as {@code replace}
	 * @return the job path
	 */
	DBusPath StartUnit(String name, String mode);

	/**
	 * Queue a stop job.
	 * @param name unit name
	 * @param mode job mode such as {@code replace}
	 * @return the job path
	 */
	DBusPath StopUnit(String name, String mode);

	/**
	 * Queue a restart job.
	 * @param name unit name
	 * @param mode job mode such as {@code replace}
	 * @return the job path
	 */
	DBusPath RestartUnit(String name, String mode);

	/**
	 * Queue a reload job.
	 * @param name unit name
	 * @param mode job mode such as {@code replace}
	 * @return the job path
	 */
	DBusPath ReloadUnit(String name, String mode);

	/**
	 * Queue a restart job if the unit runs; do nothing otherwise.
	 * @param name unit name
	 * @param mode job mode such as {@code replace}
	 * @return the job path
	 */
	DBusPath TryRestartUnit(String name, String mode);

	/**
	 * Queue a reload job if the unit can reload, a restart job otherwise.
	 * @param name unit name
	 * @param mode job mode such as {@code replace}
	 * @return the job path
	 */
	DBusPath ReloadOrRestartUnit(String name, String mode);

	/**
	 * Send a signal to a unit's processes.
	 * @param name unit name
	 * @param who {@code main}, {@code control} or {@code all}
	 * @param signal the signal number
	 */
	void KillUnit(String name, String who, Integer signal);

	/**
	 * Reset the failed state of a unit.
	 * @param name unit name
	 */
	void ResetFailedUnit(String name);

	/**
	 * Ask the manager to emit its signals to this client.
	 */
	void Subscribe();

	/**
	 * Reload the unit files (daemon-reload).
	 */
	void Reload();

	/**
	 * Enable unit files.
	 * @param files unit names or paths
	 * @param runtime whether to enable until the next reboot only
	 * @param force whether to replace existing symlinks
	 * @return whether the units carry install information, and the changes made
	 */
	EnableUnitFilesReply<Boolean, List<UnitFileChangeEntry>> EnableUnitFiles(List<String> files, Boolean runtime,
			Boolean force);

	/**
	 * Disable unit files.
	 * @param files unit names
	 * @param runtime whether to disable the runtime enablement only
	 * @return the changes made
	 */
	List<UnitFileChangeEntry> DisableUnitFiles(List<String> files, Boolean runtime);

	/**
	 * Return a unit file's enablement state.
	 * @param file unit name
	 * @return the state such as {@code enabled}
	 */
	String GetUnitFileState(String file);

	/**
	 * Signal that a job finished.
	 */
	class JobRemoved extends DBusSignal {

		private final long id;

		private final String job;

		private final String unit;

		private final String result;

		/**
		 * Create a new signal, as dbus-java does when it receives one.
		 * @param path the sender's object path
		 * @param id the job id
		 * @param job the job path
		 * @param unit the unit name
		 * @param result the job result
		 * @throws DBusException if the signal cannot be built
		 */
		public JobRemoved(String path, UInt32 id, DBusPath job, String unit, String result) throws DBusException {
			super(path, id, job, unit, result);
			this.id = id.longValue();
			this.job = job.getPath();
			this.unit = unit;
			this.result = result;
		}

		/**
		 * Return the job id.
		 * @return the id
		 */
		public long getId() {
			return this.id;
		}

		/**
		 * Return the job path.
		 * @return the path
		 */
		public String getJob() {
			return this.job;
		}

		/**
		 * Return the unit name.
		 * @return the unit
		 */
		public String getUnit() {
			return this.unit;
		}

		/**
		 * Return the job result: done, canceled, timeout, failed, dependency or skipped.
		 * @return the result
		 */
		public String getResult() {
			return this.result;
		}

	}

	/**
	 * Signal that a unit was unloaded.
	 */
	class UnitRemoved extends DBusSignal {

		private final String unit;

		/**
		 * Create a new signal, as dbus-java does when it receives one.
		 * @param path the sender's object path
		 * @param unit the unit name
		 * @param unitPath the unit's object path
		 * @throws DBusException if the signal cannot be built
		 */
		public UnitRemoved(String path, String unit, DBusPath unitPath) throws DBusException {
			super(path, unit, unitPath);
			this.unit = unit;
		}

		/**
		 * Return the unit name.
		 * @return the unit
		 */
		public String getUnit() {
			return this.unit;
		}

	}

	/**
	 * Signal that a unit was loaded.
	 */
	class UnitNew extends DBusSignal {

		private final String unit;

		/**
		 * Create a new signal, as dbus-java does when it receives one.
		 * @param path the sender's object path
		 * @param unit the unit name
		 * @param unitPath the unit's object path
		 * @throws DBusException if the signal cannot be built
		 */
		public UnitNew(String path, String unit, DBusPath unitPath) throws DBusException {
			super(path, unit, unitPath);
			this.unit = unit;
		}

		/**
		 * Return the unit name.
		 * @return the unit
		 */
		public String getUnit() {
			return this.unit;
		}

	}

	/**
	 * Signal that the manager starts or finished reloading its configuration
	 * (daemon-reload).
	 */
	class Reloading extends DBusSignal {

		private final boolean active;

		/**
		 * Create a new signal, as dbus-java does when it receives one.
		 * @param path the sender's object path
		 * @param active whether the reload starts ({@code true}) or finished
		 * @throws DBusException if the signal cannot be built
		 */
		public Reloading(String path, boolean active) throws DBusException {
			super(path, active);
			this.active = active;
		}

		/**
		 * Return whether the reload starts ({@code true}) or finished.
		 * @return whether the reload starts
		 */
		public boolean isActive() {
			return this.active;
		}

	}

	/**
	 * Signal that the unit files on disk changed (enable, disable, daemon-reload).
	 */
	class UnitFilesChanged extends DBusSignal {

		/**
		 * Create a new signal, as dbus-java does when it receives one.
		 * @param path the sender's object path
		 * @throws DBusException if the signal cannot be built
		 */
		public UnitFilesChanged(String path) throws DBusException {
			super(path);
		}

	}

}
