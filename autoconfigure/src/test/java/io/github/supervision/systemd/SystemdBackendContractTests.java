package io.github.supervision.systemd;

import java.util.Map;

import io.github.supervision.SupervisionBackend;
import io.github.supervision.testsupport.RealDaemonTest;
import io.github.supervision.testsupport.SupervisionBackendContract;
import io.github.supervision.testsupport.SystemdSandbox;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The backend contract for {@link SystemdBackend}, against a real systemd booted in a
 * private namespace, checked with {@code systemctl show} inside it.
 *
 * @author Supervision contributors
 */
@RealDaemonTest
class SystemdBackendContractTests extends SupervisionBackendContract {

	private static final String LONG = "contract-long.service";

	private static final String SLOW_STOP = "contract-slow-stop.service";

	@RegisterExtension
	static final SystemdSandbox sandbox = SystemdSandbox.create()
		.unit(LONG, SystemdBackendTests.LONG_RUNNING_UNIT)
		.unit(SLOW_STOP, SystemdBackendTests.SLOW_STOP_UNIT);

	@Override
	protected SupervisionBackend createBackend() {
		return new SystemdBackend(SystemdOptions.forAddress(sandbox.busAddress()));
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
		return "contract-nope.service";
	}

	@Override
	protected NativeStatus nativeStatus(String target) {
		Map<String, String> show = sandbox.show(target, "ActiveState", "SubState", "MainPID");
		long pid = Long.parseLong(show.getOrDefault("MainPID", "0"));
		return new NativeStatus("active".equals(show.get("ActiveState")), (pid != 0) ? pid : null, show.toString());
	}

	@Override
	protected boolean catchesSignal(long pid, int signal) {
		return sandbox.catchesSignal(pid, signal);
	}

}
