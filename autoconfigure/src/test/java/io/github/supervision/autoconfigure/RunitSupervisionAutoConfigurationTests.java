package io.github.supervision.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import io.github.supervision.SupervisionBackend;
import io.github.supervision.runit.RunitBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RunitSupervisionAutoConfiguration}.
 *
 * @author Supervision contributors
 */
class RunitSupervisionAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(RunitSupervisionAutoConfiguration.class, SupervisionAutoConfiguration.class));

	// the backend is created only when in use: forced on for the tests of its settings
	private final ApplicationContextRunner inUse = this.contextRunner
		.withPropertyValues("supervision.runit.enabled=true");

	@TempDir
	Path temp;

	@Test
	void providesTheRunitBackend() {
		this.inUse.run((context) -> {
			assertThat(context).hasSingleBean(RunitBackend.class);
			assertThat(context.getBean(RunitBackend.class).getServiceDirectory()).isEqualTo(Path.of("/etc/service"));
			assertThat(context.getBean(ServiceCatalog.class).getBackend("runit")).isNotNull();
		});
	}

	@Test
	void bindsTheServiceDirectory() {
		this.inUse.withPropertyValues("supervision.runit.service-directory=" + this.temp)
			.run((context) -> assertThat(context.getBean(RunitBackend.class).getServiceDirectory())
				.isEqualTo(this.temp));
	}

	@Test
	void startsWhenRunitIsAbsentAndSaysSo() {
		this.contextRunner
			.withPropertyValues("supervision.runit.service-directory=" + this.temp.resolve("missing"),
					"supervision.services.worker.directory=worker")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				RunitBackend backend = context.getBean(RunitBackend.class);
				assertThat(backend.availability().available()).isFalse();
				assertThat(backend.availability().reason()).contains("does not exist");
				List<ServiceStatus> services = context.getBean(ServiceCatalog.class).list();
				assertThat(services).singleElement().satisfies((status) -> {
					assertThat(status.name()).isEqualTo("worker");
					assertThat(status.state()).isEqualTo(ServiceState.UNKNOWN);
					assertThat(status.message()).contains("No service directory");
				});
			});
	}

	@Test
	void isAvailableWithoutAScanDirectoryWhenEveryServiceIsAnAbsoluteDirectory() {
		this.contextRunner
			.withPropertyValues("supervision.runit.service-directory=" + this.temp.resolve("missing"),
					"supervision.services.worker.directory=" + this.temp.resolve("sv/worker"))
			.run((context) -> assertThat(context.getBean(RunitBackend.class).availability().available()).isTrue());
	}

	@Test
	void refusesADirectoryThatIsAPathInDisguise() {
		this.contextRunner.withPropertyValues("supervision.services.worker.directory=../worker")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("supervision.services.worker.directory"));
	}

	@Test
	void passesEachServicesStopTimeoutToTheBackend() {
		this.contextRunner
			.withPropertyValues("supervision.runit.service-directory=" + this.temp,
					"supervision.services.worker.directory=worker", "supervision.services.worker.stop-timeout=2s",
					"supervision.services.cache.directory=cache")
			.run((context) -> {
				RunitBackend backend = context.getBean(RunitBackend.class);
				assertThat(backend.getStopTimeout("worker")).isEqualTo(Duration.ofSeconds(2));
				assertThat(backend.getStopTimeout("cache")).isEqualTo(Duration.ofSeconds(7));
			});
	}

	@Test
	void passesEachServicesLogDirectoryToTheBackend() throws Exception {
		Path worker = this.temp.resolve("worker");
		Files.createDirectories(worker.resolve("log/main"));
		Files.writeString(worker.resolve("log/main/current"), "from main\n");
		Files.createDirectories(worker.resolve("log/extra"));
		Files.writeString(worker.resolve("log/extra/current"), "from extra\n");
		Path elsewhere = Files.createDirectories(this.temp.resolve("logs/cache"));
		Files.writeString(elsewhere.resolve("current"), "from elsewhere\n");
		Files.createDirectories(this.temp.resolve("cache"));
		this.contextRunner.withPropertyValues("supervision.runit.service-directory=" + this.temp,
				"supervision.services.worker.directory=worker", "supervision.services.worker.log-directory=log/extra",
				"supervision.services.cache.directory=cache", "supervision.services.cache.log-directory=" + elsewhere)
			.run((context) -> {
				RunitBackend backend = context.getBean(RunitBackend.class);
				assertThat(backend.tailLog("worker", 10, Duration.ofSeconds(1)).texts()).containsExactly("from extra");
				assertThat(backend.tailLog("cache", 10, Duration.ofSeconds(1)).texts())
					.containsExactly("from elsewhere");
			});
	}

	@Test
	void refusesALogDirectoryThatLeavesItsPath() {
		this.contextRunner
			.withPropertyValues("supervision.services.worker.directory=worker",
					"supervision.services.worker.log-directory=log/../../other")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("supervision.services.worker.log-directory"));
	}

	@Test
	void bindsTheDefaultStopTimeout() {
		this.contextRunner
			.withPropertyValues("supervision.runit.stop-timeout=3s", "supervision.services.cache.directory=cache")
			.run((context) -> assertThat(context.getBean(RunitBackend.class).getStopTimeout("cache"))
				.isEqualTo(Duration.ofSeconds(3)));
	}

	@Test
	void neverKillsWhenTheKillAfterTheStopTimeoutIsOff() {
		this.contextRunner
			.withPropertyValues("supervision.runit.kill-after-stop-timeout=false",
					"supervision.services.worker.directory=worker", "supervision.services.worker.stop-timeout=2s")
			.run((context) -> assertThat(context.getBean(RunitBackend.class).getStopTimeout("worker")).isNull());
	}

	@Test
	void refusesAStopTimeoutThatIsNotPositive() {
		this.contextRunner
			.withPropertyValues("supervision.services.worker.directory=worker",
					"supervision.services.worker.stop-timeout=0s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("supervision.services.worker.stop-timeout"));
		this.inUse.withPropertyValues("supervision.runit.stop-timeout=-1s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("supervision.runit.stop-timeout"));
	}

	@Test
	void backsOffWhenTheUserDefinesABackend() {
		this.inUse.withUserConfiguration(UserBackendConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(RunitBackend.class);
			assertThat(context.getBean(RunitBackend.class))
				.isSameAs(context.getBean(UserBackendConfiguration.class).backend);
		});
	}

	@Test
	void isDisabledByProperty() {
		this.contextRunner.withPropertyValues("supervision.runit.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RunitBackend.class)
				.getBeans(SupervisionBackend.class)
				.isEmpty());
		this.contextRunner.withPropertyValues("supervision.runit.enabled=false", "supervision.runit.discover=true")
			.run((context) -> assertThat(context).doesNotHaveBean(RunitBackend.class));
	}

	@Test
	void createsNoBackendWhenNothingUsesIt() {
		this.contextRunner
			.withPropertyValues("supervision.runit.service-directory=" + this.temp, "supervision.runit.discover=false",
					"supervision.services.web.command=/bin/true", "supervision.services.nginx.unit=nginx.service")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(RunitBackend.class);
				assertThat(context.getBean(ServiceCatalog.class).getBackend("runit")).isNull();
			});
	}

	@Test
	void createsTheBackendWhenADeclaredServiceNamesIt() {
		this.contextRunner.withPropertyValues("supervision.services.worker.directory=worker")
			.run((context) -> assertThat(context).hasSingleBean(RunitBackend.class));
		this.contextRunner.withPropertyValues("supervision.services[worker].directory=worker")
			.run((context) -> assertThat(context).hasSingleBean(RunitBackend.class));
	}

	@Test
	void createsTheBackendWhenItDiscovers() {
		this.contextRunner
			.withPropertyValues("supervision.runit.service-directory=" + this.temp, "supervision.runit.discover=true")
			.run((context) -> {
				assertThat(context).hasSingleBean(RunitBackend.class);
				assertThat(context.getBean(ServiceCatalog.class).getBackend("runit"))
					.isSameAs(context.getBean(RunitBackend.class));
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBackendConfiguration {

		final RunitBackend backend = new RunitBackend(Path.of("/srv/service"), false, Duration.ofSeconds(1), false,
				RunitBackend.DEFAULT_LOG_FILE, List.of());

		@Bean
		RunitBackend userRunitBackend() {
			return this.backend;
		}

	}

}
