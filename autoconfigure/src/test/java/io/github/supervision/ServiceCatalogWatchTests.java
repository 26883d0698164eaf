package io.github.supervision;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.supervision.embedded.EmbeddedBackend;
import io.github.supervision.embedded.EmbeddedServiceSpec;
import io.github.supervision.embedded.RestartPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ServiceCatalog#watch(ServiceStatusListener)} against the embedded
 * backend, whose services are real processes.
 *
 * @author Supervision contributors
 */
class ServiceCatalogWatchTests {

	private final EmbeddedBackend backend = new EmbeddedBackend(List.of(new EmbeddedServiceSpec("ticker",
			List.of("/bin/sleep", "600"), null, Map.of(), RestartPolicy.ON_FAILURE, Duration.ofMillis(200), 1,
			Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(2), false, null, 1024)));

	private final ServiceCatalog catalog = new ServiceCatalog(
			List.of(new ServiceDefinition(ServiceName.of("web"), EmbeddedBackend.ID, "ticker", null, false, null)),
			List.of(this.backend), Duration.ofSeconds(2), Duration.ofSeconds(5));

	@AfterEach
	void close() {
		this.catalog.close();
		this.backend.close();
	}

	@Test
	void aDeclaredServicesChangeArrivesUnderItsDeclaredNameOnACatalogThread() {
		List<ServiceStatus> changes = new CopyOnWriteArrayList<>();
		List<String> threads = new CopyOnWriteArrayList<>();
		this.catalog.watch((status) -> {
			changes.add(status);
			threads.add(Thread.currentThread().getName());
		});
		assertThat(this.catalog.perform(ServiceName.of("web"), ServiceAction.START).outcome())
			.isEqualTo(ActionResult.Outcome.DONE);
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(changes).extracting(ServiceStatus::state).contains(ServiceState.RUNNING));
		assertThat(changes).extracting(ServiceStatus::name).containsOnly("web");
		assertThat(changes).extracting(ServiceStatus::target).containsOnly("ticker");
		assertThat(threads).allMatch((thread) -> thread.startsWith("supervision-catalog-events-"));
	}

	@Test
	void aListenerThatBlocksDelaysNeitherTheBackendNorItsActions() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		try {
			this.catalog.watch((status) -> {
				try {
					release.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
			assertThat(this.catalog.perform(ServiceName.of("web"), ServiceAction.START).outcome())
				.isEqualTo(ActionResult.Outcome.DONE);
			assertThat(this.catalog.perform(ServiceName.of("web"), ServiceAction.STOP).outcome())
				.isEqualTo(ActionResult.Outcome.DONE);
		}
		finally {
			release.countDown();
		}
	}

	@Test
	void closingTheLastSubscriptionStopsTheNotifications() {
		List<ServiceStatus> changes = new CopyOnWriteArrayList<>();
		Subscription subscription = this.catalog.watch(changes::add);
		assertThat(this.catalog.perform(ServiceName.of("web"), ServiceAction.START).outcome())
			.isEqualTo(ActionResult.Outcome.DONE);
		await().atMost(Duration.ofSeconds(5)).until(() -> !changes.isEmpty());
		subscription.close();
		int seen = changes.size();
		assertThat(this.catalog.perform(ServiceName.of("web"), ServiceAction.STOP).outcome())
			.isEqualTo(ActionResult.Outcome.DONE);
		await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> changes.size() == seen);
	}

}
