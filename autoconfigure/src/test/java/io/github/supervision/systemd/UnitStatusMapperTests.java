package io.github.supervision.systemd;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link UnitStatusMapper}; the real mapping is checked against systemd in
 * {@link SystemdBackendTests}.
 *
 * @author Supervision contributors
 */
class UnitStatusMapperTests {

	@ParameterizedTest
	@CsvSource(textBlock = """
			loaded,    active,       running,      RUNNING
			loaded,    active,       exited,       RUNNING
			loaded,    reloading,    reload,       RELOADING
			loaded,    activating,   start,        STARTING
			loaded,    activating,   auto-restart, STARTING
			loaded,    deactivating, stop-sigterm, STOPPING
			loaded,    inactive,     dead,         STOPPED
			loaded,    failed,       failed,       FAILED
			masked,    inactive,     dead,         STOPPED
			not-found, inactive,     dead,         UNKNOWN
			error,     inactive,     dead,         FAILED
			bad-setting, inactive,   dead,         FAILED
			loaded,    whatever,     dead,         UNKNOWN
			""")
	void mapsStates(String load, String active, String sub, ServiceState expected) {
		assertThat(UnitStatusMapper.state(load, active, sub)).isEqualTo(expected);
	}

	@Test
	void mapsARunningService() {
		Map<String, Object> properties = new HashMap<>();
		properties.put("LoadState", "loaded");
		properties.put("ActiveState", "active");
		properties.put("SubState", "running");
		properties.put("Description", "Web server");
		properties.put("MainPID", 42L);
		properties.put("NRestarts", 3L);
		properties.put("ActiveEnterTimestamp", 1_700_000_000_123_456L);
		properties.put("ExecMainCode", 1);
		properties.put("ExecMainStatus", 2);
		properties.put("UnitFileState", "enabled");
		ServiceStatus status = UnitStatusMapper.toStatus("web.service", properties);
		assertThat(status.name()).isEqualTo("web.service");
		assertThat(status.state()).isEqualTo(ServiceState.RUNNING);
		assertThat(status.rawState()).isEqualTo("active/running");
		assertThat(status.pid()).isEqualTo(42L);
		assertThat(status.restarts()).isEqualTo(3);
		assertThat(status.exitStatus()).isEqualTo(2);
		assertThat(status.since()).isEqualTo(Instant.ofEpochSecond(1_700_000_000L, 123_456_000L));
		assertThat(status.details()).containsEntry("unitFileState", "enabled").containsEntry("exitCode", "exited");
		assertThat(status.message()).isNull();
	}

	@Test
	void hidesThePidOfAStoppedServiceAndExplainsAFailedCondition() {
		Map<String, Object> properties = new HashMap<>();
		properties.put("LoadState", "loaded");
		properties.put("ActiveState", "inactive");
		properties.put("SubState", "dead");
		properties.put("MainPID", 42L);
		properties.put("ConditionResult", false);
		properties.put("ConditionTimestamp", 1_700_000_000_000_000L);
		ServiceStatus status = UnitStatusMapper.toStatus("cond.service", properties);
		assertThat(status.pid()).isNull();
		assertThat(status.exitStatus()).isNull();
		assertThat(status.message()).contains("Condition");
		assertThat(status.details()).containsEntry("conditionResult", "false");
	}

	@Test
	void explainsAMissingUnit() {
		ServiceStatus status = UnitStatusMapper.toStatus("nope.service",
				Map.of("LoadState", "not-found", "ActiveState", "inactive", "SubState", "dead"));
		assertThat(status.state()).isEqualTo(ServiceState.UNKNOWN);
		assertThat(status.message()).contains("no unit named 'nope.service'");
	}

}
