package io.github.supervision;

/**
 * Thrown when an action is asked for while another action on the same service is still in
 * flight, so that two actions never race on one service.
 *
 * @author Supervision contributors
 */
public class ActionInProgressException extends SupervisionException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create a new exception.
	 * @param target the service's target
	 * @param requested the action that was asked for
	 * @param inFlight the action still in flight
	 */
	public ActionInProgressException(String target, ServiceAction requested, ServiceAction inFlight) {
		super("Cannot " + requested.id() + " " + target + ": a " + inFlight.id()
				+ " of it is still in flight; try again when it has completed");
	}

}
