package io.github.supervision.systemd.dbus;

import java.util.List;

import org.freedesktop.dbus.Tuple;
import org.freedesktop.dbus.annotations.Position;

/**
 * The two-value reply of {@code EnableUnitFiles}: {@code (b a(sss))}.
 *
 * @author Supervision contributors
 */
public final class EnableUnitFilesReply extends Tuple {

	@Position(0)
	private final Boolean carriesInstallInfo;

	@Position(1)
	private final List<UnitFileChangeEntry> changes;

	/**
	 * Create a new reply, as dbus-java does when it reads one.
	 * @param carriesInstallInfo whether the units have an {@code [Install]} section
	 * @param changes the changes made
	 */
	public EnableUnitFilesReply(Boolean carriesInstallInfo, List<UnitFileChangeEntry> changes) {
		this.carriesInstallInfo = carriesInstallInfo;
		this.changes = changes;
	}

	/**
	 * Whether the units have an {@code [Install]} section.
	 * @return whether they carry install information
	 */
	public boolean isCarriesInstallInfo() {
		return this.carriesInstallInfo;
	}

	/**
	 * Return the changes made.
	 * @return the changes
	 */
	public List<UnitFileChangeEntry> getChanges() {
		return this.changes;
	}

}
