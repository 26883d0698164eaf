package io.github.supervision.selfregistration.activation;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.github.supervision.ActionResult;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceDefinition;
import io.github.supervision.ServiceName;
import io.github.supervision.SupervisionBackend;

/**
 * Performs an activation's action through a {@link ServiceCatalog} of the one service, so
 * that the catalog's single guard holds the backend to the deadline: an action that
 * breaks it answers {@link ActionResult.Outcome#TIMEOUT} instead of waiting on.
 *
 * @author Supervision contributors
 */
final class CatalogActions {

	private CatalogActions() {
	}

	/**
	 * Perform an action on a service of a backend.
	 * @param backend the backend
	 * @param name the registration's name, which the result carries
	 * @param target the backend's name for the service
	 * @param action the action
	 * @param timeout the deadline
	 * @return the result
	 * @throws io.github.supervision.SupervisionException if the backend refuses or cannot
	 * be reached
	 */
	static ActionResult perform(SupervisionBackend backend, String name, String target, ServiceAction action,
			Duration timeout) {
		ServiceName service = ServiceName.of(name);
		ServiceDefinition definition = new ServiceDefinition(service, backend.id(), target, Set.of(action), false,
				null);
		try (ServiceCatalog catalog = new ServiceCatalog(List.of(definition), List.of(backend), timeout, timeout)) {
			return catalog.perform(service, action, timeout);
		}
	}

}
