package io.github.supervision.systemd;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import io.github.supervision.testsupport.RealDaemonTest;
import io.github.supervision.testsupport.SystemdSandbox;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests that {@link SystemdBackend} recovers by itself when the bus drops or is not there
 * yet, against a real systemd booted in a private namespace (one per test).
 *
 * @author Supervision contributors
 */
@RealDaemonTest
class SystemdReconnectTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final int MANY = 200;

	@Test
	void unitsWhosePropertiesWereLoadingWhenTheBusDroppedAreBackSoonAfterTheBusReturns() throws Exception {
		List<String> units = IntStream.range(0, MANY).mapToObj((i) -> "many-" + i + ".service").toList();
		try (SystemdSandbox sandbox = SystemdSandbox.create()) {
			units.forEach((unit) -> sandbox.unit(unit, service(unit)));
			sandbox.start();
			List<String> start = new ArrayList<>(List.of("start"));
			start.addAll(units);
			systemctl(sandbox, start.toArray(String[]::new));
			try (SystemdBackend backend = new SystemdBackend(SystemdOptions.forAddress(sandbox.busAddress()))) {
				assertThat(backend.status(List.of(SystemdSandbox.TARGET), TIMEOUT).get(SystemdSandbox.TARGET).state())
					.isEqualTo(ServiceState.RUNNING);
				CompletableFuture<Map<String, ServiceStatus>> reading;
				// a stopped systemd leaves every call unanswered in the bus when it dies
				sandbox.suspend();
				try {
					reading = CompletableFuture.supplyAsync(() -> backend.status(units, TIMEOUT));
					await().atMost(Duration.ofSeconds(5)).until(() -> backend.pendingLoads() == MANY);
					sandbox.killBus();
				}
				finally {
					sandbox.resume();
				}
				Map<String, ServiceStatus> lost = reading.get(5, TimeUnit.SECONDS);
				assertThat(lost.values()).allSatisfy((status) -> {
					assertThat(status.state()).isEqualTo(ServiceState.UNKNOWN);
					assertThat(status.message()).contains("dropped");
				});
				systemctl(sandbox, "start", "dbus.service");
				await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
					Map<String, ServiceStatus> statuses = backend.status(units, Duration.ofSeconds(2));
					Map<String, Long> pids = mainPids(sandbox, units);
					assertThat(statuses.values()).allSatisfy((status) -> {
						assertThat(status.state()).as(status.target()).isEqualTo(ServiceState.RUNNING);
						assertThat(status.pid()).as(status.target()).isEqualTo(pids.get(status.target()));
						assertThat(status.details()).as("read by GetAll").containsEntry("unitFileState", "static");
					});
				});
			}
		}
	}

	@Test
	void connectsByItselfOnceTheBusAppearsAfterAFailedFirstConnect() {
		try (SystemdSandbox sandbox = SystemdSandbox.create();
				SystemdBackend backend = new SystemdBackend(new SystemdOptions(sandbox.busAddress(),
						SystemdScope.SYSTEM, List.of(), null, Duration.ofMillis(50), Duration.ofMillis(500)))) {
			backend.start();
			await().atMost(Duration.ofSeconds(5))
				.until(() -> backend.availability().reason() != null
						&& backend.availability().reason().contains(sandbox.busAddress()));
			assertThat(backend.availability().available()).isFalse();
			sandbox.start();
			await().atMost(Duration.ofSeconds(10)).until(() -> backend.availability().available());
			assertThat(backend.status(List.of(SystemdSandbox.TARGET), TIMEOUT).get(SystemdSandbox.TARGET).state())
				.isEqualTo(ServiceState.RUNNING);
		}
	}

	private static String service(String unit) {
		return """
				[Unit]
				Description=%s
				DefaultDependencies=no

				[Service]
				ExecStart=/bin/sleep infinity
				""".formatted(unit);
	}

	private static Map<String, Long> mainPids(SystemdSandbox sandbox, List<String> units) {
		List<String> show = new ArrayList<>(List.of("show", "-p", "Id,MainPID", "--"));
		show.addAll(units);
		Map<String, Long> pids = new HashMap<>();
		for (String block : systemctl(sandbox, show.toArray(String[]::new)).split("\n\n")) {
			Map<String, String> values = new HashMap<>();
			block.lines()
				.filter((line) -> line.contains("="))
				.forEach((line) -> values.put(line.substring(0, line.indexOf('=')),
						line.substring(line.indexOf('=') + 1)));
			pids.put(values.get("Id"), Long.parseLong(values.get("MainPID")));
		}
		return pids;
	}

	private static String systemctl(SystemdSandbox sandbox, String... args) {
		SystemdSandbox.Result result = sandbox.systemctl(args);
		assertThat(result.exitCode()).as("systemctl %s: %s", String.join(" ", args), result.output()).isZero();
		return result.output();
	}

}
