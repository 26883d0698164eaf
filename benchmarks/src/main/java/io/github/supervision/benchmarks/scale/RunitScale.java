package io.github.supervision.benchmarks.scale;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.supervision.ServiceState;
import io.github.supervision.runit.RunitBackend;
import io.github.supervision.testsupport.Runsvdir;
import org.jspecify.annotations.Nullable;

/**
 * N runit service directories under ⌈N/1000⌉ real {@code runsvdir}s (one supervises at
 * most 1,000), the tests' {@link Runsvdir}: the running share runs
 * {@code exec sleep 100000}, the others have a {@code down} file. Services are declared
 * by their absolute directories. Native tool: one {@code sv status} process given the N
 * directories.
 *
 * @author Supervision contributors
 */
final class RunitScale implements ScaleTarget {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final int PER_RUNSVDIR = 1000;

	private final List<Runsvdir> runsvdirs = new ArrayList<>();

	private final List<String> directories = new ArrayList<>();

	private @Nullable RunitBackend backend;

	private int up;

	@Override
	public String backend() {
		return "runit";
	}

	@Override
	public void start(int services, int up) throws Exception {
		this.up = up;
		for (int from = 0; from < services; from += PER_RUNSVDIR) {
			int first = from;
			int last = Math.min(services, from + PER_RUNSVDIR);
			Runsvdir runsvdir = Runsvdir.withServices((fixture) -> {
				Files.setPosixFilePermissions(fixture.root(), PosixFilePermissions.fromString("rwxr-xr-x"));
				for (int i = first; i < last; i++) {
					Path directory = fixture.service(String.format(Locale.ROOT, "s%04d", i), "exec sleep 100000",
							!ScaleTarget.runs(i, services, up));
					this.directories.add(directory.toString());
				}
			});
			this.runsvdirs.add(runsvdir);
			runsvdir.start();
		}
		RunitBackend backend = new RunitBackend(this.runsvdirs.get(0).scan(), false, Duration.ofMillis(500), true,
				RunitBackend.DEFAULT_LOG_FILE, this.directories);
		this.backend = backend;
		long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
		long seen = 0;
		while (seen != up) {
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("Expected " + up + " running services within 120 s, saw " + seen);
			}
			Thread.sleep(200);
			seen = backend.status(this.directories, TIMEOUT)
				.values()
				.stream()
				.filter((status) -> status.state() == ServiceState.RUNNING)
				.count();
		}
	}

	@Override
	public Map<String, String> properties() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("supervision.runit.service-directory", this.runsvdirs.get(0).scan().toString());
		for (int i = 0; i < this.directories.size(); i++) {
			properties.put(String.format(Locale.ROOT, "supervision.services.s%04d.directory", i),
					this.directories.get(i));
		}
		return properties;
	}

	@Override
	public List<Operation> statusOperations() {
		RunitBackend backend = this.backend;
		if (backend == null) {
			throw new IllegalStateException("Not started");
		}
		return List.of(new Operation("status(), watched", () -> backend.status(this.directories, TIMEOUT)));
	}

	@Override
	public List<Operation> nativeOperations(ProcessHandle owner) {
		List<String> sv = new ArrayList<>(List.of(Runsvdir.SV, "status"));
		sv.addAll(this.directories);
		return List.of(new Operation("sv status of the N directories (process)", () -> Commands.run(sv)));
	}

	@Override
	public String describe() {
		return String.format(Locale.ROOT, "%d service directories under %d runsvdir, %d running sleep",
				this.directories.size(), this.runsvdirs.size(), this.up);
	}

	@Override
	public void stop() throws Exception {
		if (this.backend != null) {
			this.backend.close();
		}
		for (Runsvdir runsvdir : this.runsvdirs) {
			runsvdir.close();
			if (!runsvdir.survivors().isEmpty()) {
				System.out.println("runsvdir " + runsvdir.scan() + ": killed " + runsvdir.survivors().size()
						+ " survivors after HUP");
			}
		}
	}

}
