package io.github.supervision.benchmarks.scale;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * N embedded services declared in the application: the running share runs
 * {@code /bin/sleep 100000} as children of the application's JVM, the others have
 * {@code autostart=false}. There is no native tool that reads an embedded supervisor's
 * state; one {@code ps} process reading the state of the N children's pids is reported as
 * a reference for scale, not as a target. Our status is timed in the in-process
 * application (its {@code ServiceCatalog}), since the state lives in the JVM that
 * supervises the children.
 *
 * @author Supervision contributors
 */
final class EmbeddedScale implements ScaleTarget {

	private int services;

	private int up;

	@Override
	public String backend() {
		return "embedded";
	}

	@Override
	public void start(int services, int up) {
		this.services = services;
		this.up = up;
	}

	@Override
	public Map<String, String> properties() {
		Map<String, String> properties = new LinkedHashMap<>();
		for (int i = 0; i < this.services; i++) {
			String key = String.format(Locale.ROOT, "supervision.services.e%04d.", i);
			properties.put(key + "command[0]", "/bin/sleep");
			properties.put(key + "command[1]", "100000");
			if (!ScaleTarget.runs(i, this.services, this.up)) {
				properties.put(key + "autostart", "false");
			}
		}
		return properties;
	}

	@Override
	public List<Operation> statusOperations() {
		return List.of();
	}

	@Override
	public List<Operation> nativeOperations(ProcessHandle owner) {
		List<Long> pids = owner.children()
			.filter((child) -> child.info().command().map((command) -> command.endsWith("sleep")).orElse(false))
			.map(ProcessHandle::pid)
			.toList();
		List<String> ps = new ArrayList<>(List.of("ps", "-o", "pid=,stat=", "-p",
				pids.stream().map(String::valueOf).collect(Collectors.joining(","))));
		return List
			.of(new Operation("ps -o pid=,stat= -p <the " + pids.size() + " pids> (process)", () -> Commands.run(ps)));
	}

	@Override
	public String describe() {
		return String.format(Locale.ROOT, "%d embedded services, %d running /bin/sleep", this.services, this.up);
	}

	@Override
	public void stop() {
	}

}
