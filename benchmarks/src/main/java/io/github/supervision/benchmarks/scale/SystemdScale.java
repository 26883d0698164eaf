package io.github.supervision.benchmarks.scale;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import io.github.supervision.systemd.SystemdBackend;
import io.github.supervision.systemd.SystemdOptions;
import io.github.supervision.testsupport.SystemdSandbox;
import org.jspecify.annotations.Nullable;

/**
 * N units in the tests' {@link SystemdSandbox}: the running share runs
 * {@code /bin/sleep infinity}, the others are never started (inactive, loaded on demand,
 * as a declared service that is stopped is). Native tool: one {@code busctl} process
 * calling {@code ListUnitsByNames} with the N names.
 *
 * @author Supervision contributors
 */
final class SystemdScale implements ScaleTarget {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final int START_BATCH = 250;

	private final List<String> units = new ArrayList<>();

	private @Nullable SystemdSandbox sandbox;

	private @Nullable SystemdBackend backend;

	private @Nullable SystemdBackend uncached;

	private int up;

	@Override
	public String backend() {
		return "systemd";
	}

	@Override
	public void start(int services, int up) throws Exception {
		this.up = up;
		SystemdSandbox sandbox = SystemdSandbox.create();
		this.sandbox = sandbox;
		List<String> running = new ArrayList<>();
		for (int i = 0; i < services; i++) {
			String unit = String.format(Locale.ROOT, "scale-%04d.service", i);
			this.units.add(unit);
			sandbox.unit(unit, "[Unit]\nDefaultDependencies=no\n\n[Service]\nExecStart=/bin/sleep infinity\n");
			if (ScaleTarget.runs(i, services, up)) {
				running.add(unit);
			}
		}
		sandbox.start();
		for (int from = 0; from < running.size(); from += START_BATCH) {
			List<String> start = new ArrayList<>(List.of("start"));
			start.addAll(running.subList(from, Math.min(running.size(), from + START_BATCH)));
			SystemdSandbox.Result result = sandbox.systemctl(start.toArray(String[]::new));
			if (result.exitCode() != 0) {
				throw new IllegalStateException("systemctl start failed: " + result.output());
			}
		}
		SystemdOptions options = SystemdOptions.forAddress(sandbox.busAddress());
		this.backend = new SystemdBackend(options);
		this.uncached = new SystemdBackend(options.withStatusCacheTtl(Duration.ZERO));
		long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
		while (true) {
			Map<String, ServiceStatus> statuses = this.uncached.status(this.units, TIMEOUT);
			long seen = statuses.values().stream().filter((status) -> status.state() == ServiceState.RUNNING).count();
			if (seen == up) {
				return;
			}
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("Expected " + up + " running units within 300 s, the backend sees "
						+ seen + "; " + statuses.values().iterator().next());
			}
			Thread.sleep(1000);
		}
	}

	@Override
	public Map<String, String> properties() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("supervision.systemd.bus-address", sandbox().busAddress());
		for (int i = 0; i < this.units.size(); i++) {
			properties.put("supervision.services.u" + i + ".unit", this.units.get(i));
		}
		return properties;
	}

	@Override
	public List<Operation> statusOperations() {
		SystemdBackend backend = this.backend;
		SystemdBackend uncached = this.uncached;
		if (backend == null || uncached == null) {
			throw new IllegalStateException("Not started");
		}
		return List.of(new Operation("status(), default 1 s cache", () -> backend.status(this.units, TIMEOUT)),
				new Operation("status(), status-cache-ttl=0", () -> uncached.status(this.units, TIMEOUT)));
	}

	@Override
	public List<Operation> nativeOperations(ProcessHandle owner) {
		List<String> busctl = new ArrayList<>(List.of("/usr/bin/busctl", "--address=" + sandbox().busAddress(), "call",
				"org.freedesktop.systemd1", "/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager",
				"ListUnitsByNames", "as", Integer.toString(this.units.size())));
		busctl.addAll(this.units);
		return List.of(new Operation("busctl call ListUnitsByNames (process)", () -> Commands.run(busctl)));
	}

	@Override
	public String describe() {
		return String.format(Locale.ROOT, "%d units in a systemd sandbox, %d running /bin/sleep infinity",
				this.units.size(), this.up);
	}

	private SystemdSandbox sandbox() {
		SystemdSandbox sandbox = this.sandbox;
		if (sandbox == null) {
			throw new IllegalStateException("Not started");
		}
		return sandbox;
	}

	@Override
	public void stop() {
		if (this.backend != null) {
			this.backend.close();
		}
		if (this.uncached != null) {
			this.uncached.close();
		}
		if (this.sandbox != null) {
			this.sandbox.close();
		}
	}

}
