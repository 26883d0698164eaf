package io.github.supervision.registration;

import java.util.List;

/**
 * The supervisor-side half of an install: after the files are written, make the
 * supervisor load and enable them (systemd daemon-reload and enable, supervisord update);
 * before they are removed, make it let go. Implementations that talk to the daemon belong
 * with its backend; {@link #manual(List, List)} only tells a person what to run.
 *
 * @author Supervision contributors
 */
public interface Activation {

	/**
	 * Make the supervisor pick up a freshly written registration.
	 * @param registration the registration
	 * @param start whether the service should also be started now
	 * @return commands a person still has to run; empty when the activation did
	 * everything
	 */
	List<String> afterInstall(Registration registration, boolean start);

	/**
	 * Make the supervisor let go of a registration whose files are about to be removed.
	 * @param registration the registration
	 * @return commands a person still has to run; empty when the activation did
	 * everything
	 */
	List<String> beforeUninstall(Registration registration);

	/**
	 * An activation that does nothing and returns the given commands for a person.
	 * @param afterInstall commands to run after an install
	 * @param beforeUninstall commands to run before an uninstall
	 * @return the activation
	 */
	static Activation manual(List<String> afterInstall, List<String> beforeUninstall) {
		return new Activation() {

			@Override
			public List<String> afterInstall(Registration registration, boolean start) {
				return afterInstall;
			}

			@Override
			public List<String> beforeUninstall(Registration registration) {
				return beforeUninstall;
			}

		};
	}

}
