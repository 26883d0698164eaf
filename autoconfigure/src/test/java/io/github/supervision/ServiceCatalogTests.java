package io.github.supervision;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.github.supervision.testsupport.RecordingBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ServiceCatalog}.
 *
 * @author Supervision contributors
 */
class ServiceCatalogTests {

	private final RecordingBackend alpha = new RecordingBackend("alpha");

	private final RecordingBackend beta = new RecordingBackend("beta");

	private ServiceCatalog catalog = catalog(List.of(definition("one", "alpha", "t1"), definition("two", "alpha", "t2"),
			definition("three", "beta", "t3"), new ServiceDefinition(ServiceName.of("readonly"), "alpha", "t4",
					Set.of(ServiceAction.RESTART), false, null)));

	@AfterEach
	void close() {
		this.catalog.close();
	}

	@Test
	void listAsksEachBackendOnceForAllItsServices() {
		List<ServiceStatus> statuses = this.catalog.list();
		assertThat(statuses).extracting(ServiceStatus::name).containsExactly("one", "two", "three", "readonly");
		assertThat(statuses).extracting(ServiceStatus::target).containsExactly("t1", "t2", "t3", "t4");
		assertThat(this.alpha.calls()).containsExactly("status[t1, t2, t4]");
		assertThat(this.beta.calls()).containsExactly("status[t3]");
	}

	@Test
	void aSingleBackendIsReadOnTheCallingThread() {
		this.catalog.close();
		this.catalog = catalog(List.of(definition("one", "alpha", "t1")));
		this.catalog.list();
		assertThat(this.alpha.statusThread()).isEqualTo(Thread.currentThread().getName());
		assertThat(this.beta.calls()).isEmpty();
	}

	@Test
	void discoveredServicesFollowTheDeclaredOnesWithoutDuplicatesOrInvalidNames() {
		this.beta.setDiscovered(List.of("t3", "extra", "../bad", "more"));
		List<ServiceStatus> statuses = this.catalog.list();
		assertThat(statuses).extracting(ServiceStatus::name)
			.containsExactly("one", "two", "three", "readonly", "extra", "more");
		assertThat(this.alpha.calls()).doesNotContain("discover");
		assertThat(this.beta.calls()).contains("discover");
		assertThatExceptionOfType(UnknownServiceException.class)
			.isThrownBy(() -> this.catalog.perform(ServiceName.of("extra"), ServiceAction.STOP));
		assertThat(this.catalog.status(ServiceName.of("extra")).target()).isEqualTo("extra");
	}

	@Test
	void servicesOfAMissingBackendAreUnknownWithAReason() {
		this.catalog.close();
		this.catalog = catalog(List.of(definition("one", "alpha", "t1"), definition("ghost", "gamma", "g")));
		List<ServiceStatus> statuses = this.catalog.list();
		assertThat(statuses.get(0).state()).isEqualTo(ServiceState.RUNNING);
		assertThat(statuses.get(1).state()).isEqualTo(ServiceState.UNKNOWN);
		assertThat(statuses.get(1).message()).contains("'gamma'");
	}

	@Test
	void performOnAnUndeclaredServiceIsUnknownAndNeverReachesTheBackend() {
		assertThatExceptionOfType(UnknownServiceException.class)
			.isThrownBy(() -> this.catalog.perform(ServiceName.of("nobody"), ServiceAction.RESTART));
		assertThat(this.alpha.calls()).isEmpty();
		assertThat(this.beta.calls()).isEmpty();
	}

	@Test
	void performOfAnActionThatIsNotAllowedIsRefused() {
		assertThatExceptionOfType(ActionNotAllowedException.class)
			.isThrownBy(() -> this.catalog.perform(ServiceName.of("readonly"), ServiceAction.STOP));
		assertThat(this.alpha.calls()).isEmpty();
	}

	@Test
	void performReturnsTheResultUnderTheDeclaredName() {
		ActionResult result = this.catalog.perform(ServiceName.of("one"), ServiceAction.RESTART);
		assertThat(result.outcome()).isEqualTo(ActionResult.Outcome.DONE);
		assertThat(result.status().name()).isEqualTo("one");
		assertThat(this.alpha.calls()).containsExactly("perform t1 restart");
	}

	@Test
	void anActionTheBackendDoesNotSupportIsAnsweredWithoutCallingIt() {
		RecordingBackend limited = new RecordingBackend("limited") {

			@Override
			public Set<ServiceAction> supportedActions() {
				return Set.of(ServiceAction.START, ServiceAction.STOP);
			}

		};
		this.catalog.close();
		this.catalog = new ServiceCatalog(
				List.of(new ServiceDefinition(ServiceName.of("one"), "limited", "t1",
						Set.of(ServiceAction.START, ServiceAction.RESTART, ServiceAction.PAUSE), false, null)),
				List.of(limited), Duration.ofSeconds(2), Duration.ofSeconds(2));
		ActionResult result = this.catalog.perform(ServiceName.of("one"), ServiceAction.RESTART);
		assertThat(result.outcome()).isEqualTo(ActionResult.Outcome.UNSUPPORTED);
		assertThat(result.message()).isEqualTo("The limited backend has no 'restart' action; it has start, stop");
		assertThat(limited.calls()).isEmpty();
		assertThatExceptionOfType(ActionNotAllowedException.class)
			.isThrownBy(() -> this.catalog.perform(ServiceName.of("one"), ServiceAction.STOP));
		assertThat(this.catalog.getActions(ServiceName.of("one"))).containsExactly(ServiceAction.START);
		assertThat(this.catalog.getActions(ServiceName.of("nobody"))).isEmpty();
	}

	@Test
	void performThatOutlivesItsDeadlineTimesOutWithoutHangingTheCaller() {
		this.alpha.setActionDelay(Duration.ofSeconds(5));
		long start = System.nanoTime();
		ActionResult result = this.catalog.perform(ServiceName.of("one"), ServiceAction.RESTART,
				Duration.ofMillis(100));
		assertThat(result.outcome()).isEqualTo(ActionResult.Outcome.TIMEOUT);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
	}

	@Test
	void statusOfOneDeclaredServiceAsksOnlyForThatService() {
		assertThat(this.catalog.status(ServiceName.of("two")).target()).isEqualTo("t2");
		assertThat(this.alpha.calls()).containsExactly("status[t2]");
		assertThat(this.beta.calls()).isEmpty();
	}

	@Test
	void statusOfAnUnknownServiceIsUnknown() {
		assertThatExceptionOfType(UnknownServiceException.class)
			.isThrownBy(() -> this.catalog.status(ServiceName.of("nobody")));
	}

	@Test
	void aBackendThatIsDownMakesItsServicesUnknownAndLeavesOthersAlone() {
		this.alpha.goDown("socket missing");
		List<ServiceStatus> statuses = this.catalog.list();
		assertThat(statuses.get(0).state()).isEqualTo(ServiceState.UNKNOWN);
		assertThat(statuses.get(0).message()).isEqualTo("socket missing");
		assertThat(statuses.get(2).state()).isEqualTo(ServiceState.RUNNING);
	}

	private ServiceCatalog catalog(List<ServiceDefinition> definitions) {
		return new ServiceCatalog(definitions, List.of(this.alpha, this.beta), Duration.ofSeconds(2),
				Duration.ofSeconds(2));
	}

	private static ServiceDefinition definition(String name, String backend, String target) {
		return new ServiceDefinition(ServiceName.of(name), backend, target, null, false, null);
	}

}
