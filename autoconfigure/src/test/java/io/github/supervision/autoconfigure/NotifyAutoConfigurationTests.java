package io.github.supervision.autoconfigure;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.supervision.notify.NotifySocket;
import io.github.supervision.notify.SystemdNotifier;
import io.github.supervision.notify.boot.NotifyStartupProgress;
import io.github.supervision.notify.boot.SystemdNotifyListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.aot.AbstractAotProcessor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link NotifyAutoConfiguration}, with a real AF_UNIX datagram socket bound by
 * the test standing in for systemd.
 *
 * @author Supervision contributors
 */
class NotifyAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NotifyAutoConfiguration.class));

	@TempDir
	Path temp;

	@Test
	void providesANotifierThatIsIdleWithoutNotifySocketAndReportsOnlyWhenSystemdListens() {
		boolean listening = SystemdNotifier.fromEnvironment().isEnabled();
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(SystemdNotifier.class);
			assertThat(context.getBean(SystemdNotifier.class).isEnabled()).isEqualTo(listening);
			if (listening) {
				assertThat(context).hasSingleBean(SystemdNotifyListener.class)
					.hasSingleBean(NotifyStartupProgress.class);
			}
			else {
				assertThat(context).doesNotHaveBean(SystemdNotifyListener.class)
					.doesNotHaveBean(NotifyStartupProgress.class);
			}
			AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
		});
	}

	@Test
	void reportsToANotifierTheApplicationDefinesWithoutNotifySocket() {
		this.contextRunner.withUserConfiguration(UserNotifierConfiguration.class)
			.run((context) -> assertThat(context).hasSingleBean(SystemdNotifyListener.class)
				.hasSingleBean(NotifyStartupProgress.class)
				.getBean(SystemdNotifier.class)
				.isSameAs(context.getBean("userNotifier")));
	}

	@Test
	void reportsWhenProcessedAheadOfTimeWhateverTheBuildsEnvironment() {
		String previous = System.setProperty(AbstractAotProcessor.AOT_PROCESSING, "true");
		try {
			this.contextRunner.run((context) -> assertThat(context).hasSingleBean(SystemdNotifyListener.class));
		}
		finally {
			if (previous == null) {
				System.clearProperty(AbstractAotProcessor.AOT_PROCESSING);
			}
			else {
				System.setProperty(AbstractAotProcessor.AOT_PROCESSING, previous);
			}
		}
	}

	@Test
	void backsOffWhenTheUserDefinesANotifier() {
		SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of(), 1);
		this.contextRunner.withBean(SystemdNotifier.class, () -> notifier)
			.run((context) -> assertThat(context.getBean(SystemdNotifier.class)).isSameAs(notifier));
	}

	@Test
	void isDisabledByProperty() {
		this.contextRunner.withPropertyValues("supervision.notify.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SystemdNotifier.class)
				.doesNotHaveBean(SystemdNotifyListener.class));
	}

	@Test
	void backsOffWithoutJunixsocket() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.newsclub.net.unix"))
			.run((context) -> assertThat(context).doesNotHaveBean(SystemdNotifier.class));
	}

	@Test
	void reportsStartingReadyAndStoppingToAPathSocket() throws Exception {
		try (NotifySocket socket = NotifySocket.atPath(this.temp.resolve("notify"))) {
			ConfigurableApplicationContext[] closed = new ConfigurableApplicationContext[1];
			this.contextRunner.withBean(SystemdNotifier.class, () -> notifier(socket, null)).run((context) -> {
				assertThat(socket.receive(5000)).isEqualTo("STATUS=Starting");
				AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
				assertThat(socket.receiveUntil("READY=1", 5000)).last()
					.asString()
					.matches("READY=1\nSTATUS=Started in \\d+\\.\\d s");
				closed[0] = context;
			});
			assertThat(closed[0].isActive()).isFalse();
			assertThat(socket.receiveUntil("STOPPING=1", 5000)).last().isEqualTo("STOPPING=1\nSTATUS=Stopping");
		}
	}

	@Test
	void pingsTheWatchdogOfAnAbstractSocketWhileLivenessIsCorrect() throws Exception {
		try (NotifySocket socket = NotifySocket.abstractName()) {
			this.contextRunner.withBean(SystemdNotifier.class, () -> notifier(socket, "200000")).run((context) -> {
				AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
				assertThat(socket.receiveUntil("WATCHDOG=1", 5000)).last().isEqualTo("WATCHDOG=1");
				assertThat(socket.receiveUntil("WATCHDOG=1", 1000)).last().isEqualTo("WATCHDOG=1");
				AvailabilityChangeEvent.publish(context, LivenessState.BROKEN);
				assertThat(socket.receiveUntil("BROKEN", 5000)).last().asString().contains("STATUS=Liveness is BROKEN");
				assertThat(socket.receiveUntil("WATCHDOG=1", 600)).doesNotContain("WATCHDOG=1");
				AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
				assertThat(socket.receiveUntil("WATCHDOG=1", 5000)).last().isEqualTo("WATCHDOG=1");
			});
		}
	}

	@Test
	void stopsPingingTheWatchdogWhileHealthIsDownWhenAsked() throws Exception {
		assertThat(watchdogPingsWithHealth(Health.down().build())).doesNotContain("WATCHDOG=1");
	}

	@Test
	void pingsTheWatchdogWhileHealthIsUpWhenAsked() throws Exception {
		assertThat(watchdogPingsWithHealth(Health.up().build())).contains("WATCHDOG=1");
	}

	private List<String> watchdogPingsWithHealth(Health health) throws Exception {
		try (NotifySocket socket = NotifySocket.abstractName()) {
			List<List<String>> messages = new ArrayList<>();
			this.contextRunner
				.withConfiguration(AutoConfigurations.of(HealthContributorAutoConfiguration.class,
						HealthContributorRegistryAutoConfiguration.class, HealthEndpointAutoConfiguration.class))
				.withPropertyValues("supervision.notify.watchdog-requires-health=true")
				.withBean("indicator", HealthIndicator.class, () -> () -> health)
				.withBean(SystemdNotifier.class, () -> notifier(socket, "200000"))
				.run((context) -> {
					assertThat(context).hasNotFailed();
					messages.add(socket.receiveUntil("WATCHDOG=1", 1500));
				});
			assertThat(messages.get(0)).isNotEmpty();
			return messages.get(0);
		}
	}

	@Test
	void asksForMoreTimeWhileStartUpMakesProgress() throws Exception {
		try (NotifySocket socket = NotifySocket.atPath(this.temp.resolve("notify"))) {
			this.contextRunner.withPropertyValues("supervision.notify.startup-extension=300ms")
				.withBean(SystemdNotifier.class, () -> notifier(socket, null))
				.withUserConfiguration(SlowStartConfiguration.class)
				.run((context) -> {
					AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
					List<String> messages = socket.receiveUntil("READY=1", 5000);
					assertThat(messages).contains("EXTEND_TIMEOUT_USEC=300000");
					assertThat(socket.receiveUntil("EXTEND_TIMEOUT_USEC", 500)).isEmpty();
				});
		}
	}

	private static SystemdNotifier notifier(NotifySocket socket, String watchdogUsec) {
		Map<String, String> environment = (watchdogUsec != null)
				? Map.of("NOTIFY_SOCKET", socket.name(), "WATCHDOG_USEC", watchdogUsec)
				: Map.of("NOTIFY_SOCKET", socket.name());
		return SystemdNotifier.fromEnvironment(environment, ProcessHandle.current().pid());
	}

	@Configuration(proxyBeanMethods = false)
	static class UserNotifierConfiguration {

		@Bean
		SystemdNotifier userNotifier() {
			return SystemdNotifier.fromEnvironment(Map.of(), 1);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SlowStartConfiguration {

		@Bean
		Object slowOne(SystemdNotifyListener listener) throws InterruptedException {
			Thread.sleep(250);
			return new Object();
		}

		@Bean
		Object slowTwo(SystemdNotifyListener listener, Object slowOne) throws InterruptedException {
			Thread.sleep(250);
			return new Object();
		}

	}

}
