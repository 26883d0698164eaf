package io.github.supervision.systemd;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.supervision.ServiceStatus;
import io.github.supervision.testsupport.RealDaemonTest;
import io.github.supervision.testsupport.SystemdSandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the first status read of {@link SystemdBackend} over a few hundred units,
 * most running and some never started, against a real systemd booted in a private
 * namespace: the read completes within a bound, with every unit's properties read, and
 * reports what {@code systemctl show} reports.
 *
 * @author Supervision contributors
 */
@RealDaemonTest
class SystemdManyUnitsTests {

	private static final int UNITS = 300;

	private static final int RUNNING = 270;

	/**
	 * The sample application's read timeout: a first read beyond it would answer UNKNOWN.
	 */
	private static final Duration BOUND = Duration.ofSeconds(5);

	private static final List<String> units = new ArrayList<>();

	@RegisterExtension
	static final SystemdSandbox sandbox = withUnits(SystemdSandbox.create());

	private static SystemdBackend backend;

	private static SystemdSandbox withUnits(SystemdSandbox sandbox) {
		for (int i = 0; i < UNITS; i++) {
			String unit = String.format(Locale.ROOT, "many-%03d.service", i);
			units.add(unit);
			sandbox.unit(unit, """
					[Unit]
					Description=Unit %d
					DefaultDependencies=no

					[Service]
					ExecStart=/bin/sleep infinity
					""".formatted(i));
		}
		return sandbox;
	}

	@BeforeAll
	static void startUnits() {
		List<String> start = new ArrayList<>(List.of("start"));
		start.addAll(units.subList(0, RUNNING));
		SystemdSandbox.Result result = sandbox.systemctl(start.toArray(String[]::new));
		assertThat(result.exitCode()).as(result.output()).isZero();
		backend = new SystemdBackend(SystemdOptions.forAddress(sandbox.busAddress()));
	}

	@AfterAll
	static void disconnect() {
		if (backend != null) {
			backend.close();
		}
	}

	@Test
	void firstStatusOfHundredsOfUnitsIsCompleteWithinTheBoundAndMatchesSystemctl() {
		long started = System.nanoTime();
		Map<String, ServiceStatus> statuses = backend.status(units, BOUND);
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		assertThat(took).isLessThan(BOUND);
		assertThat(statuses).containsOnlyKeys(units);
		Map<String, Map<String, String>> shown = show(units);
		for (String unit : units) {
			ServiceStatus status = statuses.get(unit);
			Map<String, String> show = shown.get(unit);
			assertThat(status.rawState()).as(unit).isEqualTo(show.get("ActiveState") + "/" + show.get("SubState"));
			long pid = Long.parseLong(show.get("MainPID"));
			assertThat(status.pid()).as(unit).isEqualTo((pid > 0) ? pid : null);
			assertThat(status.restarts()).as(unit).isEqualTo(Integer.parseInt(show.get("NRestarts")));
			assertThat(status.description()).as(unit).isEqualTo(show.get("Description"));
			assertThat(status.details()).as(unit)
				.containsEntry("loadState", show.get("LoadState"))
				.containsEntry("unitFileState", show.get("UnitFileState"))
				.containsEntry("result", show.get("Result"));
		}
		assertThat(statuses.values().stream().filter((status) -> status.pid() != null)).hasSize(RUNNING);
	}

	/**
	 * Read properties of many units with one {@code systemctl show}, which prints one
	 * block per unit, in order, separated by an empty line.
	 */
	private static Map<String, Map<String, String>> show(List<String> names) {
		List<String> command = new ArrayList<>(List.of("show", "-p",
				"Id,ActiveState,SubState,MainPID,NRestarts,Description,LoadState,UnitFileState,Result", "--"));
		command.addAll(names);
		SystemdSandbox.Result result = sandbox.systemctl(command.toArray(String[]::new));
		assertThat(result.exitCode()).as(result.output()).isZero();
		Map<String, Map<String, String>> shown = new LinkedHashMap<>();
		for (String block : result.output().split("\n\n")) {
			Map<String, String> values = new LinkedHashMap<>();
			for (String line : block.split("\n")) {
				int equals = line.indexOf('=');
				if (equals > 0) {
					values.put(line.substring(0, equals), line.substring(equals + 1));
				}
			}
			if (values.containsKey("Id")) {
				shown.put(values.get("Id"), values);
			}
		}
		assertThat(shown).containsOnlyKeys(names);
		return shown;
	}

}
