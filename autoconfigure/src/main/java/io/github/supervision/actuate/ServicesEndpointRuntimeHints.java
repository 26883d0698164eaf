package io.github.supervision.actuate;

import io.github.supervision.actuate.ServicesEndpoint.ActionDescriptor;
import io.github.supervision.actuate.ServicesEndpoint.BackendDescriptor;
import io.github.supervision.actuate.ServicesEndpoint.LineDescriptor;
import io.github.supervision.actuate.ServicesEndpoint.LogDescriptor;
import io.github.supervision.actuate.ServicesEndpoint.RegistrationDescriptor;
import io.github.supervision.actuate.ServicesEndpoint.ServiceDescriptor;
import io.github.supervision.actuate.ServicesEndpoint.ServicesDescriptor;
import io.github.supervision.actuate.ServicesEndpointWebExtension.ErrorDescriptor;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * {@link RuntimeHintsRegistrar} for the JSON the {@link ServicesEndpointWebExtension}
 * writes: its operations answer {@code WebEndpointResponse<? extends
 * OperationResponseBody>}, from which the actuator cannot tell the descriptors, so each
 * one is named here, with the serializer that Jackson creates for the services of a list.
 *
 * @author Supervision contributors
 */
class ServicesEndpointRuntimeHints implements RuntimeHintsRegistrar {

	private final BindingReflectionHintsRegistrar bindingRegistrar = new BindingReflectionHintsRegistrar();

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		this.bindingRegistrar.registerReflectionHints(hints.reflection(), ServicesDescriptor.class,
				ServiceDescriptor.class, BackendDescriptor.class, RegistrationDescriptor.class, ActionDescriptor.class,
				LogDescriptor.class, LineDescriptor.class, ErrorDescriptor.class);
		// named by @JsonSerialize(contentUsing = ...) and made by Jackson through its
		// constructor
		hints.reflection().registerType(ServiceJsonSerializer.class, MemberCategory.INVOKE_DECLARED_CONSTRUCTORS);
	}

}
