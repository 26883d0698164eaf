package io.github.supervision.supervisord;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the mapping of supervisord's process info to {@link ServiceStatus}.
 */
class ProcessInfosTests {

	private static Map<String, Object> info(String name, String group, String state, int pid, int exitStatus) {
		Map<String, Object> info = new HashMap<>();
		info.put("name", name);
		info.put("group", group);
		info.put("statename", state);
		info.put("pid", pid);
		info.put("start", 1_700_000_000);
		info.put("stop", (pid > 0) ? 0 : 1_700_000_100);
		info.put("exitstatus", exitStatus);
		info.put("spawnerr", "");
		info.put("description", (pid > 0) ? "pid " + pid + ", uptime 0:01:00" : "Not started");
		return info;
	}

	@Test
	void mapsEveryRawStateToANormalizedState() {
		assertThat(SupervisordBackend.ProcessInfos.state("STOPPED", 0)).isEqualTo(ServiceState.STOPPED);
		assertThat(SupervisordBackend.ProcessInfos.state("STARTING", 0)).isEqualTo(ServiceState.STARTING);
		assertThat(SupervisordBackend.ProcessInfos.state("RUNNING", 0)).isEqualTo(ServiceState.RUNNING);
		assertThat(SupervisordBackend.ProcessInfos.state("BACKOFF", 1)).isEqualTo(ServiceState.STARTING);
		assertThat(SupervisordBackend.ProcessInfos.state("STOPPING", 0)).isEqualTo(ServiceState.STOPPING);
		assertThat(SupervisordBackend.ProcessInfos.state("EXITED", 0)).isEqualTo(ServiceState.STOPPED);
		assertThat(SupervisordBackend.ProcessInfos.state("EXITED", 2)).isEqualTo(ServiceState.FAILED);
		assertThat(SupervisordBackend.ProcessInfos.state("FATAL", 0)).isEqualTo(ServiceState.FAILED);
		assertThat(SupervisordBackend.ProcessInfos.state("UNKNOWN", 0)).isEqualTo(ServiceState.UNKNOWN);
		assertThat(SupervisordBackend.ProcessInfos.state("SOMETHING_NEW", 0)).isEqualTo(ServiceState.UNKNOWN);
	}

	@Test
	void mapsARunningProgram() {
		ServiceStatus status = SupervisordBackend.ProcessInfos.toStatus(info("web", "web", "RUNNING", 42, 0));
		assertThat(status.target()).isEqualTo("web");
		assertThat(status.pid()).isEqualTo(42L);
		assertThat(status.since()).isEqualTo(Instant.ofEpochSecond(1_700_000_000));
		assertThat(status.exitStatus()).isNull();
		assertThat(status.description()).isEqualTo("pid 42, uptime 0:01:00");
		assertThat(status.message()).isNull();
	}

	@Test
	void mapsAFailedProgramOfAGroup() {
		Map<String, Object> info = info("worker-1", "pool", "FATAL", 0, 3);
		info.put("spawnerr", "Exited too quickly (process log may have details)");
		ServiceStatus status = SupervisordBackend.ProcessInfos.toStatus(info);
		assertThat(status.target()).isEqualTo("pool:worker-1");
		assertThat(status.state()).isEqualTo(ServiceState.FAILED);
		assertThat(status.pid()).isNull();
		assertThat(status.since()).isEqualTo(Instant.ofEpochSecond(1_700_000_100));
		assertThat(status.exitStatus()).isEqualTo(3);
		assertThat(status.message()).startsWith("Exited too quickly");
		assertThat(status.details()).containsEntry("group", "pool");
	}

}
