package io.github.supervision.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.supervision.InvalidServiceNameException;
import io.github.supervision.ServiceDefinition;
import io.github.supervision.ServiceNames;
import io.github.supervision.SupervisionBackend;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.StringUtils;

/**
 * Turns the declared {@code supervision.services.*} into {@link ServiceDefinition}s,
 * inferring each service's backend and failing with the offending key when the
 * configuration is wrong.
 *
 * @author Supervision contributors
 */
final class ServiceDefinitions {

	static final String SYSTEMD = "systemd";

	static final String RUNIT = "runit";

	static final String SUPERVISORD = "supervisord";

	static final String EMBEDDED = "embedded";

	private static final String PREFIX = "supervision.services.";

	private ServiceDefinitions() {
	}

	/**
	 * Build the definitions of the declared services.
	 * @param properties the properties
	 * @param backends the available backends, keyed by id, to validate targets with
	 * @return the definitions in declaration order
	 * @throws InvalidConfigurationPropertyValueException if a service is declared wrongly
	 */
	static List<ServiceDefinition> of(SupervisionProperties properties, Map<String, SupervisionBackend> backends) {
		List<ServiceDefinition> definitions = new ArrayList<>();
		properties.getServices().forEach((name, service) -> definitions.add(of(name, service, backends)));
		return definitions;
	}

	static ServiceDefinition of(String name, SupervisionProperties.Service service,
			Map<String, SupervisionBackend> backends) {
		String key = PREFIX + name;
		if (!ServiceNames.isValid(name)) {
			throw new InvalidConfigurationPropertyValueException(key, name,
					"Service names are 1 to 255 letters, digits and _ . @ : - \\, and must not start with . : - \\");
		}
		Map<String, String> targets = targets(service);
		String backend = service.getBackend();
		if (targets.size() > 1) {
			throw new InvalidConfigurationPropertyValueException(key, String.join(", ", targets.keySet()),
					"Set only one of 'unit', 'directory', 'program' and 'command'");
		}
		if (!StringUtils.hasText(backend)) {
			if (targets.isEmpty()) {
				throw new InvalidConfigurationPropertyValueException(key + ".backend", null,
						"Set one of 'unit' (systemd), 'directory' (runit), 'program' (supervisord) or "
								+ "'command' (embedded), or set 'backend'");
			}
			backend = targets.keySet().iterator().next();
		}
		else if (!targets.isEmpty() && !targets.containsKey(backend)) {
			String targetKey = targets.values().iterator().next();
			throw new InvalidConfigurationPropertyValueException(key + "." + targetKey, null,
					"'" + targetKey + "' belongs to the " + targets.keySet().iterator().next() + " backend, but "
							+ "'backend' is '" + backend + "'");
		}
		String target = target(name, backend, service, key);
		SupervisionBackend supervisionBackend = backends.get(backend);
		if (supervisionBackend != null) {
			try {
				supervisionBackend.validateTarget(target);
			}
			catch (InvalidServiceNameException ex) {
				throw new InvalidConfigurationPropertyValueException(key + "." + targetKey(backend), target,
						ex.getMessage());
			}
		}
		return new ServiceDefinition(name, backend, target, service.getActions(), service.isCritical(),
				service.getDescription());
	}

	private static Map<String, String> targets(SupervisionProperties.Service service) {
		Map<String, String> targets = new LinkedHashMap<>();
		if (StringUtils.hasText(service.getUnit())) {
			targets.put(SYSTEMD, "unit");
		}
		if (StringUtils.hasText(service.getDirectory())) {
			targets.put(RUNIT, "directory");
		}
		if (StringUtils.hasText(service.getProgram())) {
			targets.put(SUPERVISORD, "program");
		}
		if (!service.getCommand().isEmpty()) {
			targets.put(EMBEDDED, "command");
		}
		return targets;
	}

	private static String target(String name, String backend, SupervisionProperties.Service service, String key) {
		String target = switch (backend) {
			case SYSTEMD -> service.getUnit();
			case RUNIT -> service.getDirectory();
			case SUPERVISORD -> service.getProgram();
			default -> name;
		};
		if (EMBEDDED.equals(backend) && service.getCommand().isEmpty()) {
			throw new InvalidConfigurationPropertyValueException(key + ".command", null,
					"An embedded service needs a command");
		}
		if (!StringUtils.hasText(target)) {
			throw new InvalidConfigurationPropertyValueException(key + "." + targetKey(backend), null,
					"A " + backend + " service needs '" + targetKey(backend) + "'");
		}
		return target;
	}

	private static String targetKey(@Nullable String backend) {
		if (backend == null) {
			return "backend";
		}
		return switch (backend) {
			case SYSTEMD -> "unit";
			case RUNIT -> "directory";
			case SUPERVISORD -> "program";
			case EMBEDDED -> "command";
			default -> "backend";
		};
	}

}
