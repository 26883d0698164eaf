package io.github.supervision.actuate.events;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceDefinition;
import io.github.supervision.ServiceName;
import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import io.github.supervision.testsupport.RecordingBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ServiceEventBroadcaster}'s turning of changes into events.
 *
 * @author Supervision contributors
 */
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

	// the id the stream stands at, as a client is told it with a resync
	private long currentId() {
		ByteArrayOutputStream output = new ByteArrayOutputStream();
		ServiceEventBroadcaster.Client client = this.broadcaster.open(null, "not-an-id", output, () -> {
		});
		assertThat(client).isNotNull();
		client.start();
		Pattern id = Pattern.compile("id: (\\d+)\nevent: resync");
		await().atMost(Duration.ofSeconds(5)).until(() -> id.matcher(output.toString(StandardCharsets.UTF_8)).find());
		client.close();
		Matcher matcher = id.matcher(output.toString(StandardCharsets.UTF_8));
		assertThat(matcher.find()).isTrue();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.broadcaster.getClientCount() == 0);
		return Long.parseLong(matcher.group(1));
	}

	private ByteArrayOutputStream resume(long lastEventId) {
		ByteArrayOutputStream output = new ByteArrayOutputStream();
		ServiceEventBroadcaster.Client client = this.broadcaster.open(null, Long.toString(lastEventId), output, () -> {
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
