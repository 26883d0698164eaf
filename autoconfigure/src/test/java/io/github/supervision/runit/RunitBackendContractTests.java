package io.github.supervision.runit;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.supervision.SupervisionBackend;
import io.github.supervision.testsupport.RealDaemonTest;
import io.github.supervision.testsupport.Runsvdir;
import io.github.supervision.testsupport.SupervisionBackendContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The backend contract for {@link RunitBackend}, against a real {@code runsvdir}, checked
 * with {@code sv status}.
 *
 * @author Supervision contributors
 */
@RealDaemonTest
class RunitBackendContractTests extends SupervisionBackendContract {

	private static final String LONG = "contract-long";

	private static final String SLOW_STOP = "contract-slow-stop";

	// sv status: "run: <dir>: (pid 123) 4s" or "down: <dir>: 1s, normally up"
	private static final Pattern RUNNING = Pattern.compile("run: [^:]+: \\(pid (\\d+)\\) .*");

	@RegisterExtension
	static final Runsvdir runsvdir = Runsvdir.withServices((runsvdir) -> {
		runsvdir.service(LONG, RunitBackendTests.SLEEP, false);
		runsvdir.service(SLOW_STOP, "trap 'sleep 1; exit 0' TERM\nwhile :; do sleep 0.1; done", false);
	});

	@Override
	protected SupervisionBackend createBackend() {
		return RunitBackendTests.createBackend(runsvdir);
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
	protected NativeStatus nativeStatus(String target) throws Exception {
		String line = Runsvdir.sv("status", runsvdir.scan().resolve(target).toString());
		Matcher matcher = RUNNING.matcher(line);
		return matcher.matches() ? new NativeStatus(true, Long.valueOf(matcher.group(1)), line)
				: new NativeStatus(false, null, line);
	}

}
