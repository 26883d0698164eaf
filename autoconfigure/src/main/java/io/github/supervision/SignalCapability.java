package io.github.supervision;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * {@link ServiceCapability Capability} of a backend that can send a service a named
 * {@link ServiceSignal}. Callers go through
 * {@link ServiceCatalog#signal(ServiceName, ServiceSignal)}, which is the catalog's
 * action path for {@link ServiceAction#SIGNAL}.
 *
 * @author Supervision contributors
 * @see ServiceCapability#SIGNAL
 */
public interface SignalCapability {

	/**
	 * Send a signal to a service's processes.
	 * @param target the backend's name for the service, already validated
	 * @param signal the signal
	 * @param timeout the deadline
	 * @return the result ({@link ActionResult.Outcome#NO_CHANGE} when no process runs,
	 * {@link ActionResult.Outcome#UNSUPPORTED} when the supervisor cannot send this
	 * signal), with the status read back
	 */
	CompletableFuture<ActionResult> signal(String target, ServiceSignal signal, Duration timeout);

}
