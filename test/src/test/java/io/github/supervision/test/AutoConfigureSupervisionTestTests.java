package io.github.supervision.test;

import io.github.supervision.ActionResult;
import io.github.supervision.BackendUnavailableException;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceName;
import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import io.github.supervision.SupervisionBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tests for {@link AutoConfigureSupervisionTest}: services of every backend declared as
 * an application declares them, answered by the fakes.
 *
 * @author Supervision contributors
 */
@SpringBootTest(properties = { "supervision.services.nginx.unit=nginx.service",
		"supervision.services.worker.directory=/etc/service/worker",
		"supervision.services.queue.program=queue:worker-1", "supervision.services.ticker.command=/bin/false",
		"supervision.services.ticker.critical=true" })
@AutoConfigureSupervisionTest
class AutoConfigureSupervisionTestTests {

	@Autowired
	private ApplicationContext context;

	@Autowired
	private ServiceCatalog catalog;

	@Autowired
	private FakeSupervision supervision;

	@AfterEach
	void resetFakes() {
		this.supervision.reset();
	}

	@Test
	void replacesEveryRealBackendWithAFake() {
		assertThat(this.context.getBeansOfType(SupervisionBackend.class).values())
			.allSatisfy((backend) -> assertThat(backend).isInstanceOf(FakeSupervisionBackend.class))
			.extracting(SupervisionBackend::id)
			.containsExactlyInAnyOrderElementsOf(FakeSupervision.BUILT_IN_BACKENDS);
	}

	@Test
	void reportsEveryDeclaredServiceRunningUntilATestSaysOtherwise() {
		assertThat(this.catalog.listDeclared()).extracting(ServiceStatus::name, ServiceStatus::state)
			.containsExactlyInAnyOrder(tuple("nginx", ServiceState.RUNNING), tuple("worker", ServiceState.RUNNING),
					tuple("queue", ServiceState.RUNNING), tuple("ticker", ServiceState.RUNNING));
	}

	@Test
	void reportsTheStateATestSets() {
		this.supervision.setState("worker", ServiceState.FAILED);
		assertThat(this.catalog.status(ServiceName.of("worker")).state()).isEqualTo(ServiceState.FAILED);
		assertThat(this.catalog.status(ServiceName.of("nginx")).state()).isEqualTo(ServiceState.RUNNING);
	}

	@Test
	void actsAsASupervisorWouldAndRecordsTheAction() {
		ActionResult stop = this.catalog.perform(ServiceName.of("nginx"), ServiceAction.STOP);
		assertThat(stop.outcome()).isEqualTo(ActionResult.Outcome.DONE);
		assertThat(this.supervision.getState("nginx")).isEqualTo(ServiceState.STOPPED);
		ActionResult again = this.catalog.perform(ServiceName.of("nginx"), ServiceAction.STOP);
		assertThat(again.outcome()).isEqualTo(ActionResult.Outcome.NO_CHANGE);
		this.catalog.perform(ServiceName.of("nginx"), ServiceAction.START);
		assertThat(this.supervision.getActions("nginx")).containsExactly(ServiceAction.STOP, ServiceAction.STOP,
				ServiceAction.START);
		assertThat(this.supervision.getActions("worker")).isEmpty();
	}

	@Test
	void failsTheActionATestMakesFail() {
		this.supervision.failAction("queue", ServiceAction.RESTART, "ERROR (spawn error)");
		ActionResult restart = this.catalog.perform(ServiceName.of("queue"), ServiceAction.RESTART);
		assertThat(restart.outcome()).isEqualTo(ActionResult.Outcome.FAILED);
		assertThat(restart.message()).isEqualTo("ERROR (spawn error)");
		assertThat(this.supervision.getActions("queue")).containsExactly(ServiceAction.RESTART);
	}

	@Test
	void failsTheActionWithTheExceptionATestGives() {
		this.supervision.failAction("ticker", ServiceAction.START, new BackendUnavailableException("gone"));
		assertThatExceptionOfType(BackendUnavailableException.class)
			.isThrownBy(() -> this.catalog.perform(ServiceName.of("ticker"), ServiceAction.START));
	}

	@Test
	void refusesToFakeAServiceThatIsNotDeclared() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> this.supervision.setState("web", ServiceState.STOPPED))
			.withMessageContaining("No service named 'web'");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
