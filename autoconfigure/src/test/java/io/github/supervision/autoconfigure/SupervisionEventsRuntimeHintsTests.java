package io.github.supervision.autoconfigure;

import java.lang.reflect.RecordComponent;

import io.github.supervision.actuate.ServicesEndpoint.ServiceDescriptor;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.annotation.ReflectiveRuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the runtime hints of {@code /actuator/serviceevents}: the broadcaster's bean
 * method registers the descriptor each event's JSON is written from
 * ({@code @RegisterReflectionForBinding}), whether or not the services endpoint is
 * exposed over the web.
 *
 * @author Supervision contributors
 */
class SupervisionEventsRuntimeHintsTests {

	@Test
	void registersTheServiceDescriptorForBinding() {
		RuntimeHints hints = new RuntimeHints();
		new ReflectiveRuntimeHintsRegistrar().registerRuntimeHints(hints,
				SupervisionEventsAutoConfiguration.EventStreamConfiguration.class);
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(ServiceDescriptor.class)
			.withMemberCategory(MemberCategory.INVOKE_DECLARED_CONSTRUCTORS)).accepts(hints);
		for (RecordComponent component : ServiceDescriptor.class.getRecordComponents()) {
			assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(component.getAccessor()))
				.as(component.getName())
				.accepts(hints);
		}
	}

}
