package io.github.supervision.actuate.events;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceDefinition;
import io.github.supervision.ServiceName;
import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import io.github.supervision.embedded.EmbeddedBackend;
import io.github.supervision.embedded.EmbeddedServiceSpec;
import io.github.supervision.embedded.RestartPolicy;
import io.github.supervision.testsupport.RecordingBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ServiceEventBroadcaster}'s turning of changes into events, against a
 * recording backend and, for its watching of the catalog, a real process.
 *
 * @author Supervision contributors
 */
@ExtendWith(OutputCaptureExtension.class)
class ServiceEventBroadcasterTests {

	private final RecordingBackend backend = new RecordingBackend("test");

	private final ServiceCatalog catalog = new ServiceCatalog(
			List.of(new ServiceDefinition(ServiceName.of("web"), "test", "web", null, false, null)),
			List.of(this.backend), Duration.ofSeconds(2), Duration.ofSeconds(5));

	private final AtomicInteger written = new AtomicInteger();

	private final ServiceEventBroadcaster broadcaster = new ServiceEventBroadcaster(this.catalog, (status) -> {
		this.written.incrementAndGet();
		return "{\"state\":\"" + status.state() + "\"}";
	}, new ServiceEventBroadcaster.Settings(Duration.ofMinutes(1), 16, 16, 4));

	@AfterEach
	void close() {
		this.broadcaster.destroy();
		this.catalog.close();
	}

	@Test
	void changesNoClientWantsAreKeptButNotWrittenUntilAClientResumesAfterThem() {
		long before = currentId();
		this.broadcaster.publish(status(ServiceState.STARTING));
		this.broadcaster.publish(status(ServiceState.RUNNING));
		assertThat(this.written).hasValue(0);

		ByteArrayOutputStream first = resume(before);
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(first.toString(StandardCharsets.UTF_8))
				.contains("id: " + (before + 1) + "\nevent: service\ndata: {\"state\":\"STARTING\"}\n\n")
				.contains("id: " + (before + 2) + "\nevent: service\ndata: {\"state\":\"RUNNING\"}\n\n"));
		assertThat(this.written).hasValue(2);

		ByteArrayOutputStream second = resume(before);
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(second.toString(StandardCharsets.UTF_8))
				.isEqualTo(first.toString(StandardCharsets.UTF_8)));
		assertThat(this.written).as("each change is written once").hasValue(2);

		this.broadcaster.publish(status(ServiceState.STOPPED));
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(second.toString(StandardCharsets.UTF_8))
				.contains("id: " + (before + 3) + "\nevent: service\ndata: {\"state\":\"STOPPED\"}\n\n"));
		assertThat(this.written).as("once for both clients").hasValue(3);
	}

	@Test
	void aChangeThatCannotBeWrittenIsTriedAndLoggedOnce(CapturedOutput output) {
		ServiceEventBroadcaster failing = new ServiceEventBroadcaster(this.catalog, (status) -> {
			throw new IllegalStateException("no JSON today");
		}, new ServiceEventBroadcaster.Settings(Duration.ofMinutes(1), 16, 16, 4));
		try {
			long before = currentId(failing);
			// written at once for the connected client, which is not sent it
			resume(failing, before);
			failing.publish(status(ServiceState.RUNNING));
			// not tried again for a client that resumes before it
			resume(failing, before);
			assertThat(output.getOut().split("Could not write the status of 'web' as JSON", -1)).hasSize(2);
		}
		finally {
			failing.destroy();
		}
	}

	@Test
	void watchesTheCatalogOnlyFromTheFirstClientOn() {
		EmbeddedBackend embedded = new EmbeddedBackend(List.of(new EmbeddedServiceSpec("sleeper",
				List.of("/bin/sleep", "600"), null, Map.of(), RestartPolicy.NEVER, Duration.ofMillis(100), 1,
				Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(2), false, null, 1024)));
		ServiceCatalog catalog = new ServiceCatalog(
				List.of(new ServiceDefinition(ServiceName.of("web"), EmbeddedBackend.ID, "sleeper", null, false, null)),
				List.of(embedded), Duration.ofSeconds(2), Duration.ofSeconds(5));
		ServiceEventBroadcaster broadcaster = new ServiceEventBroadcaster(catalog, (status) -> "{}",
				new ServiceEventBroadcaster.Settings(Duration.ofMinutes(1), 16, 16, 4));
		try {
			broadcaster.start();
			List<ServiceState> seen = new CopyOnWriteArrayList<>();
			catalog.watch((status) -> seen.add(status.state()));
			catalog.perform(ServiceName.of("web"), ServiceAction.START);
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(seen).contains(ServiceState.RUNNING));
			// ids start at the clock's milliseconds times 1000 and count the changes seen
			assertThat(currentId(broadcaster) % 1000).as("changes counted before any client").isZero();

			ByteArrayOutputStream output = resume(broadcaster, currentId(broadcaster));
			catalog.perform(ServiceName.of("web"), ServiceAction.STOP);
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(output.toString(StandardCharsets.UTF_8)).contains("event: service"));
		}
		finally {
			broadcaster.destroy();
			catalog.close();
			embedded.close();
		}
	}

	private long currentId() {
		return currentId(this.broadcaster);
	}

	private ByteArrayOutputStream resume(long lastEventId) {
		return resume(this.broadcaster, lastEventId);
	}

	// the id the stream stands at, as a client is told it with a resync
	private static long currentId(ServiceEventBroadcaster broadcaster) {
		ByteArrayOutputStream output = new ByteArrayOutputStream();
		ServiceEventBroadcaster.Client client = broadcaster.open(null, "not-an-id", output, () -> {
		});
		assertThat(client).isNotNull();
		client.start();
		Pattern id = Pattern.compile("id: (\\d+)\nevent: resync");
		await().atMost(Duration.ofSeconds(5)).until(() -> id.matcher(output.toString(StandardCharsets.UTF_8)).find());
		client.close();
		Matcher matcher = id.matcher(output.toString(StandardCharsets.UTF_8));
		assertThat(matcher.find()).isTrue();
		await().atMost(Duration.ofSeconds(5)).until(() -> broadcaster.getClientCount() == 0);
		return Long.parseLong(matcher.group(1));
	}

	private static ByteArrayOutputStream resume(ServiceEventBroadcaster broadcaster, long lastEventId) {
		ByteArrayOutputStream output = new ByteArrayOutputStream();
		ServiceEventBroadcaster.Client client = broadcaster.open(null, Long.toString(lastEventId), output, () -> {
		});
		assertThat(client).isNotNull();
		client.start();
		return output;
	}

	private static ServiceStatus status(ServiceState state) {
		return new ServiceStatus("web", "test", "web", state, state.name(), null, null, null, null, null, null,
				Map.of());
	}

}
