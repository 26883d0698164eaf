package io.github.supervision.selfregistration.activation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.supervision.ActionResult;
import io.github.supervision.ServiceAction;
import io.github.supervision.SupervisionException;
import io.github.supervision.UnknownServiceException;
import io.github.supervision.registration.Activation;
import io.github.supervision.registration.Registration;
import io.github.supervision.registration.RegistrationException;
import io.github.supervision.registration.SystemdInstaller;
import io.github.supervision.systemd.EnableResult;
import io.github.supervision.systemd.SystemdBackend;
import io.github.supervision.systemd.SystemdScope;
import io.github.supervision.systemd.UnitFileChange;

/**
 * Makes systemd load, enable and start an installed unit through the
 * {@link SystemdBackend} ({@code Reload}, {@code EnableUnitFiles}, {@code StartUnit} over
 * D-Bus), and stop, disable and forget it before and after an uninstall. When a step
 * fails, the error says what was done and which {@code systemctl} commands are left.
 *
 * @author Supervision contributors
 */
final class SystemdActivation implements Activation {

	private final SystemdBackend backend;

	private final SystemdScope scope;

	private final Duration timeout;

	/**
	 * Create an activation.
	 * @param backend the backend of the scope's manager
	 * @param scope the scope the unit is installed in
	 * @param timeout the most each step may take
	 */
	SystemdActivation(SystemdBackend backend, SystemdScope scope, Duration timeout) {
		this.backend = backend;
		this.scope = scope;
		this.timeout = timeout;
	}

	@Override
	public Steps afterInstall(Registration registration, boolean start) {
		String unit = unit(registration);
		List<String> done = new ArrayList<>();
		try {
			this.backend.daemonReload(this.timeout);
			done.add("Reloaded the " + manager() + "'s unit files");
			if (registration.autostart()) {
				EnableResult enabled = this.backend.enable(List.of(unit), false, false, this.timeout);
				done.add("Enabled " + unit + describe(enabled.changes()));
			}
			if (start) {
				ActionResult result = CatalogActions.perform(this.backend, registration.name(), unit,
						ServiceAction.START, this.timeout);
				if (!result.isSuccessful()) {
					throw new RegistrationException(unit, "was installed but did not start: " + result.message()
							+ left(done, SystemdInstaller.afterInstallCommands(this.scope, registration, start)));
				}
				done.add("Started " + unit + state(result));
			}
			return new Steps(done, List.of());
		}
		catch (RegistrationException ex) {
			throw ex;
		}
		catch (SupervisionException ex) {
			throw new RegistrationException(unit,
					"was written, but the " + manager() + " refused or could not be " + "reached: " + ex.getMessage()
							+ left(done, SystemdInstaller.afterInstallCommands(this.scope, registration, start)));
		}
	}

	@Override
	public Steps beforeUninstall(Registration registration) {
		String unit = unit(registration);
		List<String> done = new ArrayList<>();
		try {
			try {
				ActionResult result = CatalogActions.perform(this.backend, registration.name(), unit,
						ServiceAction.STOP, this.timeout);
				if (!result.isSuccessful()) {
					throw new RegistrationException(unit, "did not stop: " + result.message()
							+ "; nothing was removed. Stop it, then uninstall again");
				}
				done.add("Stopped " + unit + state(result));
			}
			catch (UnknownServiceException ex) {
				// not loaded: nothing runs
			}
			List<UnitFileChange> changes = this.backend.disable(List.of(unit), false, this.timeout);
			if (!changes.isEmpty()) {
				done.add("Disabled " + unit + describe(changes));
			}
			return new Steps(done, List.of());
		}
		catch (RegistrationException ex) {
			throw ex;
		}
		catch (SupervisionException ex) {
			throw new RegistrationException(unit, "the " + manager() + " refused or could not be reached: "
					+ ex.getMessage() + "; nothing was removed");
		}
	}

	@Override
	public Steps afterUninstall(Registration registration) {
		try {
			this.backend.daemonReload(this.timeout);
			return new Steps(List.of("Reloaded the " + manager() + "'s unit files"), List.of());
		}
		catch (SupervisionException ex) {
			throw new RegistrationException(unit(registration), "was removed, but the " + manager()
					+ " could not reload: " + ex.getMessage() + "; run '" + systemctl() + " daemon-reload'");
		}
	}

	private static String unit(Registration registration) {
		return registration.name() + ".service";
	}

	private String manager() {
		return (this.scope == SystemdScope.USER) ? "systemd user manager" : "systemd system manager";
	}

	private String systemctl() {
		return (this.scope == SystemdScope.USER) ? "systemctl --user" : "systemctl";
	}

	private static String state(ActionResult result) {
		return (result.status() != null) ? " (" + result.status().rawState() + ")" : "";
	}

	private static String describe(List<UnitFileChange> changes) {
		if (changes.isEmpty()) {
			return "";
		}
		List<String> parts = changes.stream()
			.map((change) -> change.type() + " " + change.file()
					+ ((change.destination().isEmpty()) ? "" : " -> " + change.destination()))
			.toList();
		return " (" + String.join(", ", parts) + ")";
	}

	private static String left(List<String> done, List<String> commands) {
		String doneText = done.isEmpty() ? "" : "; done: " + String.join(", ", done);
		return doneText + "; still to do: " + String.join(" && ", commands);
	}

}
