package io.github.supervision.embedded;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.supervision.ServiceCapability;
import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceDefinition;
import io.github.supervision.ServiceLog;
import io.github.supervision.ServiceName;
import io.github.supervision.testsupport.RealDaemons;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the {@link EmbeddedBackend}'s log tail capability, read through a
 * {@link ServiceCatalog} from what real child processes wrote.
 *
 * @author Supervision contributors
 */
class EmbeddedLogTailTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final ServiceName CHATTY = ServiceName.of("chatty");

	private static final ServiceName QUIET = ServiceName.of("quiet");

	private static EmbeddedBackend backend;

	private static ServiceCatalog catalog;

	@BeforeAll
	static void start() {
		RealDaemons.requireExecutables("/bin/sh", "/usr/bin/setsid", "/bin/kill");
		backend = new EmbeddedBackend(List.of(
				spec("chatty",
						"i=0; while [ $i -lt 500 ]; do echo \"line $i\"; i=$((i+1)); done; "
								+ "echo 'to stderr' >&2; echo last; exec sleep 600",
						1024),
				spec("quiet", "exec sleep 600", 1024)));
		backend.start();
		catalog = new ServiceCatalog(List.of(definition(CHATTY), definition(QUIET)), List.of(backend), TIMEOUT,
				TIMEOUT);
	}

	@AfterAll
	static void close() {
		if (catalog != null) {
			catalog.close();
		}
		if (backend != null) {
			backend.close();
		}
	}

	@Test
	void isListedForEveryEmbeddedService() {
		assertThat(catalog.getCapabilities(CHATTY)).containsExactly(ServiceCapability.LOG_TAIL,
				ServiceCapability.SIGNAL);
		assertThat(catalog.getCapabilities(QUIET)).containsExactly(ServiceCapability.LOG_TAIL,
				ServiceCapability.SIGNAL);
	}

	@Test
	void returnsTheLastWholeLinesTheProcessWroteToStdoutAndStderr() {
		await().atMost(TIMEOUT).until(() -> backend.tail("chatty").endsWith("last\n"));
		assertThat(catalog.tailLog(CHATTY, 3).texts()).containsExactly("line 499", "to stderr", "last");
		ServiceLog all = catalog.tailLog(CHATTY, 10_000);
		// 1024 bytes hold about 120 lines; the first, cut by the ring buffer, is left out
		assertThat(all.texts()).hasSizeBetween(100, 130).endsWith("line 499", "to stderr", "last");
		String first = all.texts().get(0);
		assertThat(first).matches("line \\d+");
		int from = Integer.parseInt(first.substring("line ".length()));
		for (int i = 0; i < all.texts().size() - 2; i++) {
			assertThat(all.texts().get(i)).isEqualTo("line " + (from + i));
		}
		assertThat(backend.tail("chatty")).doesNotStartWith(first + "\n");
	}

	@Test
	void aServiceThatWroteNothingHasAnEmptyTail() {
		await().atMost(TIMEOUT).until(() -> backend.status("quiet").pid() != null);
		assertThat(catalog.tailLog(QUIET, 10).texts()).isEmpty();
	}

	private static ServiceDefinition definition(ServiceName name) {
		return new ServiceDefinition(name, EmbeddedBackend.ID, name.value(), null, false, null, true);
	}

	private static EmbeddedServiceSpec spec(String name, String script, int tailBytes) {
		return new EmbeddedServiceSpec(name, List.of("/bin/sh", "-c", script), null, Map.of(), RestartPolicy.ON_FAILURE,
				Duration.ofMillis(100), 1, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(2), true,
				null, tailBytes);
	}

}
