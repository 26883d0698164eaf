package io.github.supervision.supervisord;

import java.time.Instant;

import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ProcessInfoMapper}: supervisord's process info to
 * {@link ServiceStatus}, without a daemon.
 */
class ProcessInfoMapperTests {

	private static ProcessInfo info(String name, String group, String state, int pid, int exitStatus,
			String spawnError) {
		return new ProcessInfo(name, group, (pid > 0) ? "pid " + pid + ", uptime 0:01:00" : "Not started",
				1_700_000_000, (pid > 0) ? 0 : 1_700_000_100, 1_700_000_200, 0, state, spawnError, exitStatus,
				"/var/log/" + name + ".log", "/var/log/" + name + ".log", "/var/log/" + name + ".err", pid);
	}

	@Test
	void mapsEveryRawStateToANormalizedState() {
		assertThat(ProcessInfoMapper.state("STOPPED", 0)).isEqualTo(ServiceState.STOPPED);
		assertThat(ProcessInfoMapper.state("STARTING", 0)).isEqualTo(ServiceState.STARTING);
		assertThat(ProcessInfoMapper.state("RUNNING", 0)).isEqualTo(ServiceState.RUNNING);
		assertThat(ProcessInfoMapper.state("BACKOFF", 1)).isEqualTo(ServiceState.STARTING);
		assertThat(ProcessInfoMapper.state("STOPPING", 0)).isEqualTo(ServiceState.STOPPING);
		assertThat(ProcessInfoMapper.state("EXITED", 0)).isEqualTo(ServiceState.STOPPED);
		assertThat(ProcessInfoMapper.state("EXITED", 2)).isEqualTo(ServiceState.FAILED);
		assertThat(ProcessInfoMapper.state("FATAL", 0)).isEqualTo(ServiceState.FAILED);
		assertThat(ProcessInfoMapper.state("UNKNOWN", 0)).isEqualTo(ServiceState.UNKNOWN);
		assertThat(ProcessInfoMapper.state("SOMETHING_NEW", 0)).isEqualTo(ServiceState.UNKNOWN);
	}

	@Test
	void mapsARunningProgram() {
		ServiceStatus status = ProcessInfoMapper.toStatus(info("web", "web", "RUNNING", 42, 0, ""));
		assertThat(status.target()).isEqualTo("web");
		assertThat(status.backend()).isEqualTo(SupervisordBackend.ID);
		assertThat(status.state()).isEqualTo(ServiceState.RUNNING);
		assertThat(status.rawState()).isEqualTo("RUNNING");
		assertThat(status.pid()).isEqualTo(42L);
		assertThat(status.since()).isEqualTo(Instant.ofEpochSecond(1_700_000_000));
		assertThat(status.exitStatus()).isNull();
		assertThat(status.description()).isEqualTo("pid 42, uptime 0:01:00");
		assertThat(status.message()).isNull();
		assertThat(status.details()).containsEntry("stdoutLogfile", "/var/log/web.log")
			.containsEntry("stderrLogfile", "/var/log/web.err");
	}

	@Test
	void mapsAFailedProgramOfAGroup() {
		ServiceStatus status = ProcessInfoMapper
			.toStatus(info("worker-1", "pool", "FATAL", 0, 3, "Exited too quickly (process log may have details)"));
		assertThat(status.target()).isEqualTo("pool:worker-1");
		assertThat(status.state()).isEqualTo(ServiceState.FAILED);
		assertThat(status.pid()).isNull();
		assertThat(status.since()).isEqualTo(Instant.ofEpochSecond(1_700_000_100));
		assertThat(status.exitStatus()).isEqualTo(3);
		assertThat(status.message()).startsWith("Exited too quickly");
		assertThat(status.details()).containsEntry("group", "pool");
	}

	@Test
	void mapsAProgramThatExitedCleanlyAsStopped() {
		ServiceStatus status = ProcessInfoMapper.toStatus(info("job", "job", "EXITED", 0, 0, ""));
		assertThat(status.state()).isEqualTo(ServiceState.STOPPED);
		assertThat(status.exitStatus()).isZero();
		assertThat(status.since()).isEqualTo(Instant.ofEpochSecond(1_700_000_100));
	}

	@Test
	void mapsAProcessInfoWithoutAStateNameAsUnknownWithNoTimes() {
		ServiceStatus status = ProcessInfoMapper
			.toStatus(new ProcessInfo("odd", "", "", 0, 0, 0, 0, "", "", 0, "", "", "", 0));
		assertThat(status.target()).isEqualTo("odd");
		assertThat(status.state()).isEqualTo(ServiceState.UNKNOWN);
		assertThat(status.rawState()).isEqualTo("UNKNOWN");
		assertThat(status.pid()).isNull();
		assertThat(status.since()).isNull();
		assertThat(status.exitStatus()).isNull();
		assertThat(status.description()).isNull();
	}

}
