package io.github.supervision.systemd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import io.github.supervision.testsupport.RealDaemonTest;
import io.github.supervision.testsupport.RealDaemons;
import io.github.supervision.testsupport.SystemdSandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the status cache of {@link SystemdBackend} against a real systemd booted in a
 * private namespace: a status confirmed by {@code ListUnitsByNames} is answered from the
 * signal-fed cache within its time to live, without a bus call (counted with
 * {@code dbus-monitor}), and matches what {@code systemctl show} reports. The time to
 * live here is a minute, so that a correct answer after a change can only come from the
 * signals or from an invalidation, never from the cache expiring.
 *
 * @author Supervision contributors
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@RealDaemonTest
class SystemdStatusCacheTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final Duration TTL = Duration.ofMinutes(1);

	private static final String HELD = "held.service";

	private static final String OTHER = "other.service";

	private static final String CHANGED = "changed.service";

	private static final String REMOVED = "removed.service";

	private static final String ADDED = "added.service";

	private static final String IDLE = "idle.service";

	@RegisterExtension
	static final SystemdSandbox sandbox = withUnits(SystemdSandbox.create());

	private static SystemdBackend backend;

	private static SystemdSandbox withUnits(SystemdSandbox sandbox) {
		// a started target that wants the unit keeps it loaded while it is stopped, so
		// that systemd does not unload it (which would end its confirmation)
		sandbox.unit("hold.target", """
				[Unit]
				DefaultDependencies=no
				Wants=%s
				""".formatted(HELD));
		sandbox.unit(HELD, service("Held", "/bin/sleep infinity"));
		sandbox.unit(OTHER, service("Other", "/bin/sleep infinity"));
		sandbox.unit(CHANGED, service("Before the reload", "/bin/sleep infinity"));
		sandbox.unit(REMOVED, service("Removed later", "/bin/sleep infinity"));
		sandbox.unit(IDLE, service("Never started", "/bin/sleep infinity"));
		return sandbox;
	}

	@BeforeAll
	static void connect() {
		RealDaemons.requireExecutables("/usr/bin/dbus-monitor", "/usr/bin/busctl");
		backend = new SystemdBackend(SystemdOptions.forAddress(sandbox.busAddress()).withStatusCacheTtl(TTL));
		systemctl("start", "hold.target", OTHER, CHANGED, REMOVED);
	}

	@AfterAll
	static void disconnect() {
		if (backend != null) {
			backend.close();
		}
	}

	private static String service(String description, String command) {
		return """
				[Unit]
				Description=%s
				DefaultDependencies=no

				[Service]
				ExecStart=%s
				""".formatted(description, command);
	}

	@Test
	void secondStatusWithinTheTtlMakesNoBusCall() throws Exception {
		List<String> units = List.of(HELD, OTHER, CHANGED);
		backend.status(units, TIMEOUT);
		try (BusMonitor monitor = BusMonitor.start()) {
			for (int i = 0; i < 3; i++) {
				Map<String, ServiceStatus> statuses = backend.status(units, TIMEOUT);
				assertThat(statuses).containsOnlyKeys(units);
				assertThat(statuses.values()).allSatisfy((status) -> assertMatchesSystemctl(status));
			}
			assertThat(monitor.listUnitsByNamesCalls()).isZero();
		}
	}

	@Test
	void stateChangesMadeWithSystemctlArriveBySignalWithoutACall() throws Exception {
		backend.status(List.of(HELD, OTHER), TIMEOUT);
		try (BusMonitor monitor = BusMonitor.start()) {
			systemctl("stop", HELD);
			assertThat(sandbox.show(HELD, "ActiveState", "LoadState")).containsEntry("ActiveState", "inactive")
				.containsEntry("LoadState", "loaded");
			awaitSignalled(HELD, ServiceState.STOPPED);
			systemctl("start", HELD);
			awaitSignalled(HELD, ServiceState.RUNNING);
			long pidBefore = backend.status(List.of(HELD, OTHER), TIMEOUT).get(OTHER).pid();
			systemctl("restart", OTHER);
			awaitSignalled(OTHER, ServiceState.RUNNING);
			assertThat(backend.status(List.of(HELD, OTHER), TIMEOUT).get(OTHER).pid()).isNotEqualTo(pidBefore);
			assertThat(monitor.listUnitsByNamesCalls()).as("the changes came by signal, not by a call").isZero();
		}
	}

	@Test
	void neverStartedUnitsStayCachedThroughTheirLoadAndUnload() throws Exception {
		List<String> units = List.of(OTHER, IDLE);
		assertThat(backend.status(units, TIMEOUT).get(IDLE).rawState()).isEqualTo("inactive/dead");
		// systemd loaded the unit for that read (UnitNew) and unloads it again
		// (UnitRemoved)
		awaitUnloaded(IDLE);
		try (BusMonitor monitor = BusMonitor.start()) {
			for (int i = 0; i < 3; i++) {
				Map<String, ServiceStatus> statuses = backend.status(units, TIMEOUT);
				assertThat(statuses.get(IDLE).state()).isEqualTo(ServiceState.STOPPED);
				// systemctl show loads and unloads the unit once more
				assertThat(statuses.values()).allSatisfy((status) -> assertMatchesSystemctl(status));
				awaitUnloaded(IDLE);
			}
			assertThat(monitor.listUnitsByNamesCalls()).as("the churn of the never-started unit kept the cache")
				.isZero();
		}
	}

	private static void awaitUnloaded(String unit) {
		// list-units lists loaded units only, and loads none
		await().atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> sandbox.systemctl("list-units", "--all", "--plain", "--no-legend", unit).output().isBlank());
	}

	/**
	 * Wait until a status read shows the unit in the state systemd reports. The change
	 * reaches the backend by signal a few milliseconds after systemctl returned (it
	 * returns when systemd sent the job's end to systemctl, not when our connection
	 * handled the signals sent before), so a bound of one second, far below the minute
	 * the cache holds, shows that the signals, not the cache expiring, carried it.
	 */
	private static void awaitSignalled(String unit, ServiceState state) {
		await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(5)).untilAsserted(() -> {
			ServiceStatus status = backend.status(List.of(HELD, OTHER), TIMEOUT).get(unit);
			assertThat(status.state()).isEqualTo(state);
			assertMatchesSystemctl(status);
		});
	}

	@Test
	void daemonReloadShowsAddedChangedAndRemovedUnitFilesWithinTheTtl() throws Exception {
		List<String> units = List.of(CHANGED, REMOVED, ADDED);
		assertThat(backend.status(units, TIMEOUT).get(ADDED).details()).containsEntry("loadState", "not-found");
		backend.status(units, TIMEOUT);
		sandbox.unit(ADDED, service("Added later", "/bin/sleep infinity"));
		sandbox.unit(CHANGED, service("After the reload", "/bin/sleep infinity"));
		Files.delete(sandbox.unitDirectory().resolve(REMOVED));
		systemctl("daemon-reload");
		assertThat(sandbox.show(ADDED, "LoadState")).containsEntry("LoadState", "loaded");
		assertThat(sandbox.show(REMOVED, "LoadState", "ActiveState")).containsEntry("LoadState", "not-found")
			.containsEntry("ActiveState", "active");
		await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
			Map<String, ServiceStatus> statuses = backend.status(units, TIMEOUT);
			assertThat(statuses.get(CHANGED).description()).isEqualTo("After the reload");
			assertThat(statuses.values()).allSatisfy((status) -> assertMatchesSystemctl(status));
		});
		Map<String, ServiceStatus> statuses = backend.status(units, TIMEOUT);
		assertThat(statuses.get(ADDED).state()).isEqualTo(ServiceState.STOPPED);
		assertThat(statuses.get(CHANGED).state()).isEqualTo(ServiceState.RUNNING);
		assertThat(statuses.get(CHANGED).pid()).as("daemon-reload keeps the main pid").isNotNull();
	}

	@Test
	void withoutATtlEveryStatusAsksSystemd() throws Exception {
		List<String> units = List.of(HELD, OTHER);
		try (SystemdBackend uncached = new SystemdBackend(
				SystemdOptions.forAddress(sandbox.busAddress()).withStatusCacheTtl(Duration.ZERO))) {
			uncached.status(units, TIMEOUT);
			try (BusMonitor monitor = BusMonitor.start()) {
				for (int i = 0; i < 3; i++) {
					assertThat(uncached.status(units, TIMEOUT).values())
						.allSatisfy((status) -> assertMatchesSystemctl(status));
				}
				assertThat(monitor.listUnitsByNamesCalls()).isEqualTo(3);
			}
		}
	}

	@Test
	void readsAfterTheTtlCostOneCallBetweenThem() throws Exception {
		List<String> units = List.of(HELD, OTHER);
		Duration ttl = Duration.ofSeconds(1);
		try (SystemdBackend shortLived = new SystemdBackend(
				SystemdOptions.forAddress(sandbox.busAddress()).withStatusCacheTtl(ttl))) {
			shortLived.status(units, TIMEOUT);
			long confirmed = System.nanoTime();
			try (BusMonitor monitor = BusMonitor.start()) {
				await("the time to live to pass").pollDelay(ttl)
					.atMost(ttl.multipliedBy(2))
					.until(() -> System.nanoTime() - confirmed > ttl.toNanos());
				for (int i = 0; i < 20; i++) {
					assertThat(shortLived.status(units, TIMEOUT).values())
						.allSatisfy((status) -> assertMatchesSystemctl(status));
				}
				await("the confirmation in the background").atMost(TIMEOUT)
					.until(() -> monitor.listUnitsByNamesCalls() >= 1);
				assertThat(monitor.listUnitsByNamesCalls()).as("one call for the 20 reads after the ttl").isOne();
			}
		}
	}

	@Test
	void concurrentFirstReadsShareOneGetAllPerUnitAndNeedNoListing() throws Exception {
		List<String> units = List.of(HELD, OTHER, CHANGED, IDLE);
		try (SystemdBackend fresh = new SystemdBackend(
				SystemdOptions.forAddress(sandbox.busAddress()).withStatusCacheTtl(TTL));
				BusMonitor monitor = BusMonitor.start()) {
			fresh.availability();
			List<CompletableFuture<Map<String, ServiceStatus>>> reads = new ArrayList<>();
			CountDownLatch go = new CountDownLatch(1);
			for (int i = 0; i < 8; i++) {
				reads.add(CompletableFuture.supplyAsync(() -> {
					try {
						go.await();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
					return fresh.status(units, TIMEOUT);
				}));
			}
			go.countDown();
			for (CompletableFuture<Map<String, ServiceStatus>> read : reads) {
				assertThat(read.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).values())
					.allSatisfy((status) -> assertMatchesSystemctl(status));
			}
			assertThat(monitor.calls("GetAll")).as("eight readers, one GetAll per unit").isEqualTo(units.size());
			assertThat(monitor.listUnitsByNamesCalls()).as("a GetAll confirms a unit first seen").isZero();
		}
	}

	@Test
	@Order(Integer.MAX_VALUE)
	void statusAfterTheBusCameBackAsksSystemd() throws Exception {
		List<String> units = List.of(HELD, OTHER);
		backend.status(units, TIMEOUT);
		long pidBefore = backend.status(units, TIMEOUT).get(OTHER).pid();
		List<Long> busBefore = sandbox.processes("dbus-daemon");
		sandbox.killBus();
		// systemctl reaches systemd without the bus; the signals of this restart are lost
		systemctl("restart", OTHER);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(backend.availability().available()).isTrue();
			assertThat(sandbox.processes("dbus-daemon")).isNotEmpty().doesNotContainAnyElementsOf(busBefore);
		});
		// the bus loss ended the confirmations: the units are read again (GetAll)
		ServiceStatus status = backend.status(units, TIMEOUT).get(OTHER);
		assertMatchesSystemctl(status);
		assertThat(status.pid()).isNotEqualTo(pidBefore);
	}

	private static void assertMatchesSystemctl(ServiceStatus status) {
		Map<String, String> show = sandbox.show(status.target(), "ActiveState", "SubState", "LoadState", "MainPID",
				"Description");
		assertThat(status.rawState()).as(status.target())
			.isEqualTo(show.get("ActiveState") + "/" + show.get("SubState"));
		assertThat(status.details()).as(status.target()).containsEntry("loadState", show.get("LoadState"));
		assertThat(status.description()).as(status.target()).isEqualTo(show.get("Description"));
		long pid = Long.parseLong(show.get("MainPID"));
		assertThat(status.pid()).as(status.target()).isEqualTo((pid > 0) ? pid : null);
	}

	private static void systemctl(String... args) {
		SystemdSandbox.Result result = sandbox.systemctl(args);
		assertThat(result.exitCode()).as("systemctl %s: %s", String.join(" ", args), result.output()).isZero();
	}

	/**
	 * Records the method calls to systemd on the sandbox's bus with {@code dbus-monitor}.
	 */
	private static final class BusMonitor implements AutoCloseable {

		private static final String MARKER = "org.freedesktop.DBus.Peer";

		private final Process process;

		private final Path log;

		private BusMonitor(Process process, Path log) {
			this.process = process;
			this.log = log;
		}

		static BusMonitor start() throws IOException {
			Path log = Files.createTempFile(sandbox.unitDirectory().getParent(), "monitor", ".log");
			Process process = new ProcessBuilder("/usr/bin/dbus-monitor", "--address", sandbox.busAddress(),
					"--monitor", "type='method_call',destination='org.freedesktop.systemd1'")
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			BusMonitor monitor = new BusMonitor(process, log);
			try {
				await().atMost(Duration.ofSeconds(5)).until(() -> Files.readString(log).contains("NameAcquired"));
			}
			catch (RuntimeException ex) {
				monitor.close();
				throw ex;
			}
			return monitor;
		}

		/**
		 * Return how many {@code ListUnitsByNames} calls the bus carried so far.
		 * @return the number of calls
		 */
		long listUnitsByNamesCalls() throws IOException {
			return calls("ListUnitsByNames");
		}

		/**
		 * Return how many calls of a method the bus carried so far. A ping from another
		 * client marks the end: the bus routes messages in order, so once the monitor
		 * logged it, it logged every call made before.
		 * @param member the method's name
		 * @return the number of calls
		 */
		long calls(String member) throws IOException {
			long pings = markers();
			Process ping = new ProcessBuilder("/usr/bin/busctl", "--address=" + sandbox.busAddress(), "call",
					"org.freedesktop.systemd1", "/org/freedesktop/systemd1", MARKER, "Ping")
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			try {
				assertThat(ping.waitFor(10, TimeUnit.SECONDS)).isTrue();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> markers() > pings);
			List<String> lines = Files.readAllLines(this.log);
			int end = 0;
			for (int i = 0; i < lines.size(); i++) {
				if (lines.get(i).contains(MARKER)) {
					end = i;
				}
			}
			return lines.subList(0, end)
				.stream()
				.filter((line) -> line.startsWith("method call") && line.endsWith("member=" + member))
				.count();
		}

		private long markers() throws IOException {
			return Files.readAllLines(this.log).stream().filter((line) -> line.contains(MARKER)).count();
		}

		@Override
		public void close() {
			this.process.destroy();
			try {
				if (!this.process.waitFor(5, TimeUnit.SECONDS)) {
					this.process.destroyForcibly();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
