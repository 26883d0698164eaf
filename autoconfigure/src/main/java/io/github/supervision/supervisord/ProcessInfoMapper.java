package io.github.supervision.supervisord;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;

/**
 * Maps a supervisord {@link ProcessInfo} to a {@link ServiceStatus}: a pure function, so
 * that the mapping of every state is tested without a daemon.
 */
final class ProcessInfoMapper {

	private ProcessInfoMapper() {
	}

	static ServiceStatus toStatus(ProcessInfo info) {
		String name = info.name();
		String group = info.group();
		String target = (group.isEmpty() || group.equals(name)) ? name : group + ":" + name;
		String rawState = info.statename().isEmpty() ? "UNKNOWN" : info.statename();
		int start = info.start();
		int stop = info.stop();
		int pid = info.pid();
		Instant since = switch (rawState) {
			case "RUNNING", "STARTING", "BACKOFF" -> (start > 0) ? Instant.ofEpochSecond(start) : null;
			case "STOPPED", "EXITED", "FATAL" -> (stop > 0) ? Instant.ofEpochSecond(stop) : null;
			default -> null;
		};
		Map<String, String> details = new LinkedHashMap<>();
		details.put("group", group);
		details.put("stdoutLogfile", info.stdoutLogfile());
		details.put("stderrLogfile", info.stderrLogfile());
		return new ServiceStatus(target, SupervisordBackend.ID, target, state(rawState, info.exitstatus()), rawState,
				(pid > 0) ? (long) pid : null, since, null, (stop > 0) ? info.exitstatus() : null,
				info.description().isEmpty() ? null : info.description(),
				info.spawnerr().isEmpty() ? null : info.spawnerr(), details);
	}

	static ServiceState state(String rawState, int exitStatus) {
		return switch (rawState) {
			case "RUNNING" -> ServiceState.RUNNING;
			case "STARTING", "BACKOFF" -> ServiceState.STARTING;
			case "STOPPING" -> ServiceState.STOPPING;
			case "STOPPED" -> ServiceState.STOPPED;
			case "EXITED" -> (exitStatus == 0) ? ServiceState.STOPPED : ServiceState.FAILED;
			case "FATAL" -> ServiceState.FAILED;
			default -> ServiceState.UNKNOWN;
		};
	}

}
