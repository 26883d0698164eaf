package io.github.supervision.selfregistration.command;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;

/**
 * Finds the registration properties that moved into groups and are still set. The command
 * refuses to run with them: a definition generated without an old
 * {@code supervision.registration.user} would run the application as root.
 *
 * @author Supervision contributors
 */
final class MovedProperties {

	private static final String PREFIX = "supervision.registration.";

	private static final Map<String, String> MOVED = moved();

	private static final Map<ConfigurationPropertyName, String> NAMES = names();

	private MovedProperties() {
	}

	private static Map<String, String> moved() {
		Map<String, String> moved = new LinkedHashMap<>();
		for (String name : new String[] { "user", "group", "working-directory", "environment", "environment-file" }) {
			moved.put(name, "run-as." + name);
		}
		for (String name : new String[] { "restart", "autostart", "start-seconds", "start-timeout", "stop-timeout" }) {
			moved.put(name, "policy." + name);
		}
		for (String name : new String[] { "notify", "watchdog", "scope", "wanted-by" }) {
			moved.put(name, "systemd." + name);
		}
		for (String section : new String[] { "unit", "service", "install" }) {
			moved.put("systemd." + section, "systemd.directives." + section);
		}
		moved.put("log-directory", "runit.log-directory' or 'supervision.registration.supervisord.log-directory");
		moved.put("runit-scan-directory", "runit.scan-directory");
		moved.put("activate", "activation.enabled");
		moved.put("activation-timeout", "activation.timeout");
		return moved;
	}

	private static Map<ConfigurationPropertyName, String> names() {
		Map<ConfigurationPropertyName, String> names = new LinkedHashMap<>();
		MOVED.keySet().forEach((key) -> names.put(ConfigurationPropertyName.of(PREFIX + key), key));
		return names;
	}

	/**
	 * Describe the moved properties an environment still sets.
	 * @param environment the environment
	 * @return one line per moved property set, or {@code null} when none is
	 */
	static @Nullable String describe(Environment environment) {
		Set<String> found = new LinkedHashSet<>();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source instanceof IterableConfigurationPropertySource iterable) {
				iterable.stream().forEach((name) -> NAMES.forEach((old, key) -> {
					if (matches(old, name)) {
						found.add("'" + PREFIX + key + "' moved to '" + PREFIX + MOVED.get(key) + "'");
					}
				}));
			}
		}
		if (found.isEmpty()) {
			return null;
		}
		return "Registration properties moved; rename them and run again:\n  " + String.join("\n  ", found);
	}

	// Element by element, whatever the case: keys in brackets ([Service]) keep theirs
	private static boolean matches(ConfigurationPropertyName old, ConfigurationPropertyName name) {
		if (name.getNumberOfElements() < old.getNumberOfElements()) {
			return false;
		}
		for (int i = 0; i < old.getNumberOfElements(); i++) {
			if (!old.getElement(i, Form.UNIFORM).equalsIgnoreCase(name.getElement(i, Form.UNIFORM))) {
				return false;
			}
		}
		return true;
	}

}
