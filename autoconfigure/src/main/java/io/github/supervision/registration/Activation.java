package io.github.supervision.registration;

import java.util.List;

/**
 * The supervisor-side half of an install: after the files are written, make the
 * supervisor load and enable them (systemd daemon-reload and enable, supervisord update);
 * around their removal, make it let go. Implementations that talk to the daemon live
 * where the backends may be used (the auto-configuration); {@link #manual(List, List)}
 * only tells a person what to run.
 *
 * @author Supervision contributors
 */
public interface Activation {

	/**
	 * Make the supervisor pick up a freshly written registration.
	 * @param registration the registration
	 * @param start whether the service should also be started now
	 * @return the steps done and the commands a person still has to run
	 * @throws RegistrationException if the supervisor refused a step or could not be
	 * reached; its message says which commands are left
	 */
	Steps afterInstall(Registration registration, boolean start);

	/**
	 * Make the supervisor let go of a registration whose files are about to be removed
	 * (stop and disable it).
	 * @param registration the registration
	 * @return the steps done and the commands a person still has to run
	 * @throws RegistrationException if the supervisor refused a step or could not be
	 * reached
	 */
	Steps beforeUninstall(Registration registration);

	/**
	 * Make the supervisor forget a registration whose files were removed (systemd
	 * daemon-reload, supervisord update).
	 * @param registration the registration
	 * @return the steps done and the commands a person still has to run
	 * @throws RegistrationException if the supervisor refused a step or could not be
	 * reached
	 */
	default Steps afterUninstall(Registration registration) {
		return Steps.NONE;
	}

	/**
	 * An activation that does nothing and returns the given commands for a person.
	 * @param afterInstall commands to run after an install
	 * @param beforeUninstall commands to run before an uninstall
	 * @return the activation
	 */
	static Activation manual(List<String> afterInstall, List<String> beforeUninstall) {
		return new Activation() {

			@Override
			public Steps afterInstall(Registration registration, boolean start) {
				return Steps.left(afterInstall);
			}

			@Override
			public Steps beforeUninstall(Registration registration) {
				return Steps.left(beforeUninstall);
			}

		};
	}

	/**
	 * What an activation step did, and what it leaves for a person.
	 *
	 * @param done steps done, one sentence each
	 * @param remaining commands a person still has to run, empty when nothing is left
	 */
	record Steps(List<String> done, List<String> remaining) {

		/**
		 * Nothing done, nothing left.
		 */
		public static final Steps NONE = new Steps(List.of(), List.of());

		/**
		 * Copy the lists.
		 * @param done steps done
		 * @param remaining commands left
		 */
		public Steps {
			done = List.copyOf(done);
			remaining = List.copyOf(remaining);
		}

		/**
		 * Return steps that did nothing and leave commands for a person.
		 * @param remaining the commands
		 * @return the steps
		 */
		public static Steps left(List<String> remaining) {
			return new Steps(List.of(), remaining);
		}

	}

}
