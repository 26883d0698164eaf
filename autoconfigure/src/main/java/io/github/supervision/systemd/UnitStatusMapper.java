package io.github.supervision.systemd;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import org.jspecify.annotations.Nullable;

/**
 * Turns a unit's D-Bus properties into our {@link ServiceStatus}.
 *
 * @author Supervision contributors
 */
final class UnitStatusMapper {

	/**
	 * The unit and service properties the backend keeps; the others in a {@code GetAll}
	 * reply are dropped.
	 */
	static final Set<String> KEPT = Set.of("Id", "Description", "LoadState", "ActiveState", "SubState", "UnitFileState",
			"ActiveEnterTimestamp", "StateChangeTimestamp", "ConditionResult", "ConditionTimestamp", "MainPID",
			"NRestarts", "ExecMainStatus", "ExecMainCode", "Result", "StatusText", "FragmentPath");

	private UnitStatusMapper() {
	}

	static ServiceStatus toStatus(String target, Map<String, Object> properties) {
		String load = string(properties, "LoadState");
		String active = string(properties, "ActiveState");
		String sub = string(properties, "SubState");
		ServiceState state = state(load, active, sub);
		String raw = (active.isEmpty() ? "unknown" : active) + (sub.isEmpty() ? "" : "/" + sub);
		long mainPid = number(properties, "MainPID");
		Long pid = (mainPid > 0 && state != ServiceState.STOPPED && state != ServiceState.FAILED) ? mainPid : null;
		long timestamp = "active".equals(active) ? number(properties, "ActiveEnterTimestamp")
				: number(properties, "StateChangeTimestamp");
		Instant since = (timestamp > 0) ? Instant.ofEpochSecond(timestamp / 1_000_000, (timestamp % 1_000_000) * 1000)
				: null;
		Integer restarts = properties.containsKey("NRestarts") ? (int) number(properties, "NRestarts") : null;
		long code = number(properties, "ExecMainCode");
		Integer exitStatus = (code != 0) ? (int) number(properties, "ExecMainStatus") : null;
		String description = string(properties, "Description");
		Map<String, String> details = new LinkedHashMap<>();
		put(details, "loadState", load);
		put(details, "activeState", active);
		put(details, "subState", sub);
		put(details, "unitFileState", string(properties, "UnitFileState"));
		put(details, "result", string(properties, "Result"));
		put(details, "statusText", string(properties, "StatusText"));
		put(details, "exitCode", exitCode(code));
		if (conditionFailed(properties)) {
			details.put("conditionResult", "false");
		}
		return new ServiceStatus(target, SystemdBackend.ID, target, state, raw, pid, since, restarts, exitStatus,
				description.isEmpty() ? null : description, message(target, state, load, properties), details);
	}

	static ServiceState state(String load, String active, String sub) {
		if ("not-found".equals(load)) {
			return ServiceState.UNKNOWN;
		}
		if ("error".equals(load) || "bad-setting".equals(load)) {
			return ServiceState.FAILED;
		}
		return switch (active) {
			case "active" -> "reload".equals(sub) ? ServiceState.RELOADING : ServiceState.RUNNING;
			case "reloading" -> ServiceState.RELOADING;
			case "activating" -> ServiceState.STARTING;
			case "deactivating" -> ServiceState.STOPPING;
			case "inactive", "maintenance" -> ServiceState.STOPPED;
			case "failed" -> ServiceState.FAILED;
			default -> ServiceState.UNKNOWN;
		};
	}

	static boolean conditionFailed(Map<String, Object> properties) {
		Object result = properties.get("ConditionResult");
		return number(properties, "ConditionTimestamp") > 0 && Boolean.FALSE.equals(result);
	}

	private static @Nullable String message(String target, ServiceState state, String load,
			Map<String, Object> properties) {
		if ("not-found".equals(load)) {
			return "systemd has no unit named '" + target + "' (no unit file found)";
		}
		if ("masked".equals(load)) {
			return "The unit is masked: it cannot be started until it is unmasked ('systemctl unmask " + target + "')";
		}
		if ("error".equals(load) || "bad-setting".equals(load)) {
			return "systemd could not load the unit file (load state " + load + "); see 'systemctl status " + target
					+ "'";
		}
		if (state == ServiceState.FAILED) {
			String result = string(properties, "Result");
			return "The unit failed" + (result.isEmpty() ? "" : " (result " + result + ")") + "; see 'journalctl -u "
					+ target + "'";
		}
		if (state == ServiceState.STOPPED && conditionFailed(properties)) {
			return "A Condition...= setting of the unit was not met, so systemd did not start it";
		}
		return null;
	}

	private static @Nullable String exitCode(long code) {
		return switch ((int) code) {
			case 1 -> "exited";
			case 2 -> "killed";
			case 3 -> "dumped";
			default -> null;
		};
	}

	private static void put(Map<String, String> details, String key, @Nullable String value) {
		if (value != null && !value.isEmpty()) {
			details.put(key, value);
		}
	}

	static String string(Map<String, Object> properties, String name) {
		Object value = properties.get(name);
		return (value != null) ? value.toString() : "";
	}

	static long number(Map<String, Object> properties, String name) {
		Object value = properties.get(name);
		return (value instanceof Number number) ? number.longValue() : 0;
	}

}
