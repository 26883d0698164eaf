package io.github.supervision;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * {@link ServiceCapability Capability} of a backend that keeps a failed state apart from
 * a stopped one and can clear it (systemd's {@code ResetFailedUnit}). Callers go through
 * {@link ServiceCatalog#perform} with {@link ServiceAction#RESET_FAILED}.
 *
 * @author Supervision contributors
 * @see ServiceCapability#RESET_FAILED
 */
public interface ResetFailedCapability {

	/**
	 * Clear a service's failed state (and its restart counter).
	 * @param target the backend's name for the service, already validated
	 * @param timeout the deadline
	 * @return the result, {@link ActionResult.Outcome#NO_CHANGE} when it had not failed,
	 * with its status read back
	 */
	CompletableFuture<ActionResult> resetFailed(String target, Duration timeout);

}
