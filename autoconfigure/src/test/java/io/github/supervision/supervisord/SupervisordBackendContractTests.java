package io.github.supervision.supervisord;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.supervision.SupervisionBackend;
import io.github.supervision.testsupport.RealDaemonTest;
import io.github.supervision.testsupport.SupervisionBackendContract;
import io.github.supervision.testsupport.SupervisordDaemon;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The backend contract for {@link SupervisordBackend}, against a real supervisord,
 * checked with {@code supervisorctl status}.
 *
 * @author Supervision contributors
 */
@RealDaemonTest
class SupervisordBackendContractTests extends SupervisionBackendContract {

	private static final String LONG = "contract-long";

	private static final String SLOW_STOP = "contract-slow-stop";

	// supervisorctl status: "<name> RUNNING pid 123, uptime 0:00:04"
	private static final Pattern RUNNING = Pattern.compile("\\S+\\s+RUNNING\\s+pid (\\d+),.*");

	@RegisterExtension
	static final SupervisordDaemon daemon = SupervisordDaemon.withPrograms("""
			[program:contract-long]
			command=/bin/sleep 100000
			startsecs=0

			[program:contract-slow-stop]
			; startsecs=1: RUNNING only once the trap is set, since a TERM before it ends the shell at once
			command=/bin/sh -c "trap 'sleep 1; exit 0' TERM; /bin/sleep 100000 & wait"
			startsecs=1
			stopwaitsecs=10
			stopasgroup=true
			""");

	@Override
	protected SupervisionBackend createBackend() {
		return SupervisordBackendTests.backend(daemon.unixUrl(), SupervisordDaemon.USERNAME,
				SupervisordDaemon.PASSWORD);
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
		String line = daemon.supervisorctl("status", target).strip();
		Matcher matcher = RUNNING.matcher(line);
		return matcher.matches() ? new NativeStatus(true, Long.valueOf(matcher.group(1)), line)
				: new NativeStatus(false, null, line);
	}

}
