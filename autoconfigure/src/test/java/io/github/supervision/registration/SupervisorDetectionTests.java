package io.github.supervision.registration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import io.github.supervision.registration.SupervisorDetection.Supervised;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SupervisorDetection}'s parsing. The real supervisors are detected by
 * the stand-in application in {@link SupervisordRegistrationTests},
 * {@link RunitRegistrationTests} and {@link SystemdSandboxRegistrationTests}.
 *
 * @author Supervision contributors
 */
class SupervisorDetectionTests {

	@TempDir
	Path temp;

	@Test
	void recognisesSupervisordAndItsGroups() {
		Path none = this.temp.resolve("none");
		assertThat(SupervisorDetection.detect(
				Map.of("SUPERVISOR_ENABLED", "1", "SUPERVISOR_PROCESS_NAME", "web", "SUPERVISOR_GROUP_NAME", "web"),
				none, Optional.empty()))
			.contains(new Supervised(Supervisor.SUPERVISORD, "web"));
		assertThat(SupervisorDetection.detect(
				Map.of("SUPERVISOR_ENABLED", "1", "SUPERVISOR_PROCESS_NAME", "web-1", "SUPERVISOR_GROUP_NAME", "web"),
				none, Optional.empty()))
			.contains(new Supervised(Supervisor.SUPERVISORD, "web:web-1"));
	}

	@Test
	void recognisesASystemdServiceFromItsCgroup() throws Exception {
		Path cgroup = Files.writeString(this.temp.resolve("cgroup"), "0::/system.slice/orders.service\n");
		assertThat(SupervisorDetection.detect(Map.of("INVOCATION_ID", "abc"), cgroup, Optional.empty()))
			.contains(new Supervised(Supervisor.SYSTEMD, "orders"));
		Path user = Files.writeString(this.temp.resolve("user"),
				"0::/user.slice/user-1000.slice/user@1000.service/app.slice/orders.service\n");
		assertThat(SupervisorDetection.detect(Map.of("INVOCATION_ID", "abc"), user, Optional.empty()))
			.contains(new Supervised(Supervisor.SYSTEMD, "orders"));
	}

	@Test
	void recognisesNothingElse() throws Exception {
		Path cgroup = Files.writeString(this.temp.resolve("cgroup"), "0::/user.slice/session-1.scope\n");
		assertThat(SupervisorDetection.detect(Map.of(), cgroup, ProcessHandle.current().parent())).isEmpty();
		assertThat(SupervisorDetection.detect(Map.of("INVOCATION_ID", "abc"), cgroup, Optional.empty())).isEmpty();
	}

}
