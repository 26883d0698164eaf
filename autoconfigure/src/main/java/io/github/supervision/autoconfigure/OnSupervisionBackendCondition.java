package io.github.supervision.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Decides whether a backend is in use, for {@link ConditionalOnSupervisionBackend}: a
 * declared service names it (by the same rule as {@link DeclaredServices}), one of its
 * own properties is set, or {@code supervision.<backend>.enabled} is explicitly
 * {@code true}.
 *
 * @author Supervision contributors
 */
class OnSupervisionBackendCondition extends SpringBootCondition {

	private static final ConfigurationPropertyName SERVICES = ConfigurationPropertyName.of("supervision.services");

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		MergedAnnotation<ConditionalOnSupervisionBackend> annotation = metadata.getAnnotations()
			.get(ConditionalOnSupervisionBackend.class);
		return outcome(context.getEnvironment(), annotation.getString("value"),
				annotation.getStringArray("inUseWhenSet"));
	}

	/**
	 * Return whether a backend is in use.
	 * @param environment the environment
	 * @param backend the backend's id
	 * @param inUseWhenSet the backend's own properties whose setting puts it in use
	 * @return the outcome, naming what put the backend in use or that nothing did
	 */
	static ConditionOutcome outcome(Environment environment, String backend, String... inUseWhenSet) {
		ConditionMessage.Builder message = ConditionMessage.forCondition(ConditionalOnSupervisionBackend.class,
				backend);
		Binder binder = Binder.get(environment);
		String enabled = "supervision." + backend + ".enabled";
		if (binder.bind(enabled, Boolean.class).orElse(false)) {
			return ConditionOutcome.match(message.because(enabled + " is true"));
		}
		for (String key : inUseWhenSet) {
			List<String> values = binder.bind(key, Bindable.listOf(String.class)).orElse(List.of());
			if (values.stream().anyMatch((value) -> StringUtils.hasText(value) && !"false".equalsIgnoreCase(value))) {
				return ConditionOutcome.match(message.because(key + " is set"));
			}
		}
		if (isDeclared(environment, binder, backend)) {
			return ConditionOutcome.match(message.because("a declared service names it"));
		}
		return ConditionOutcome.noMatch(message.because("no declared service names it, "
				+ ((inUseWhenSet.length > 0) ? String.join(", ", inUseWhenSet) + " not set, " : "") + enabled
				+ " is not true"));
	}

	private static boolean isDeclared(Environment environment, Binder binder, String backend) {
		if (!mayName(environment, backend)) {
			return false;
		}
		Map<String, SupervisionProperties.Service> services = binder
			.bind(SERVICES, Bindable.mapOf(String.class, SupervisionProperties.Service.class))
			.orElse(Map.of());
		for (SupervisionProperties.Service service : services.values()) {
			// The declarations are parsed into beans only after this condition; it asks
			// the same rule which backend each one names.
			if (backend.equals(DeclaredServices.backendOf(service))) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether a declared service may name the backend: only one with the backend's target
	 * key (such as {@code unit}) or a {@code backend} can. Binding every declaration is
	 * the dearest step of this condition, so it is skipped when no property source holds
	 * such a key (a source that cannot list its names counts as holding one).
	 * @param environment the environment
	 * @param backend the backend's id
	 * @return {@code false} when no declared service can name the backend
	 */
	private static boolean mayName(Environment environment, String backend) {
		String targetKey = DeclaredServices.targetKey(backend);
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (!(source instanceof IterableConfigurationPropertySource iterable)) {
				if (source.containsDescendantOf(SERVICES) != ConfigurationPropertyState.ABSENT) {
					return true;
				}
				continue;
			}
			try (Stream<ConfigurationPropertyName> names = iterable.stream()) {
				if (names.anyMatch((name) -> names(name, targetKey))) {
					return true;
				}
			}
		}
		return false;
	}

	// supervision.services.<name>.<target key> or .backend
	private static boolean names(ConfigurationPropertyName name, String targetKey) {
		if (name.getNumberOfElements() < 4 || !SERVICES.isAncestorOf(name)) {
			return false;
		}
		String key = name.getElement(3, ConfigurationPropertyName.Form.UNIFORM);
		return targetKey.equals(key) || "backend".equals(key);
	}

}
