package io.github.supervision.actuate.metrics;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * {@link ObservationConvention} for the observation of an action on a service; a bean of
 * this type replaces {@link DefaultServiceActionObservationConvention}.
 *
 * @author Supervision contributors
 */
public interface ServiceActionObservationConvention extends ObservationConvention<ServiceActionContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof ServiceActionContext;
	}

}
