package io.github.supervision.selfregistration.command;

import io.github.supervision.autoconfigure.RunitProperties;
import io.github.supervision.autoconfigure.SupervisordProperties;
import io.github.supervision.autoconfigure.SystemdProperties;
import io.github.supervision.selfregistration.RegistrationProperties;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.boot.context.properties.bind.BindableRuntimeHintsRegistrar;

/**
 * {@link RuntimeHintsRegistrar} for what self-registration reads outside any bean: the
 * list of systemd's directives that the unit generator checks names against (a resource),
 * and the properties that the registration command and the registration report bind
 * themselves with a {@code Binder}, which no {@code @EnableConfigurationProperties}
 * registers when its backend's auto-configuration is off. Listed in
 * {@code META-INF/spring/aot.factories}: the command runs before any context exists.
 *
 * @author Supervision contributors
 */
class RegistrationRuntimeHints implements RuntimeHintsRegistrar {

	/**
	 * The list of systemd's directives, read by
	 * {@code io.github.supervision.registration.SystemdDirectives}.
	 */
	static final String DIRECTIVES = "io/github/supervision/registration/systemd-directives.txt";

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.resources().registerPattern(DIRECTIVES);
		BindableRuntimeHintsRegistrar
			.forTypes(RegistrationProperties.class, RunitProperties.class, SystemdProperties.class,
					SupervisordProperties.class)
			.registerHints(hints, classLoader);
	}

}
