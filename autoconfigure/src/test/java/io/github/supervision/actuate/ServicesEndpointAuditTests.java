package io.github.supervision.actuate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.github.supervision.ActionNotAllowedException;
import io.github.supervision.BackendUnavailableException;
import io.github.supervision.InvalidActionException;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceDefinition;
import io.github.supervision.ServiceName;
import io.github.supervision.UnknownServiceException;
import io.github.supervision.testsupport.RecordingBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.audit.AuditEvent;
import org.springframework.boot.actuate.audit.listener.AuditApplicationEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for the {@link AuditApplicationEvent audit events} of the
 * {@link ServicesEndpoint}'s actions: every action that reaches a service is audited,
 * successful or not.
 *
 * @author Supervision contributors
 */
class ServicesEndpointAuditTests {

	private final RecordingBackend backend = new RecordingBackend("fake");

	private final ServiceCatalog catalog = new ServiceCatalog(List
		.of(new ServiceDefinition(ServiceName.of("web"), "fake", "web", Set.of(ServiceAction.STOP), false, null)),
			List.of(this.backend), Duration.ofSeconds(1), Duration.ofSeconds(1));

	private final ServicesEndpoint endpoint = new ServicesEndpoint(this.catalog);

	private final List<AuditEvent> audited = new ArrayList<>();

	@BeforeEach
	void listen() {
		this.endpoint
			.setApplicationEventPublisher((event) -> this.audited.add(((AuditApplicationEvent) event).getAuditEvent()));
	}

	@AfterEach
	void close() {
		this.catalog.close();
	}

	@Test
	void auditsADoneActionWithThePrincipalAndTheOutcome() {
		this.endpoint.act("web", "stop", "alice");
		assertThat(this.audited).singleElement().satisfies((event) -> {
			assertThat(event.getPrincipal()).isEqualTo("alice");
			assertThat(event.getType()).isEqualTo(ServicesEndpoint.AUDIT_TYPE).isEqualTo("SERVICE_ACTION");
			assertThat(event.getData()).containsEntry("service", "web")
				.containsEntry("action", "stop")
				.containsEntry("outcome", "done")
				.containsKey("message");
		});
	}

	@Test
	void auditsRefusalsWithTheirReason() {
		assertThatExceptionOfType(ActionNotAllowedException.class)
			.isThrownBy(() -> this.endpoint.act("web", "restart", "bob"));
		assertThatExceptionOfType(UnknownServiceException.class)
			.isThrownBy(() -> this.endpoint.act("nope", "stop", null));
		this.backend.setActionFailure(new BackendUnavailableException("the fake backend is down"));
		assertThatExceptionOfType(BackendUnavailableException.class)
			.isThrownBy(() -> this.endpoint.act("web", "stop", "carol"));
		assertThat(this.audited).extracting(AuditEvent::getPrincipal).containsExactly("bob", "anonymous", "carol");
		assertThat(this.audited).allSatisfy((event) -> assertThat(event.getData()).containsEntry("outcome", "refused"));
		assertThat(this.audited.get(0).getData()).containsEntry("action", "restart")
			.hasEntrySatisfying("message", (message) -> assertThat(message.toString()).contains("restart"));
		assertThat(this.audited.get(2).getData()).containsEntry("message", "the fake backend is down");
	}

	@Test
	void doesNotAuditARequestThatNamesNoValidAction() {
		assertThatExceptionOfType(InvalidActionException.class)
			.isThrownBy(() -> this.endpoint.act("web", "dance", "eve"));
		assertThat(this.audited).isEmpty();
	}

}
