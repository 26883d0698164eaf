package io.github.supervision.autoconfigure;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import io.github.supervision.autoconfigure.SystemdSupervisionAutoConfiguration.SystemdRuntimeHints;
import io.github.supervision.systemd.dbus.EnableUnitFilesReply;
import io.github.supervision.systemd.dbus.Manager;
import io.github.supervision.systemd.dbus.UnitFileChangeEntry;
import io.github.supervision.systemd.dbus.UnitListEntry;
import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.Tuple;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.errors.AccessDenied;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.systemd1.NoSuchUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.type.filter.AssignableTypeFilter;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SystemdRuntimeHints}: what dbus-java finds by name, proxies, builds
 * and reads by reflection for the systemd backend is registered, and every type of ours
 * that it will so reach is covered, so that a new signal, struct or error cannot be added
 * without its hint.
 *
 * @author Supervision contributors
 */
class SystemdRuntimeHintsTests {

	private final RuntimeHints hints = hints(getClass().getClassLoader());

	@ParameterizedTest
	@ValueSource(classes = { Manager.class, Properties.class, DBus.class })
	void registersAProxyOfEachBusInterfaceWithItsMethods(Class<?> bus) {
		assertThat(RuntimeHintsPredicates.proxies().forInterfaces(bus)).accepts(this.hints);
		for (Method method : bus.getMethods()) {
			assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(method)).as(method.toString())
				.accepts(this.hints);
		}
	}

	@ParameterizedTest
	@ValueSource(classes = { UnitListEntry.class, UnitFileChangeEntry.class, EnableUnitFilesReply.class })
	void registersTheFieldsAndConstructorOfEachStructAndTuple(Class<?> struct) {
		List<Field> positions = new ArrayList<>();
		for (Field field : struct.getDeclaredFields()) {
			if (field.isAnnotationPresent(Position.class)) {
				positions.add(field);
				assertThat(RuntimeHintsPredicates.reflection().onFieldAccess(field)).as(field.toString())
					.accepts(this.hints);
			}
		}
		assertThat(positions).isNotEmpty();
		assertConstructorsInvocable(struct);
	}

	@ParameterizedTest
	@ValueSource(classes = { Manager.JobRemoved.class, Manager.UnitNew.class, Manager.UnitRemoved.class,
			Manager.Reloading.class, Manager.UnitFilesChanged.class, Properties.PropertiesChanged.class,
			DBus.NameAcquired.class })
	void registersTheConstructorOfEachSignal(Class<?> signal) {
		assertThat(RuntimeHintsPredicates.reflection().onType(signal)).accepts(this.hints);
		assertConstructorsInvocable(signal);
	}

	@ParameterizedTest
	@ValueSource(classes = { DBusExecutionException.class, NoSuchUnit.class, AccessDenied.class })
	void registersTheConstructorOfAnErrorByItsName(Class<?> error) throws Exception {
		assertThat(RuntimeHintsPredicates.reflection().onType(error)).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onConstructorInvocation(error.getConstructor(String.class)))
			.accepts(this.hints);
	}

	@Test
	void registersEverySignalOfTheManager() {
		List<Class<?>> signals = new ArrayList<>();
		for (Class<?> nested : Manager.class.getDeclaredClasses()) {
			if (DBusSignal.class.isAssignableFrom(nested)) {
				signals.add(nested);
				assertConstructorsInvocable(nested);
			}
		}
		assertThat(signals).hasSize(5);
	}

	@Test
	void registersEveryStructAndTupleOfTheBindings() {
		List<Class<?>> types = scan("io.github.supervision.systemd.dbus", Struct.class);
		types.addAll(scan("io.github.supervision.systemd.dbus", Tuple.class));
		assertThat(types).hasSize(3);
		types.forEach(this::assertConstructorsInvocable);
	}

	@Test
	void registersEveryErrorOfSystemdAndOfTheBus() throws Exception {
		List<Class<?>> errors = scan("org.freedesktop.systemd1", DBusExecutionException.class);
		assertThat(errors).hasSize(8);
		List<Class<?>> busErrors = scan("org.freedesktop.dbus.errors", DBusExecutionException.class);
		assertThat(busErrors).hasSizeGreaterThanOrEqualTo(12);
		errors.addAll(busErrors);
		for (Class<?> error : errors) {
			assertThat(RuntimeHintsPredicates.reflection().onConstructorInvocation(error.getConstructor(String.class)))
				.as(error.getName())
				.accepts(this.hints);
		}
	}

	@Test
	void registersJacksonThatTheJournalTailLooksForByName() {
		assertThat(RuntimeHintsPredicates.reflection().onType(TypeReference.of(SystemdRuntimeHints.JACKSON)))
			.accepts(this.hints);
		assertThat(ClassUtils.isPresent(SystemdRuntimeHints.JACKSON, getClass().getClassLoader())).isTrue();
	}

	@Test
	void registersNothingWithoutDbusJava() {
		RuntimeHints hints = hints(new FilteredClassLoader(DBusConnection.class));
		assertThat(hints.reflection().typeHints()).isEmpty();
		assertThat(hints.proxies().jdkProxyHints()).isEmpty();
	}

	@Test
	void isListedInAotFactories() {
		List<RuntimeHintsRegistrar> registrars = SpringFactoriesLoader
			.forResourceLocation("META-INF/spring/aot.factories")
			.load(RuntimeHintsRegistrar.class);
		assertThat(registrars).hasAtLeastOneElementOfType(SystemdRuntimeHints.class);
	}

	private void assertConstructorsInvocable(Class<?> type) {
		assertThat(type.getDeclaredConstructors()).isNotEmpty();
		for (Constructor<?> constructor : type.getDeclaredConstructors()) {
			assertThat(RuntimeHintsPredicates.reflection().onConstructorInvocation(constructor))
				.as(constructor.toString())
				.accepts(this.hints);
		}
	}

	private static List<Class<?>> scan(String pkg, Class<?> supertype) {
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
		scanner.addIncludeFilter(new AssignableTypeFilter(supertype));
		List<Class<?>> types = new ArrayList<>();
		for (BeanDefinition candidate : scanner.findCandidateComponents(pkg)) {
			types.add(ClassUtils.resolveClassName(candidate.getBeanClassName(), null));
		}
		return types;
	}

	private static RuntimeHints hints(ClassLoader classLoader) {
		RuntimeHints hints = new RuntimeHints();
		new SystemdRuntimeHints().registerHints(hints, classLoader);
		return hints;
	}

}
