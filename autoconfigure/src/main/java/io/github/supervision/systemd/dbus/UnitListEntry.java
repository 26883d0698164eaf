package io.github.supervision.systemd.dbus;

import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.types.UInt32;

/**
 * One entry of {@code ListUnits*}: the D-Bus struct {@code (ssssssouso)}.
 *
 * @author Supervision contributors
 */
public final class UnitListEntry extends Struct {

	@Position(0)
	private final String name;

	@Position(1)
	private final String description;

	@Position(2)
	private final String loadState;

	@Position(3)
	private final String activeState;

	@Position(4)
	private final String subState;

	@Position(5)
	private final String following;

	@Position(6)
	private final DBusPath unitPath;

	@Position(7)
	private final UInt32 jobId;

	@Position(8)
	private final String jobType;

	@Position(9)
	private final DBusPath jobPath;

	/**
	 * Create a new entry, as dbus-java does when it reads one.
	 * @param name the unit name
	 * @param description the unit's description
	 * @param loadState the load state such as {@code loaded} or {@code not-found}
	 * @param activeState the active state such as {@code active}
	 * @param subState the sub state such as {@code running}
	 * @param following the unit this one follows, or empty
	 * @param unitPath the unit's object path
	 * @param jobId the queued job's id, 0 for none
	 * @param jobType the queued job's type, or empty
	 * @param jobPath the queued job's path, {@code /} for none
	 */
	public UnitListEntry(String name, String description, String loadState, String activeState, String subState,
			String following, DBusPath unitPath, UInt32 jobId, String jobType, DBusPath jobPath) {
		this.name = name;
		this.description = description;
		this.loadState = loadState;
		this.activeState = activeState;
		this.subState = subState;
		this.following = following;
		this.unitPath = unitPath;
		this.jobId = jobId;
		this.jobType = jobType;
		this.jobPath = jobPath;
	}

	/**
	 * Return the unit name.
	 * @return the name
	 */
	public String getName() {
		return this.name;
	}

	/**
	 * Return the unit's description.
	 * @return the description
	 */
	public String getDescription() {
		return this.description;
	}

	/**
	 * Return the load state.
	 * @return the load state
	 */
	public String getLoadState() {
		return this.loadState;
	}

	/**
	 * Return the active state.
	 * @return the active state
	 */
	public String getActiveState() {
		return this.activeState;
	}

	/**
	 * Return the sub state.
	 * @return the sub state
	 */
	public String getSubState() {
		return this.subState;
	}

	/**
	 * Return the unit this one follows, or an empty string.
	 * @return the followed unit
	 */
	public String getFollowing() {
		return this.following;
	}

	/**
	 * Return the unit's object path.
	 * @return the path
	 */
	public String getUnitPath() {
		return this.unitPath.getPath();
	}

	/**
	 * Return the queued job's id, 0 when none is queued.
	 * @return the job id
	 */
	public long getJobId() {
		return this.jobId.longValue();
	}

	/**
	 * Return the queued job's type, empty when none is queued.
	 * @return the job type
	 */
	public String getJobType() {
		return this.jobType;
	}

	/**
	 * Return the queued job's path, {@code /} when none is queued.
	 * @return the job path
	 */
	public String getJobPath() {
		return this.jobPath.getPath();
	}

}
