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
import io.github.supervision.registration.SupervisordInstaller;
import io.github.supervision.supervisord.SupervisordBackend;
import io.github.supervision.supervisord.UpdateResult;

/**
 * Makes supervisord load an installed program section through the
 * {@link SupervisordBackend} ({@code supervisorctl update}: re-read the configuration,
 * add the new group, replace the changed one), start it when asked, and stop and forget
 * it around an uninstall.
 *
 * @author Supervision contributors
 */
final class SupervisordActivation implements Activation {

	private final SupervisordBackend backend;

	private final Duration timeout;

	/**
	 * Create an activation.
	 * @param backend the backend of the supervisord that includes the section
	 * @param timeout the most each step may take
	 */
	SupervisordActivation(SupervisordBackend backend, Duration timeout) {
		this.backend = backend;
		this.timeout = timeout;
	}

	@Override
	public Steps afterInstall(Registration registration, boolean start) {
		List<String> done = new ArrayList<>();
		try {
			done.add("Updated supervisord" + describe(this.backend.update(this.timeout)));
			if (start && !registration.autostart()) {
				ActionResult result = CatalogActions.perform(this.backend, registration.name(), registration.name(),
						ServiceAction.START, this.timeout);
				if (!result.isSuccessful()) {
					throw new RegistrationException(registration.name(),
							"was added to supervisord but did not start: " + result.message());
				}
				done.add("Started " + registration.name() + state(result));
			}
			return new Steps(done, List.of());
		}
		catch (RegistrationException ex) {
			throw ex;
		}
		catch (SupervisionException ex) {
			throw new RegistrationException(registration.name(),
					"the program section was written, but supervisord refused or could not be reached: "
							+ ex.getMessage() + "; still to do: "
							+ String.join(" && ", SupervisordInstaller.afterInstallCommands(registration, start)));
		}
	}

	@Override
	public Steps beforeUninstall(Registration registration) {
		try {
			ActionResult result = CatalogActions.perform(this.backend, registration.name(), registration.name(),
					ServiceAction.STOP, this.timeout);
			if (!result.isSuccessful()) {
				throw new RegistrationException(registration.name(),
						"did not stop: " + result.message() + "; nothing was removed");
			}
			return new Steps(List.of("Stopped " + registration.name() + state(result)), List.of());
		}
		catch (UnknownServiceException ex) {
			return Steps.NONE;
		}
		catch (RegistrationException ex) {
			throw ex;
		}
		catch (SupervisionException ex) {
			throw new RegistrationException(registration.name(),
					"supervisord refused or could not be reached: " + ex.getMessage() + "; nothing was removed");
		}
	}

	@Override
	public Steps afterUninstall(Registration registration) {
		try {
			return new Steps(List.of("Updated supervisord" + describe(this.backend.update(this.timeout))), List.of());
		}
		catch (SupervisionException ex) {
			throw new RegistrationException(registration.name(), "the program section was removed, but supervisord "
					+ "could not be updated: " + ex.getMessage() + "; run 'supervisorctl update'");
		}
	}

	private static String state(ActionResult result) {
		return (result.status() != null) ? " (" + result.status().rawState() + ")" : "";
	}

	private static String describe(UpdateResult result) {
		if (result.isEmpty()) {
			return ": nothing changed";
		}
		List<String> parts = new ArrayList<>();
		if (!result.added().isEmpty()) {
			parts.add("added " + String.join(", ", result.added()));
		}
		if (!result.changed().isEmpty()) {
			parts.add("replaced " + String.join(", ", result.changed()));
		}
		if (!result.removed().isEmpty()) {
			parts.add("removed " + String.join(", ", result.removed()));
		}
		return ": " + String.join("; ", parts);
	}

}
