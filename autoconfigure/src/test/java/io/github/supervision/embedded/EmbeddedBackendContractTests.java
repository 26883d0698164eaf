package io.github.supervision.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.supervision.SupervisionBackend;
import io.github.supervision.testsupport.RealDaemonTest;
import io.github.supervision.testsupport.Runsvdir;
import io.github.supervision.testsupport.SupervisionBackendContract;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;

/**
 * The backend contract for {@link EmbeddedBackend}, with real child processes. There is
 * no supervisor tool to ask: the check is the JVM's own child that runs the service's
 * script, found in {@code /proc} without asking the backend.
 *
 * @author Supervision contributors
 */
@RealDaemonTest
class EmbeddedBackendContractTests extends SupervisionBackendContract {

	private static final String LONG = "contract-long";

	private static final String SLOW_STOP = "contract-slow-stop";

	private @Nullable Path directory;

	@Override
	protected SupervisionBackend createBackend() throws Exception {
		EmbeddedBackendTests.requireChildProcesses();
		Path directory = Files.createTempDirectory("embedded-contract");
		this.directory = directory;
		// the shell stays the main process (no exec), so that its command line names the
		// service's script
		EmbeddedServiceSpec longRunning = EmbeddedBackendTests.spec(directory, LONG, "while :; do sleep 1; done",
				RestartPolicy.ALWAYS, 2, Duration.ofSeconds(5), Map.of(), null, 1024);
		EmbeddedServiceSpec slowToStop = EmbeddedBackendTests.spec(directory, SLOW_STOP,
				"trap 'sleep 1; exit 0' TERM; while :; do sleep 0.1; done", RestartPolicy.ALWAYS, 2,
				Duration.ofSeconds(5), Map.of(), null, 1024);
		EmbeddedBackend backend = new EmbeddedBackend(List.of(longRunning, slowToStop));
		backend.start();
		return backend;
	}

	@AfterAll
	void deleteScripts() throws Exception {
		if (this.directory != null) {
			Runsvdir.delete(this.directory);
		}
	}

	@Override
	protected String longRunning() {
		return LONG;
	}

	@Override
	protected String slowToStop() {
		return SLOW_STOP;
	}

	@Override
	protected String unknown() {
		return "contract-nope";
	}

	@Override
	protected NativeStatus nativeStatus(String target) {
		String script = this.directory.resolve(target + ".sh").toString();
		List<ProcessHandle> children = ProcessHandle.current()
			.children()
			.filter((child) -> Runsvdir.isRunning(child.pid()))
			.filter((child) -> child.info().arguments().map(List::of).orElse(List.of()).contains(script))
			.toList();
		String report = "children of the JVM running " + script + ": "
				+ children.stream().map(ProcessHandle::pid).toList();
		return (children.size() == 1) ? new NativeStatus(true, children.get(0).pid(), report)
				: new NativeStatus(false, null, report);
	}

}
