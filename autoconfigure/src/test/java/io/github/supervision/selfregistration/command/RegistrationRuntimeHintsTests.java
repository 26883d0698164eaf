package io.github.supervision.selfregistration.command;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;

import io.github.supervision.autoconfigure.RunitProperties;
import io.github.supervision.autoconfigure.SupervisordProperties;
import io.github.supervision.autoconfigure.SystemdProperties;
import io.github.supervision.registration.SystemdDirectives;
import io.github.supervision.selfregistration.RegistrationProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RegistrationRuntimeHints}: the directives resource and the properties
 * self-registration binds by itself are registered.
 *
 * @author Supervision contributors
 */
class RegistrationRuntimeHintsTests {

	private final RuntimeHints hints = hints();

	@Test
	void registersTheDirectivesResourceWhereSystemdDirectivesReadsIt() {
		assertThat(getClass().getClassLoader().getResource(RegistrationRuntimeHints.DIRECTIVES)).isNotNull();
		assertThat(RuntimeHintsPredicates.resource()
			.forResource(TypeReference.of(SystemdDirectives.class), "systemd-directives.txt")).accepts(this.hints);
	}

	@ParameterizedTest
	@ValueSource(classes = { RegistrationProperties.class, RunitProperties.class, SystemdProperties.class,
			SupervisordProperties.class })
	void registersThePropertiesThatTheCommandBindsWithTheirGroups(Class<?> properties) {
		assertBindable(properties);
		for (Class<?> group : properties.getDeclaredClasses()) {
			if (Modifier.isPublic(group.getModifiers()) && !group.isEnum()) {
				assertBindable(group);
			}
		}
	}

	@Test
	void isListedInAotFactories() {
		List<RuntimeHintsRegistrar> registrars = SpringFactoriesLoader
			.forResourceLocation("META-INF/spring/aot.factories")
			.load(RuntimeHintsRegistrar.class);
		assertThat(registrars).hasAtLeastOneElementOfType(RegistrationRuntimeHints.class);
	}

	private void assertBindable(Class<?> type) {
		assertThat(RuntimeHintsPredicates.reflection().onType(type)).as(type.getName()).accepts(this.hints);
		int setters = 0;
		for (Method method : type.getDeclaredMethods()) {
			if (Modifier.isPublic(method.getModifiers()) && method.getName().startsWith("set")
					&& method.getParameterCount() == 1) {
				setters++;
				assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(method)).as(method.toString())
					.accepts(this.hints);
			}
		}
		assertThat(setters).as(type.getName()).isPositive();
	}

	private static RuntimeHints hints() {
		RuntimeHints hints = new RuntimeHints();
		new RegistrationRuntimeHints().registerHints(hints, RegistrationRuntimeHintsTests.class.getClassLoader());
		return hints;
	}

}
