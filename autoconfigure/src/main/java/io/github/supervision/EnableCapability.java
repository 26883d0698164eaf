package io.github.supervision;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * {@link ServiceCapability Capability} of a backend that can say whether a service starts
 * at boot: systemd enables and disables unit files (reporting their {@code [Install]}
 * result), runit, daemontools and s6 remove or create the service directory's
 * {@code down} file. Callers go through {@link ServiceCatalog#perform} with
 * {@link ServiceAction#ENABLE} or {@link ServiceAction#DISABLE}, so the catalog's policy,
 * deadline and one-action-at-a-time rule hold as for any action.
 *
 * @author Supervision contributors
 * @see ServiceCapability#ENABLE
 */
public interface EnableCapability {

	/**
	 * Make a service start at boot, or not. The running service is left as it is.
	 * @param target the backend's name for the service, already validated
	 * @param enable {@code true} for {@link ServiceAction#ENABLE}, {@code false} for
	 * {@link ServiceAction#DISABLE}
	 * @param timeout the deadline
	 * @return the result, {@link ActionResult.Outcome#NO_CHANGE} when the service was
	 * already so, with its status read back; it completes exceptionally only as
	 * {@link SupervisionBackend#perform} may
	 */
	CompletableFuture<ActionResult> enable(String target, boolean enable, Duration timeout);

}
