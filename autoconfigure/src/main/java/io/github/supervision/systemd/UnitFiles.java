package io.github.supervision.systemd;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.github.supervision.SupervisionException;
import io.github.supervision.systemd.SystemdConnection.Session;
import io.github.supervision.systemd.dbus.EnableUnitFilesReply;
import io.github.supervision.systemd.dbus.UnitFileChangeEntry;

/**
 * Manages unit files, as {@code systemctl enable}, {@code disable}, {@code is-enabled}
 * and {@code daemon-reload} do, mapping systemd's refusals to our exceptions.
 *
 * @author Supervision contributors
 */
final class UnitFiles {

	private final SystemdConnection connection;

	UnitFiles(SystemdConnection connection) {
		this.connection = connection;
	}

	/**
	 * Enable unit files.
	 * @param unitNames the units
	 * @param runtime whether to enable them until the next boot only
	 * @param force whether to replace symlinks that point elsewhere
	 * @param timeout the most this call may wait
	 * @return whether the units carry install information, and the changes made
	 * @see SystemdBackend#enable(List, boolean, boolean, Duration)
	 */
	EnableResult enable(List<String> unitNames, boolean runtime, boolean force, Duration timeout) {
		unitNames.forEach(UnitNames::validate);
		EnableUnitFilesReply<Boolean, List<UnitFileChangeEntry>> reply = manage("EnableUnitFiles", "enable",
				SystemdErrors.MANAGE_UNIT_FILES, unitNames, timeout, List.copyOf(unitNames), runtime, force);
		return new EnableResult(Boolean.TRUE.equals(reply.getCarriesInstallInfo()), changes(reply.getChanges()));
	}

	/**
	 * Disable unit files.
	 * @param unitNames the units
	 * @param runtime whether to remove the runtime enablement only
	 * @param timeout the most this call may wait
	 * @return the changes made
	 * @see SystemdBackend#disable(List, boolean, Duration)
	 */
	List<UnitFileChange> disable(List<String> unitNames, boolean runtime, Duration timeout) {
		unitNames.forEach(UnitNames::validate);
		List<UnitFileChangeEntry> reply = manage("DisableUnitFiles", "disable", SystemdErrors.MANAGE_UNIT_FILES,
				unitNames, timeout, List.copyOf(unitNames), runtime);
		return changes(reply);
	}

	/**
	 * Make systemd reload its unit files.
	 * @param timeout the most this call may wait
	 */
	void daemonReload(Duration timeout) {
		manage("Reload", "daemon-reload", SystemdErrors.RELOAD_DAEMON, List.of(), timeout);
	}

	/**
	 * Return a unit file's enablement state.
	 * @param unitName the unit
	 * @param timeout the most this call may wait
	 * @return the state
	 * @see SystemdBackend#unitFileState(String, Duration)
	 */
	String unitFileState(String unitName, Duration timeout) {
		UnitNames.validate(unitName);
		return manage("GetUnitFileState", "is-enabled", SystemdErrors.MANAGE_UNIT_FILES, List.of(unitName), timeout,
				unitName);
	}

	// the reply's type is the one the D-Bus method returns, which the caller names
	@SuppressWarnings("TypeParameterUnusedInFormals")
	private <T> T manage(String method, String verb, String polkitAction, List<String> unitNames, Duration timeout,
			Object... args) {
		long deadline = Futures.deadline(timeout);
		Session current = Futures.await(this.connection.session(), deadline, "Connecting to systemd");
		CompletableFuture<T> call = this.connection.call(current, current.manager(), method, args);
		try {
			return Futures.await(call, deadline, "systemd " + verb);
		}
		catch (CallFailedException ex) {
			String unit = (unitNames.size() == 1) ? unitNames.get(0) : null;
			String type = SystemdErrors.name(ex.dbus());
			SupervisionException refusal = SystemdErrors.refusal(type, ex.dbus().getMessage(), unit, verb,
					polkitAction);
			if (refusal != null) {
				throw refusal;
			}
			throw new SystemdOperationException("systemd refused " + verb + ": " + ex.dbus().getMessage(), ex.dbus());
		}
	}

	private static List<UnitFileChange> changes(List<UnitFileChangeEntry> entries) {
		return entries.stream()
			.map((entry) -> new UnitFileChange(entry.getType(), entry.getFile(), entry.getDestination()))
			.toList();
	}

}
