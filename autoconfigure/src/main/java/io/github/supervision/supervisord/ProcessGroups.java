package io.github.supervision.supervisord;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import org.jspecify.annotations.Nullable;

/**
 * A whole supervisord group declared as one service, {@code group:*}: its status is
 * worked out from its members'. The group is {@code running} only when every member runs;
 * any member that failed ({@code FATAL}, or {@code EXITED} with a non-zero status) makes
 * it {@code failed}; otherwise any member {@code starting} (or in {@code BACKOFF}) makes
 * it {@code starting}, any member {@code stopping} makes it {@code stopping}, and a group
 * none of whose members runs is {@code stopped}. A group some of whose members run while
 * the others are stopped is {@code failed}, with the raw state {@code PARTIAL}: it is not
 * what a start or a stop of the group leaves. The members are listed in the details.
 *
 * @author Supervision contributors
 */
final class ProcessGroups {

	private static final String ALL = ":*";

	private ProcessGroups() {
	}

	/**
	 * Whether a target names a whole group.
	 * @param target the target
	 * @return whether it is {@code group:*}
	 */
	static boolean isGroup(String target) {
		return target.endsWith(ALL);
	}

	/**
	 * Return the group a {@code group:*} target names.
	 * @param target the target
	 * @return the group's name
	 */
	static String groupOf(String target) {
		return target.substring(0, target.length() - ALL.length());
	}

	/**
	 * Work out a group's status from its members'.
	 * @param target the {@code group:*} target
	 * @param members the members' statuses, in name order
	 * @return the group's status, or {@code null} when it has no members
	 */
	static @Nullable ServiceStatus status(String target, List<ServiceStatus> members) {
		if (members.isEmpty()) {
			return null;
		}
		long running = members.stream().filter((member) -> member.state() == ServiceState.RUNNING).count();
		ServiceState state;
		String rawState;
		if (members.stream().anyMatch((member) -> member.state() == ServiceState.FAILED)) {
			state = ServiceState.FAILED;
			rawState = "FAILED";
		}
		else if (running == members.size()) {
			state = ServiceState.RUNNING;
			rawState = "RUNNING";
		}
		else if (members.stream().anyMatch((member) -> member.state() == ServiceState.STARTING)) {
			state = ServiceState.STARTING;
			rawState = "STARTING";
		}
		else if (members.stream().anyMatch((member) -> member.state() == ServiceState.STOPPING)) {
			state = ServiceState.STOPPING;
			rawState = "STOPPING";
		}
		else if (running == 0) {
			state = ServiceState.STOPPED;
			rawState = "STOPPED";
		}
		else {
			state = ServiceState.FAILED;
			rawState = "PARTIAL";
		}
		Map<String, String> details = new LinkedHashMap<>();
		details.put("group", groupOf(target));
		details.put("members",
				members.stream()
					.map((member) -> member.target() + " " + member.rawState()
							+ ((member.pid() != null) ? " (pid " + member.pid() + ")" : ""))
					.collect(Collectors.joining(", ")));
		Instant since = members.stream()
			.map(ServiceStatus::since)
			.filter(Objects::nonNull)
			.max(Instant::compareTo)
			.orElse(null);
		String message = (state == ServiceState.RUNNING) ? null
				: running + " of " + members.size() + " members of group '" + groupOf(target) + "' run";
		return new ServiceStatus(target, SupervisordBackend.ID, target, state, rawState, null, since, null, null, null,
				message, details);
	}

}
