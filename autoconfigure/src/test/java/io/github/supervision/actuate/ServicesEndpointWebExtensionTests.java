package io.github.supervision.actuate;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.github.supervision.ActionResult;
import io.github.supervision.ActionResult.Outcome;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceDefinition;
import io.github.supervision.ServiceName;
import io.github.supervision.actuate.ServicesEndpoint.ActionDescriptor;
import io.github.supervision.testsupport.RecordingBackend;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ServicesEndpointWebExtension}'s mapping of an action's outcome to
 * HTTP.
 *
 * @author Supervision contributors
 */
class ServicesEndpointWebExtensionTests {

	private final OutcomeBackend backend = new OutcomeBackend();

	private final ServiceCatalog catalog = new ServiceCatalog(List.of(new ServiceDefinition(ServiceName.of("web"),
			"fake", "web", EnumSet.allOf(ServiceAction.class), false, null)), List.of(this.backend),
			Duration.ofSeconds(1), Duration.ofSeconds(1));

	private final ServicesEndpointWebExtension extension = new ServicesEndpointWebExtension(
			new ServicesEndpoint(this.catalog));

	@AfterEach
	void close() {
		this.catalog.close();
	}

	@Test
	void eachOutcomeHasItsHttpStatusAndItsLowerCaseWord() {
		Map<Outcome, Integer> statuses = Map.of(Outcome.DONE, 200, Outcome.NO_CHANGE, 200, Outcome.FAILED, 502,
				Outcome.TIMEOUT, 504, Outcome.CANCELED, 409, Outcome.UNSUPPORTED, 400);
		assertThat(statuses).containsOnlyKeys(Outcome.values());
		statuses.forEach((outcome, status) -> {
			this.backend.outcome = outcome;
			WebEndpointResponse<?> response = this.extension.perform("web", "restart", null, SecurityContext.NONE);
			assertThat(response.getStatus()).as(outcome.name()).isEqualTo(status);
			assertThat(response.getBody()).isInstanceOfSatisfying(ActionDescriptor.class,
					(descriptor) -> assertThat(descriptor.outcome())
						.isEqualTo(outcome.name().toLowerCase(Locale.ROOT)));
		});
	}

	@Test
	void anActionTheBackendDoesNotSupportIs400WithoutReachingIt() {
		WebEndpointResponse<?> response = this.extension.perform("web", "once", null, SecurityContext.NONE);
		assertThat(response.getStatus()).isEqualTo(400);
		assertThat(response.getBody()).isInstanceOfSatisfying(ActionDescriptor.class,
				(descriptor) -> assertThat(descriptor.outcome()).isEqualTo("unsupported"));
		assertThat(this.backend.calls()).isEmpty();
	}

	static class OutcomeBackend extends RecordingBackend {

		volatile @Nullable Outcome outcome;

		OutcomeBackend() {
			super("fake");
		}

		@Override
		public Set<ServiceAction> supportedActions() {
			return EnumSet.complementOf(EnumSet.of(ServiceAction.ONCE));
		}

		@Override
		public CompletableFuture<ActionResult> perform(String target, ServiceAction action, Duration timeout) {
			return super.perform(target, action, timeout)
				.thenApply((result) -> new ActionResult(action, this.outcome, "said so", null, result.status()));
		}

	}

}
