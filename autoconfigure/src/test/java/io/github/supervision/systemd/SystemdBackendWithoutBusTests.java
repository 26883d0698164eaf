package io.github.supervision.systemd;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.github.supervision.BackendUnavailableException;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link SystemdBackend} when no bus can be reached.
 *
 * @author Supervision contributors
 */
class SystemdBackendWithoutBusTests {

	private static final String NO_BUS = "unix:path=/nonexistent/supervision/system_bus_socket";

	@Test
	void constructsWithoutTouchingTheBusAndReportsWhyItIsUnavailable() {
		try (SystemdBackend backend = new SystemdBackend(SystemdOptions.forAddress(NO_BUS))) {
			assertThat(backend.availability().available()).isFalse();
			long start = System.nanoTime();
			Map<String, ServiceStatus> statuses = backend.status(List.of("a.service", "b.service"),
					Duration.ofSeconds(5));
			assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(3000);
			assertThat(statuses.values()).allSatisfy((status) -> {
				assertThat(status.state()).isEqualTo(ServiceState.UNKNOWN);
				assertThat(status.message()).contains("Cannot reach systemd").contains(NO_BUS);
			});
			assertThat(backend.availability().available()).isFalse();
			assertThat(backend.availability().reason()).contains(NO_BUS);
		}
	}

	@Test
	void refusesActionsWithBackendUnavailable() {
		try (SystemdBackend backend = new SystemdBackend(SystemdOptions.forAddress(NO_BUS))) {
			assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> backend.perform("a.service", ServiceAction.START, Duration.ofSeconds(5))
					.get(6, TimeUnit.SECONDS))
				.withCauseInstanceOf(BackendUnavailableException.class);
		}
	}

	@Test
	void rejectsWaitsThatWouldRetryAMissingBusInATightLoop() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new SystemdOptions(NO_BUS, SystemdScope.SYSTEM, List.of(), null, Duration.ZERO, null))
			.withMessageContaining("reconnectMinBackoff");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new SystemdOptions(NO_BUS, SystemdScope.SYSTEM, List.of(), null, Duration.ofSeconds(1),
					Duration.ofMillis(10)))
			.withMessageContaining("reconnectMaxBackoff");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new SystemdOptions(NO_BUS, SystemdScope.SYSTEM, List.of(), Duration.ZERO, null, null))
			.withMessageContaining("connectTimeout");
	}

	@Test
	void resolvesTheDefaultBusAddress() {
		SystemdOptions system = SystemdOptions.defaults();
		assertThat(system.resolveAddress(Map.of())).isEqualTo("unix:path=/run/dbus/system_bus_socket");
		assertThat(system.resolveAddress(Map.of("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/x"))).isEqualTo("unix:path=/x");
		SystemdOptions user = new SystemdOptions(null, SystemdScope.USER, List.of(), null, null, null);
		assertThat(user.resolveAddress(Map.of("XDG_RUNTIME_DIR", "/run/user/1000")))
			.isEqualTo("unix:path=/run/user/1000/bus");
		assertThat(user.resolveAddress(Map.of("DBUS_SESSION_BUS_ADDRESS", "unix:path=/y"))).isEqualTo("unix:path=/y");
		assertThat(SystemdOptions.forAddress("unix:path=/z").resolveAddress(Map.of("DBUS_SYSTEM_BUS_ADDRESS", "x")))
			.isEqualTo("unix:path=/z");
	}

}
