package io.github.supervision.actuate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceDefinition;
import io.github.supervision.ServiceName;
import io.github.supervision.actuate.ServicesEndpoint.ServiceDescriptor;
import io.github.supervision.testsupport.RecordingBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ServicesEndpoint}'s descriptors.
 *
 * @author Supervision contributors
 */
class ServicesEndpointTests {

	private static final Instant NOW = Instant.parse("2026-11-22T03:00:00Z");

	private final RecordingBackend backend = new RecordingBackend("fake");

	private final ServiceCatalog catalog = new ServiceCatalog(
			List.of(new ServiceDefinition(ServiceName.of("web"), "fake", "web",
					Set.of(ServiceAction.STOP, ServiceAction.START), true, "the web server")),
			List.of(this.backend), Duration.ofSeconds(1), Duration.ofSeconds(1));

	private final ServicesEndpoint endpoint = new ServicesEndpoint(this.catalog, Clock.fixed(NOW, ZoneOffset.UTC));

	@AfterEach
	void close() {
		this.catalog.close();
	}

	@Test
	void describesSinceAndUptimeAndFollowsAChangeOfSince() {
		this.backend.setSince(NOW.minusSeconds(90));
		ServiceDescriptor first = this.endpoint.service("web");
		assertThat(first.since()).isEqualTo("2026-11-22T02:58:30Z");
		assertThat(first.uptimeSeconds()).isEqualTo(90);
		this.backend.setSince(NOW.minusSeconds(5));
		ServiceDescriptor second = this.endpoint.service("web");
		assertThat(second.since()).isEqualTo("2026-11-22T02:59:55Z");
		assertThat(second.uptimeSeconds()).isEqualTo(5);
	}

	@Test
	void describesAServiceWithoutSince() {
		ServiceDescriptor descriptor = this.endpoint.service("web");
		assertThat(descriptor.since()).isNull();
		assertThat(descriptor.uptimeSeconds()).isNull();
	}

	@Test
	void listsAllowedActionsInTheirNaturalOrderWithTheDefinitionsDescription() {
		ServiceDescriptor descriptor = this.endpoint.service("web");
		assertThat(descriptor.actions()).containsExactly("start", "stop");
		assertThat(descriptor.capabilities()).as("the fake backend offers no capability").isEmpty();
		assertThat(descriptor.description()).isEqualTo("the web server");
		assertThat(descriptor.state()).isEqualTo("running");
		assertThat(descriptor.critical()).isTrue();
		assertThat(descriptor.declared()).isTrue();
	}

}
