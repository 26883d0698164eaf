package io.github.supervision.supervisord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.supervision.ServiceStatus;
import org.jspecify.annotations.Nullable;

/**
 * Holds the statuses of one {@code getAllProcessInfo} answer, keyed by full name
 * ({@code group:name}) and, for a program alone in its own group, by its short name.
 */
record ProcessSnapshot(long takenAt, Map<String, ServiceStatus> byName, List<ServiceStatus> all) {

	static ProcessSnapshot of(List<ProcessInfo> infos) {
		Map<String, ServiceStatus> byName = new LinkedHashMap<>();
		List<ServiceStatus> all = new ArrayList<>(infos.size());
		for (ProcessInfo info : infos) {
			ServiceStatus status = ProcessInfoMapper.toStatus(info);
			all.add(status);
			byName.put(status.target(), status);
			byName.putIfAbsent(info.fullName(), status);
		}
		all.sort(Comparator.comparing(ServiceStatus::target));
		return new ProcessSnapshot(System.nanoTime(), byName, List.copyOf(all));
	}

	ProcessSnapshot stale() {
		return new ProcessSnapshot(System.nanoTime() - TimeUnit.DAYS.toNanos(1), this.byName, this.all);
	}

	boolean isFresh(Duration pollInterval) {
		return System.nanoTime() - this.takenAt < pollInterval.toNanos();
	}

	@Nullable ServiceStatus find(String target) {
		if (ProcessGroups.isGroup(target)) {
			// a program alone in a group of its own name goes by that name
			String group = ProcessGroups.groupOf(target);
			return ProcessGroups.status(target,
					this.all.stream()
						.filter((status) -> status.target().startsWith(group + ":") || status.target().equals(group))
						.toList());
		}
		return this.byName.get(target);
	}

}
