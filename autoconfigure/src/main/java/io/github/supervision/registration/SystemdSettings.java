package io.github.supervision.registration;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.supervision.systemd.SystemdScope;
import org.jspecify.annotations.Nullable;

/**
 * What only a systemd unit carries: sd_notify and the watchdog, the manager the unit
 * belongs to, the targets that want it, and directives written as they are given.
 *
 * @param sdNotify whether the application reports readiness with sd_notify (systemd
 * {@code Type=notify})
 * @param watchdog watchdog interval, or {@code null} for none
 * @param scope whether the unit belongs to the system or a user manager
 * @param wantedBy targets that want the unit; empty for the scope's default target
 * @param directives directives added to or replacing the generated ones, by section
 * ({@code Unit}, {@code Service}, {@code Install}) and directive name; a list value
 * writes the directive once per element, an empty list removes it
 * @author Supervision contributors
 */
public record SystemdSettings(boolean sdNotify, @Nullable Duration watchdog, SystemdScope scope, List<String> wantedBy,
		Map<String, Map<String, List<String>>> directives) {

	/**
	 * Prefix of the properties the settings come from, named in errors.
	 */
	static final String PREFIX = RegistrationSpec.REGISTRATION_PREFIX + "systemd.";

	/**
	 * The defaults: no sd_notify, no watchdog, the system manager, its default target, no
	 * directives.
	 */
	public static final SystemdSettings DEFAULT = new SystemdSettings(false, null, SystemdScope.SYSTEM, List.of(),
			Map.of());

	/**
	 * Validate and copy the components.
	 * @param sdNotify whether sd_notify is used
	 * @param watchdog watchdog interval or {@code null}
	 * @param scope the manager's scope
	 * @param wantedBy wanting targets
	 * @param directives directive overrides
	 */
	public SystemdSettings {
		SupervisionPolicy.positive(PREFIX + "watchdog", watchdog);
		if (scope == null) {
			throw new RegistrationException(PREFIX + "scope", "must be set");
		}
		wantedBy = List.copyOf(wantedBy);
		wantedBy.forEach((target) -> Values.text(PREFIX + "wanted-by", target));
		Map<String, Map<String, List<String>>> copy = new LinkedHashMap<>();
		directives.forEach((section, values) -> {
			Map<String, List<String>> sectionCopy = new LinkedHashMap<>();
			values.forEach((directive, list) -> sectionCopy.put(directive, List.copyOf(list)));
			copy.put(section, Collections.unmodifiableMap(sectionCopy));
		});
		directives = Collections.unmodifiableMap(copy);
	}

}
