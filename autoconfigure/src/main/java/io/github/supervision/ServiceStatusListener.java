package io.github.supervision;

/**
 * Listener for changes of a service's state, registered with
 * {@link SupervisionBackend#watch(ServiceStatusListener)}.
 *
 * @author Supervision contributors
 */
@FunctionalInterface
public interface ServiceStatusListener {

	/**
	 * Called when a service's status changed.
	 * @param status the new status, named by its target
	 */
	void statusChanged(ServiceStatus status);

}
