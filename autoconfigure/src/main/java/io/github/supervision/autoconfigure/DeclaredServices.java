package io.github.supervision.autoconfigure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.supervision.InvalidServiceNameException;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceDefinition;
import io.github.supervision.ServiceName;
import io.github.supervision.SupervisionBackend;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.StringUtils;

/**
 * The services declared in {@code supervision.services.*}, parsed once: each one's name,
 * backend and target, with its per-backend settings. The backend auto-configurations and
 * the {@link io.github.supervision.ServiceCatalog} all read them from here, so that a
 * service belongs to the same backend everywhere. A wrong declaration fails with its
 * configuration key.
 *
 * @author Supervision contributors
 */
public final class DeclaredServices {

	static final String SYSTEMD = "systemd";

	static final String RUNIT = "runit";

	static final String SUPERVISORD = "supervisord";

	static final String EMBEDDED = "embedded";

	private static final String PREFIX = "supervision.services.";

	private final List<DeclaredService> services;

	private final boolean logsEnabled;

	private DeclaredServices(List<DeclaredService> services, boolean logsEnabled) {
		this.services = Collections.unmodifiableList(services);
		this.logsEnabled = logsEnabled;
	}

	/**
	 * Parse the declared services.
	 * @param properties the properties
	 * @return the declared services
	 * @throws InvalidConfigurationPropertyValueException naming the key of a service that
	 * is declared wrongly
	 */
	public static DeclaredServices of(SupervisionProperties properties) {
		List<DeclaredService> services = new ArrayList<>();
		properties.getServices().forEach((name, service) -> services.add(parse(name, service)));
		return new DeclaredServices(services, properties.getLogs().isEnabled());
	}

	/**
	 * Return every declared service, in declaration order.
	 * @return the declared services
	 */
	public List<DeclaredService> all() {
		return this.services;
	}

	/**
	 * Return the services of one backend, in declaration order.
	 * @param backend the backend's id
	 * @return its declared services
	 */
	public List<DeclaredService> forBackend(String backend) {
		return this.services.stream().filter((service) -> service.backend().equals(backend)).toList();
	}

	/**
	 * Return the definitions of the declared services, once each target has been checked
	 * by its backend.
	 * @param backends the available backends, keyed by id
	 * @return the definitions, in declaration order
	 * @throws InvalidConfigurationPropertyValueException naming the key of a target that
	 * its backend refuses
	 */
	public List<ServiceDefinition> definitions(Map<String, SupervisionBackend> backends) {
		List<ServiceDefinition> definitions = new ArrayList<>(this.services.size());
		for (DeclaredService service : this.services) {
			SupervisionBackend backend = backends.get(service.backend());
			if (backend != null) {
				try {
					backend.validateTarget(service.target());
				}
				catch (InvalidServiceNameException ex) {
					throw new InvalidConfigurationPropertyValueException(
							service.key() + "." + targetKey(service.backend()), service.target(), ex.getMessage());
				}
			}
			definitions.add(service.definition(this.logsEnabled));
		}
		return definitions;
	}

	/**
	 * Return the backend a service declaration names or implies, without checking the
	 * rest of it: what a condition needs before the declarations are parsed.
	 * @param service the declaration
	 * @return the backend's id, or {@code null} when the declaration names none or
	 * several
	 */
	static @Nullable String backendOf(SupervisionProperties.Service service) {
		if (StringUtils.hasText(service.getBackend())) {
			return service.getBackend();
		}
		Map<String, String> targets = targets(service);
		return (targets.size() == 1) ? targets.keySet().iterator().next() : null;
	}

	private static DeclaredService parse(String name, SupervisionProperties.Service service) {
		String key = PREFIX + name;
		ServiceName serviceName = ServiceName.parse(name)
			.orElseThrow(() -> new InvalidConfigurationPropertyValueException(key, name,
					"Service names are 1 to 255 letters, digits and _ . @ : - \\, and must not start with . : - \\"));
		Map<String, String> targets = targets(service);
		String backend = backendOf(service);
		if (targets.size() > 1) {
			throw new InvalidConfigurationPropertyValueException(key, String.join(", ", targets.keySet()),
					"Set only one of 'unit', 'directory', 'program' and 'command'");
		}
		if (backend == null) {
			throw new InvalidConfigurationPropertyValueException(key + ".backend", null,
					"Set one of 'unit' (systemd), 'directory' (runit), 'program' (supervisord) or "
							+ "'command' (embedded), or set 'backend'");
		}
		if (!targets.isEmpty() && !targets.containsKey(backend)) {
			String targetKey = targets.values().iterator().next();
			throw new InvalidConfigurationPropertyValueException(key + "." + targetKey, null,
					"'" + targetKey + "' belongs to the " + targets.keySet().iterator().next() + " backend, but "
							+ "'backend' is '" + backend + "'");
		}
		return new DeclaredService(serviceName, backend, target(name, backend, service, key), service);
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
		if (EMBEDDED.equals(backend)
				&& (service.getCommand().isEmpty() || !StringUtils.hasText(service.getCommand().get(0)))) {
			throw new InvalidConfigurationPropertyValueException(key + ".command", null,
					"An embedded service needs a command: a list whose first item is the executable");
		}
		if (!StringUtils.hasText(target)) {
			throw new InvalidConfigurationPropertyValueException(key + "." + targetKey(backend), null,
					"A " + backend + " service needs '" + targetKey(backend) + "'");
		}
		return target;
	}

	static String targetKey(String backend) {
		return switch (backend) {
			case SYSTEMD -> "unit";
			case RUNIT -> "directory";
			case SUPERVISORD -> "program";
			case EMBEDDED -> "command";
			default -> "backend";
		};
	}

	/**
	 * One declared service.
	 *
	 * @param name the declared name
	 * @param backend the id of the backend that supervises it
	 * @param target the backend's own name for it
	 * @param settings the whole declaration, for the settings of its backend (an embedded
	 * command, a stop timeout)
	 */
	public record DeclaredService(ServiceName name, String backend, String target,
			SupervisionProperties.Service settings) {

		/**
		 * Return the configuration key of this service, to name in errors.
		 * @return the key, such as {@code supervision.services.web}
		 */
		public String key() {
			return PREFIX + this.name;
		}

		ServiceDefinition definition(boolean logsEnabled) {
			Set<ServiceAction> actions = this.settings.getActions();
			Boolean logs = this.settings.getLogs();
			return new ServiceDefinition(this.name, this.backend, this.target,
					(actions != null) ? actions : ServiceDefinition.DEFAULT_ACTIONS, this.settings.isCritical(),
					this.settings.getDescription(), (logs != null) ? logs : logsEnabled);
		}

	}

}
