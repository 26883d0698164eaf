package io.github.supervision.actuate.events;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.supervision.ActionResult;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceName;
import io.github.supervision.ServiceState;
import io.github.supervision.autoconfigure.EmbeddedSupervisionAutoConfiguration;
import io.github.supervision.autoconfigure.RunitSupervisionAutoConfiguration;
import io.github.supervision.autoconfigure.SupervisionAutoConfiguration;
import io.github.supervision.autoconfigure.SupervisionEventsAutoConfiguration;
import io.github.supervision.testsupport.RealDaemonTest;
import io.github.supervision.testsupport.Runsvdir;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ServiceStatusChangedEvent}, published by
 * {@link ServiceStatusEventPublisher} when a real service stops.
 *
 * @author Supervision contributors
 */
class ServiceStatusChangedEventTests {

	private static final Duration DEADLINE = Duration.ofSeconds(30);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(SupervisionAutoConfiguration.class, EmbeddedSupervisionAutoConfiguration.class,
						RunitSupervisionAutoConfiguration.class, SupervisionEventsAutoConfiguration.class))
		.withUserConfiguration(Recorder.class);

	@Test
	void publishesTheOldAndNewStatusOfAnEmbeddedServiceThatStops() {
		this.contextRunner.withPropertyValues("supervision.services.sleeper.command=/bin/sleep,600")
			.run((context) -> stopAndExpectEvents(context, "sleeper"));
	}

	@Test
	void publishesNothingWhenDisabled() {
		this.contextRunner
			.withPropertyValues("supervision.services.sleeper.command=/bin/sleep,600",
					"supervision.events.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ServiceStatusEventPublisher.class));
	}

	static void stopAndExpectEvents(AssertableApplicationContext context, String service) {
		ServiceCatalog catalog = context.getBean(ServiceCatalog.class);
		Recorder recorder = context.getBean(Recorder.class);
		ServiceName name = ServiceName.of(service);
		Awaitility.await().atMost(DEADLINE).until(() -> catalog.status(name).state() == ServiceState.RUNNING);
		ServiceStatusEventPublisher publisher = context.getBean(ServiceStatusEventPublisher.class);
		Awaitility.await()
			.atMost(DEADLINE)
			.until(() -> publisher.lastStatus(service) != null
					&& publisher.lastStatus(service).state() == ServiceState.RUNNING);
		int before = recorder.events.size();
		ActionResult result = catalog.perform(name, ServiceAction.STOP);
		assertThat(result.isSuccessful()).as(result.message()).isTrue();
		Awaitility.await()
			.atMost(DEADLINE)
			.until(() -> recorder.events.stream()
				.skip(before)
				.anyMatch((event) -> event.getNewStatus().state() == ServiceState.STOPPED));
		List<ServiceStatusChangedEvent> events = recorder.events.subList(before, recorder.events.size());
		assertThat(events).allSatisfy((event) -> {
			assertThat(event.getServiceName()).isEqualTo(service);
			assertThat(event.getSource()).isSameAs(catalog);
		});
		ServiceStatusChangedEvent first = events.get(0);
		assertThat(first.getOldStatus()).isNotNull();
		assertThat(first.getOldStatus().state()).isEqualTo(ServiceState.RUNNING);
		assertThat(first.getOldStatus().pid()).isNotNull();
		// each change's old status is the one before it
		for (int i = 1; i < events.size(); i++) {
			assertThat(events.get(i).getOldStatus()).isEqualTo(events.get(i - 1).getNewStatus());
		}
		ServiceStatusChangedEvent stopped = events.stream()
			.filter((event) -> event.getNewStatus().state() == ServiceState.STOPPED)
			.findFirst()
			.orElseThrow();
		assertThat(stopped.getNewStatus().pid()).isNull();
		assertThat(recorder.threads)
			.allSatisfy((thread) -> assertThat(thread).startsWith("supervision-status-events-"));
	}

	@Nested
	@RealDaemonTest
	class WithRunit {

		@RegisterExtension
		static final Runsvdir runsvdir = Runsvdir
			.withServices((runsvdir) -> runsvdir.service("worker", "exec sleep 1000", false));

		@Test
		void publishesTheOldAndNewStatusOfARunitServiceThatStops() {
			ServiceStatusChangedEventTests.this.contextRunner
				.withPropertyValues("supervision.runit.service-directory=" + runsvdir.scan(),
						"supervision.services.worker.directory=worker")
				.run((context) -> {
					try {
						stopAndExpectEvents(context, "worker");
					}
					finally {
						context.getBean(ServiceCatalog.class).perform(ServiceName.of("worker"), ServiceAction.START);
					}
				});
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Recorder {

		final List<ServiceStatusChangedEvent> events = new CopyOnWriteArrayList<>();

		final List<String> threads = new CopyOnWriteArrayList<>();

		@Bean
		Object statusListener() {
			return new Object() {

				@EventListener
				void changed(ServiceStatusChangedEvent event) {
					Recorder.this.threads.add(Thread.currentThread().getName());
					Recorder.this.events.add(event);
				}

			};
		}

	}

}
