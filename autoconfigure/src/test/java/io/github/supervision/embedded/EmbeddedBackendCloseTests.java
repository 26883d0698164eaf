package io.github.supervision.embedded;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.github.supervision.ServiceStatus;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for closing an {@link EmbeddedBackend} that runs many real child processes at
 * once.
 *
 * @author Supervision contributors
 */
class EmbeddedBackendCloseTests {

	private static final int SERVICES = 200;

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

	private final List<LogRecord> records = new CopyOnWriteArrayList<>();

	private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();

	private final Handler handler = new Handler() {

		@Override
		public void publish(LogRecord record) {
			if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
				EmbeddedBackendCloseTests.this.records.add(record);
			}
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

	};

	private final Logger logger = Logger.getLogger("io.github.supervision.embedded");

	private Thread.@Nullable UncaughtExceptionHandler previous;

	@BeforeEach
	void captureLogs() {
		EmbeddedBackendTests.requireChildProcesses();
		// System.Logger reaches java.util.logging unless another LoggerFinder is
		// installed
		assertThat(System.LoggerFinder.getLoggerFinder().getClass().getName()).startsWith("sun.util.logging");
		this.logger.addHandler(this.handler);
		this.previous = Thread.getDefaultUncaughtExceptionHandler();
		Thread.setDefaultUncaughtExceptionHandler((thread, ex) -> this.uncaught.add(ex));
	}

	@AfterEach
	void releaseLogs() {
		this.logger.removeHandler(this.handler);
		Thread.setDefaultUncaughtExceptionHandler(this.previous);
	}

	@Test
	void closeStopsManyServicesWithinTheirStopTimeoutWithoutAnError() {
		List<EmbeddedServiceSpec> specs = new ArrayList<>();
		for (int i = 0; i < SERVICES; i++) {
			specs.add(new EmbeddedServiceSpec("sleeper-" + i, List.of("/bin/sleep", "600"), null, Map.of(),
					RestartPolicy.ALWAYS, Duration.ZERO, 3, Duration.ofMillis(100), Duration.ofSeconds(1), STOP_TIMEOUT,
					true, null, 1024));
		}
		EmbeddedBackend backend = new EmbeddedBackend(specs);
		List<Long> pids = new ArrayList<>();
		try {
			backend.start();
			List<String> names = specs.stream().map(EmbeddedServiceSpec::name).toList();
			await().atMost(Duration.ofSeconds(120))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> backend.status(names, Duration.ofSeconds(1))
					.values()
					.stream()
					.allMatch((status) -> "RUNNING".equals(status.rawState())));
			backend.status(names, Duration.ofSeconds(1)).values().stream().map(ServiceStatus::pid).forEach(pids::add);
			assertThat(pids).doesNotContainNull().doesNotHaveDuplicates().hasSize(SERVICES);
		}
		finally {
			long start = System.nanoTime();
			backend.close();
			Duration took = Duration.ofNanos(System.nanoTime() - start);
			// sleep ends on SIGTERM: no SIGKILL should be needed
			assertThat(took).isLessThan(STOP_TIMEOUT);
		}
		assertThat(pids).allSatisfy((pid) -> assertThat(isGone(pid)).as("process %d is gone", pid).isTrue());
		assertThat(this.records).extracting(LogRecord::getMessage).isEmpty();
		assertThat(this.uncaught).isEmpty();
	}

	private static boolean isGone(long pid) {
		ProcessTree.Stat stat = ProcessTree.Stat.read(pid);
		return stat == null || !stat.isLive();
	}

}
