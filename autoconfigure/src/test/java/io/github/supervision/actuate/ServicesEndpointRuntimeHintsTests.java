package io.github.supervision.actuate;

import java.lang.reflect.RecordComponent;

import io.github.supervision.actuate.ServicesEndpoint.ActionDescriptor;
import io.github.supervision.actuate.ServicesEndpoint.BackendDescriptor;
import io.github.supervision.actuate.ServicesEndpoint.LineDescriptor;
import io.github.supervision.actuate.ServicesEndpoint.LogDescriptor;
import io.github.supervision.actuate.ServicesEndpoint.RegistrationDescriptor;
import io.github.supervision.actuate.ServicesEndpoint.ServiceDescriptor;
import io.github.supervision.actuate.ServicesEndpoint.ServicesDescriptor;
import io.github.supervision.actuate.ServicesEndpointWebExtension.ErrorDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.core.annotation.AnnotatedElementUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ServicesEndpointRuntimeHints}: every descriptor the web extension
 * writes can be made and read by Jackson in a native image.
 *
 * @author Supervision contributors
 */
class ServicesEndpointRuntimeHintsTests {

	private final RuntimeHints hints = hints();

	@ParameterizedTest
	@ValueSource(classes = { ServicesDescriptor.class, ServiceDescriptor.class, BackendDescriptor.class,
			RegistrationDescriptor.class, ActionDescriptor.class, LogDescriptor.class, LineDescriptor.class,
			ErrorDescriptor.class })
	void registersEachDescriptorForBinding(Class<?> descriptor) {
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(descriptor)
			.withMemberCategory(MemberCategory.INVOKE_DECLARED_CONSTRUCTORS)).accepts(this.hints);
		assertThat(descriptor.getRecordComponents()).isNotEmpty();
		for (RecordComponent component : descriptor.getRecordComponents()) {
			assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(component.getAccessor()))
				.as(descriptor.getSimpleName() + "." + component.getName())
				.accepts(this.hints);
		}
	}

	@Test
	void registersTheSerializerThatJacksonCreatesForTheListOfServices() {
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(ServiceJsonSerializer.class)
			.withMemberCategory(MemberCategory.INVOKE_DECLARED_CONSTRUCTORS)).accepts(this.hints);
	}

	@Test
	void isImportedByTheWebExtension() {
		ImportRuntimeHints imported = AnnotatedElementUtils.findMergedAnnotation(ServicesEndpointWebExtension.class,
				ImportRuntimeHints.class);
		assertThat(imported).isNotNull();
		assertThat(imported.value()).contains(ServicesEndpointRuntimeHints.class);
	}

	private static RuntimeHints hints() {
		RuntimeHints hints = new RuntimeHints();
		new ServicesEndpointRuntimeHints().registerHints(hints,
				ServicesEndpointRuntimeHintsTests.class.getClassLoader());
		return hints;
	}

}
