package io.github.supervision;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.supervision.testsupport.RecordingBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ServiceCatalog#intercept(ActionInterceptor)}.
 *
 * @author Supervision contributors
 */
class ServiceCatalogInterceptTests {

	private final RecordingBackend backend = new RecordingBackend("recording");

	private final ServiceCatalog catalog = new ServiceCatalog(
			List.of(new ServiceDefinition(ServiceName.of("web"), "recording", "web-1", null, false, null)),
			List.of(this.backend), Duration.ofSeconds(2), Duration.ofSeconds(5));

	private final List<String> events = new CopyOnWriteArrayList<>();

	@AfterEach
	void close() {
		this.catalog.close();
	}

	@Test
	void anInterceptorWrapsTheActionUnderTheDeclaredNameAndSeesItsResult() {
		this.catalog.intercept((service, backend, action, proceed) -> {
			this.events.add("before " + service + " " + backend + " " + action.id());
			ActionResult result = proceed.get();
			this.events.add("after " + result.outcome());
			return result;
		});
		this.catalog.perform(ServiceName.of("web"), ServiceAction.RESTART);
		assertThat(this.events).containsExactly("before web recording restart", "after DONE");
		assertThat(this.backend.calls()).containsExactly("perform web-1 restart");
	}

	@Test
	void interceptorsRegisteredLaterWrapThoseRegisteredEarlier() {
		this.catalog.intercept(recording("first"));
		this.catalog.intercept(recording("second"));
		this.catalog.perform(ServiceName.of("web"), ServiceAction.START);
		assertThat(this.events).containsExactly("second in", "first in", "first out", "second out");
	}

	@Test
	void aRefusalOfThePolicyPassesThroughTheInterceptor() {
		this.catalog.intercept(recording("one"));
		assertThatExceptionOfType(ActionNotAllowedException.class)
			.isThrownBy(() -> this.catalog.perform(ServiceName.of("web"), ServiceAction.KILL));
		assertThat(this.events).containsExactly("one in");
		assertThat(this.backend.calls()).isEmpty();
	}

	@Test
	void anUndeclaredNameNeverReachesAnInterceptor() {
		this.catalog.intercept(recording("one"));
		assertThatExceptionOfType(UnknownServiceException.class)
			.isThrownBy(() -> this.catalog.perform(ServiceName.of("nobody"), ServiceAction.START));
		assertThat(this.events).isEmpty();
	}

	@Test
	void closingTheRegistrationRemovesTheInterceptor() {
		this.catalog.intercept(recording("one")).close();
		this.catalog.perform(ServiceName.of("web"), ServiceAction.START);
		assertThat(this.events).isEmpty();
		assertThat(this.backend.calls()).containsExactly("perform web-1 start");
	}

	private ActionInterceptor recording(String name) {
		return (service, backend, action, proceed) -> {
			this.events.add(name + " in");
			ActionResult result = proceed.get();
			this.events.add(name + " out");
			return result;
		};
	}

}
