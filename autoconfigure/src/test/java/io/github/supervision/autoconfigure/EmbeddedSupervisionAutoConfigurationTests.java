package io.github.supervision.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceName;
import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import io.github.supervision.SupervisionBackend;
import io.github.supervision.embedded.EmbeddedBackend;
import io.github.supervision.embedded.EmbeddedServiceSpec;
import io.github.supervision.embedded.RestartPolicy;
import io.github.supervision.testsupport.RealDaemons;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link EmbeddedSupervisionAutoConfiguration}.
 *
 * @author Supervision contributors
 */
class EmbeddedSupervisionAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(EmbeddedSupervisionAutoConfiguration.class, SupervisionAutoConfiguration.class));

	@Test
	void providesTheBackendForServicesDeclaredWithACommand() {
		this.contextRunner
			.withPropertyValues("supervision.services.ticker.command=/bin/sh,-c,exec sleep 600",
					"supervision.services.ticker.autostart=false")
			.run((context) -> {
				assertThat(context).hasSingleBean(EmbeddedBackend.class);
				EmbeddedBackend backend = context.getBean(EmbeddedBackend.class);
				assertThat(context.getBeansOfType(SupervisionBackend.class)).containsValue(backend);
				assertThat(backend.serviceNames()).containsExactly("ticker");
				ServiceStatus status = context.getBean(ServiceCatalog.class).status(ServiceName.of("ticker"));
				assertThat(status.backend()).isEqualTo("embedded");
				assertThat(status.rawState()).isEqualTo("STOPPED");
			});
	}

	@Test
	void startsAutostartServicesWithTheContextAndStopsThemWhenItCloses() {
		RealDaemons.requireExecutables("/bin/sh", "/usr/bin/setsid", "/bin/kill");
		AtomicLong pid = new AtomicLong();
		this.contextRunner
			.withPropertyValues("supervision.services.ticker.command=/bin/sh,-c,exec sleep 600",
					"supervision.embedded.start-seconds=100ms")
			.run((context) -> {
				EmbeddedBackend backend = context.getBean(EmbeddedBackend.class);
				await("ticker to start").atMost(Duration.ofSeconds(5))
					.until(() -> backend.status("ticker").state() == ServiceState.RUNNING);
				pid.set(backend.status("ticker").pid());
				assertThat(Files.readString(Path.of("/proc/" + pid.get() + "/cmdline"))).contains("sleep");
			});
		assertThat(pid.get()).isPositive();
		assertThat(Path.of("/proc/" + pid.get())).doesNotExist();
	}

	@Test
	void fillsServiceDefaultsFromTheEmbeddedProperties() {
		this.contextRunner
			.withPropertyValues("supervision.embedded.stop-timeout=3s", "supervision.embedded.start-retries=5",
					"supervision.embedded.tail-size=2KB", "supervision.embedded.restart-delay=200ms",
					"supervision.services.a.command=sh,-c,true", "supervision.services.b.restart-delay-max=1m",
					"supervision.services.a.autostart=false", "supervision.services.b.backend=embedded",
					"supervision.services.b.command=/bin/true", "supervision.services.b.start-seconds=250ms",
					"supervision.services.b.restart=always", "supervision.services.b.environment.GREETING=hi",
					"supervision.services.b.working-directory=/tmp", "supervision.services.c.unit=c.service")
			.run((context) -> {
				List<EmbeddedServiceSpec> specs = EmbeddedSupervisionAutoConfiguration
					.specs(context.getBean(DeclaredServices.class), context.getBean(EmbeddedProperties.class));
				assertThat(specs).extracting(EmbeddedServiceSpec::name).containsExactly("a", "b");
				EmbeddedServiceSpec a = specs.get(0);
				assertThat(a.stopTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(a.startSeconds()).isEqualTo(Duration.ofSeconds(1));
				assertThat(a.startRetries()).isEqualTo(5);
				assertThat(a.tailBytes()).isEqualTo(2048);
				assertThat(a.restart()).isEqualTo(RestartPolicy.ON_FAILURE);
				assertThat(a.autostart()).isFalse();
				assertThat(a.restartDelay()).isEqualTo(Duration.ofMillis(200));
				assertThat(a.restartDelayMax()).isEqualTo(Duration.ofSeconds(10));
				EmbeddedServiceSpec b = specs.get(1);
				assertThat(b.startSeconds()).isEqualTo(Duration.ofMillis(250));
				assertThat(b.restart()).isEqualTo(RestartPolicy.ALWAYS);
				assertThat(b.environment()).containsEntry("GREETING", "hi");
				assertThat(b.workingDirectory()).isEqualTo(Path.of("/tmp"));
				assertThat(b.autostart()).isTrue();
				assertThat(b.restartDelay()).isEqualTo(Duration.ofMillis(200));
				assertThat(b.restartDelayMax()).isEqualTo(Duration.ofMinutes(1));
			});
	}

	@Test
	void backsOffWhenTheUserDefinesTheBackend() {
		EmbeddedBackend own = new EmbeddedBackend(List.of());
		this.contextRunner.withBean(EmbeddedBackend.class, () -> own).run((context) -> {
			assertThat(context).hasSingleBean(EmbeddedBackend.class);
			assertThat(context.getBean(EmbeddedBackend.class)).isSameAs(own);
		});
	}

	@Test
	void isDisabledByProperty() {
		this.contextRunner.withPropertyValues("supervision.embedded.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(EmbeddedBackend.class)
				.hasSingleBean(ServiceCatalog.class));
	}

	@Test
	void failsOnANegativeStopTimeoutNamingTheKey() {
		this.contextRunner
			.withPropertyValues("supervision.services.ticker.command=/bin/sh",
					"supervision.services.ticker.stop-timeout=-1s")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("supervision.services.ticker.stop-timeout"));
	}

	@Test
	void failsOnNegativeStartRetriesNamingTheKey() {
		this.contextRunner.withPropertyValues("supervision.embedded.start-retries=-1")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("supervision.embedded.start-retries"));
	}

	@Test
	void failsOnARestartDelayMaxShorterThanTheRestartDelayNamingTheKey() {
		this.contextRunner
			.withPropertyValues("supervision.services.ticker.command=/bin/sh",
					"supervision.services.ticker.restart-delay-max=500ms")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("supervision.services.ticker.restart-delay-max")
				.hasMessageContaining("Must not be shorter than restart-delay"));
	}

	@Test
	void failsOnARestartDelayLongerThanTheInheritedMaxNamingTheKey() {
		this.contextRunner
			.withPropertyValues("supervision.services.ticker.command=/bin/sh",
					"supervision.services.ticker.restart-delay=1m")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("supervision.services.ticker.restart-delay with")
				.hasMessageContaining("Must not be longer than restart-delay-max"));
	}

	@Test
	void failsOnAZeroRestartDelayMaxNamingTheKey() {
		this.contextRunner
			.withPropertyValues("supervision.embedded.restart-delay=0s", "supervision.embedded.restart-delay-max=0s")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("supervision.embedded.restart-delay-max")
				.hasMessageContaining("Must be positive"));
	}

	@Test
	void failsOnANegativeRestartDelayNamingTheKey() {
		this.contextRunner
			.withPropertyValues("supervision.services.ticker.command=/bin/sh",
					"supervision.services.ticker.restart-delay=-1s")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("supervision.services.ticker.restart-delay with"));
	}

	@Test
	void failsOnAMissingExecutableNamingTheKey() {
		this.contextRunner.withPropertyValues("supervision.services.ticker.command=/nonexistent/ticker,--fast")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("supervision.services.ticker.command[0]")
				.hasMessageNotContaining("--fast"));
	}

	@Test
	void failsOnAWorkingDirectoryThatIsNotADirectoryNamingTheKey() {
		this.contextRunner
			.withPropertyValues("supervision.services.ticker.command=/bin/sh",
					"supervision.services.ticker.working-directory=/nonexistent")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("supervision.services.ticker.working-directory"));
	}

	@Test
	void failsOnAnUnparsableDurationNamingTheKey() {
		this.contextRunner.withPropertyValues("supervision.embedded.stop-timeout=soon")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("Failed to bind properties under 'supervision.embedded.stop-timeout'"));
	}

}
