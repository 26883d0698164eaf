package io.github.supervision.supervisord;

import java.time.Duration;

import io.github.supervision.SupervisionTimeoutException;

/**
 * Applies supervisord's changed configuration as {@code supervisorctl update} does:
 * re-read it, then stop and remove the removed groups, stop, remove and add again the
 * changed ones, and add the new ones (which start when their autostart says so).
 */
final class ConfigUpdate {

	private final SupervisordContact contact;

	ConfigUpdate(SupervisordContact contact) {
		this.contact = contact;
	}

	/**
	 * Apply the changed configuration.
	 * @param timeout the deadline for the whole update
	 * @return what was added, changed and removed
	 * @see SupervisordBackend#update(Duration) for the exceptions
	 */
	UpdateResult apply(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		try {
			UpdateResult changes = this.contact.call(SupervisordMethod.RELOAD_CONFIG,
					SupervisordContact.remaining(deadline), SupervisordClient::reloadConfig);
			for (String group : changes.removed()) {
				stopGroup(group, deadline);
				remove(group, deadline);
			}
			for (String group : changes.changed()) {
				stopGroup(group, deadline);
				remove(group, deadline);
				add(group, deadline);
			}
			for (String group : changes.added()) {
				try {
					add(group, deadline);
				}
				catch (SupervisordFaultException ex) {
					if (ex.getFault() != SupervisordFault.ALREADY_ADDED) {
						throw ex;
					}
				}
			}
			return changes;
		}
		catch (SupervisionTimeoutException ex) {
			throw new SupervisionTimeoutException("Applying supervisord's changed configuration", timeout);
		}
	}

	private void stopGroup(String group, long deadline) {
		try {
			this.contact.run(SupervisordMethod.STOP_PROCESS_GROUP, SupervisordContact.remaining(deadline),
					(client, left) -> client.stopProcessGroup(group, true, left));
		}
		catch (SupervisordFaultException ex) {
			if (ex.getFault() != SupervisordFault.BAD_NAME && ex.getFault() != SupervisordFault.NOT_RUNNING) {
				throw ex;
			}
		}
	}

	private void remove(String group, long deadline) {
		this.contact.run(SupervisordMethod.REMOVE_PROCESS_GROUP, SupervisordContact.remaining(deadline),
				(client, left) -> client.removeProcessGroup(group, left));
	}

	private void add(String group, long deadline) {
		this.contact.run(SupervisordMethod.ADD_PROCESS_GROUP, SupervisordContact.remaining(deadline),
				(client, left) -> client.addProcessGroup(group, left));
	}

}
