package io.github.supervision.selfregistration.activation;

import java.time.Duration;

import io.github.supervision.ActionResult;
import io.github.supervision.ServiceAction;
import io.github.supervision.UnknownServiceException;
import io.github.supervision.testsupport.RecordingBackend;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link CatalogActions}: an activation's start or stop is held to its deadline
 * by the catalog's guard alone.
 *
 * @author Supervision contributors
 */
class CatalogActionsTests {

	private final RecordingBackend backend = new RecordingBackend("systemd");

	@Test
	void performsOnTheBackendsTargetAndNamesTheResultAfterTheRegistration() {
		ActionResult result = CatalogActions.perform(this.backend, "orders", "orders.service", ServiceAction.START,
				Duration.ofSeconds(5));
		assertThat(result.isSuccessful()).isTrue();
		assertThat(this.backend.calls()).containsExactly("perform orders.service start");
	}

	@Test
	void aBackendThatBreaksItsDeadlineAnswersTimeoutSoonAfterIt() {
		this.backend.setActionDelay(Duration.ofSeconds(30));
		long start = System.nanoTime();
		ActionResult result = CatalogActions.perform(this.backend, "orders", "orders.service", ServiceAction.STOP,
				Duration.ofMillis(200));
		assertThat(result.outcome()).isEqualTo(ActionResult.Outcome.TIMEOUT);
		assertThat(result.isSuccessful()).isFalse();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
	}

	@Test
	void aRefusalOfTheBackendIsThrownForTheActivationToDescribe() {
		this.backend.setActionFailure(new UnknownServiceException("orders.service"));
		assertThatExceptionOfType(UnknownServiceException.class).isThrownBy(() -> CatalogActions.perform(this.backend,
				"orders", "orders.service", ServiceAction.STOP, Duration.ofSeconds(5)));
	}

}
