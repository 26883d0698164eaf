package io.github.supervision.systemd.dbus;

import java.util.List;

import org.freedesktop.dbus.Tuple;
import org.freedesktop.dbus.annotations.Position;

/**
 * The two-value reply of {@code EnableUnitFiles}: {@code (b a(sss))}. dbus-java reads the
 * value types from the type arguments of the method's return type, so they are type
 * parameters here.
 *
 * @param <A> {@link Boolean}
 * @param <B> a {@link List} of {@link UnitFileChangeEntry}
 * @author Supervision contributors
 */
public final class EnableUnitFilesReply<A, B> extends Tuple {

	@Position(0)
	private final A carriesInstallInfo;

	@Position(1)
	private final B changes;

	/**
	 * Create a new reply, as dbus-java does when it reads one.
	 * @param carriesInstallInfo whether the units have an {@code [Install]} section
	 * @param changes the changes made
	 */
	public EnableUnitFilesReply(A carriesInstallInfo, B changes) {
		this.carriesInstallInfo = carriesInstallInfo;
		this.changes = changes;
	}

	/**
	 * Whether the units have an {@code [Install]} section.
	 * @return whether they carry install information
	 */
	public A getCarriesInstallInfo() {
		return this.carriesInstallInfo;
	}

	/**
	 * Return the changes made.
	 * @return the changes
	 */
	public B getChanges() {
		return this.changes;
	}

}
