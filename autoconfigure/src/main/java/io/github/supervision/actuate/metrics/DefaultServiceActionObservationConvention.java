package io.github.supervision.actuate.metrics;

import java.util.Locale;

import io.github.supervision.ActionResult;
import io.github.supervision.ServiceSignal;
import io.micrometer.common.KeyValues;

/**
 * The default {@link ServiceActionObservationConvention}: observations named
 * {@code supervision.service.action}, with the low-cardinality keys {@code service},
 * {@code action}, {@code signal} (the signal of a {@code signal} action, such as
 * {@code USR1}, else {@code none}) and {@code outcome}. The outcome is the result's
 * ({@code done}, {@code no_change}, {@code failed}, {@code timeout}, {@code canceled},
 * {@code unsupported}), or {@code error} when the action could not be tried (not allowed,
 * backend unavailable, permission denied).
 *
 * @author Supervision contributors
 */
public class DefaultServiceActionObservationConvention implements ServiceActionObservationConvention {

	/**
	 * The name of the observation, and of the timer Micrometer makes of it.
	 */
	public static final String NAME = "supervision.service.action";

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(ServiceActionContext context) {
		return context.getAction().id() + " " + context.getService();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(ServiceActionContext context) {
		ServiceSignal signal = context.getSignal();
		return KeyValues.of("service", context.getService(), "action", context.getAction().id(), "signal",
				(signal != null) ? signal.name() : "none", "outcome", outcome(context));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(ServiceActionContext context) {
		return KeyValues.of("backend", context.getBackend());
	}

	private static String outcome(ServiceActionContext context) {
		ActionResult result = context.getResult();
		if (result != null) {
			return result.outcome().name().toLowerCase(Locale.ROOT);
		}
		return (context.getError() != null) ? "error" : "unknown";
	}

}
