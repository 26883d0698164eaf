package io.github.supervision.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.github.supervision.BackendAvailability;
import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceName;
import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import io.github.supervision.supervisord.SupervisordBackend;
import io.github.supervision.supervisord.SupervisordClient;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.aot.AotDetector;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.aot.AbstractAotProcessor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SupervisordSupervisionAutoConfiguration}.
 */
class SupervisordSupervisionAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(SupervisordSupervisionAutoConfiguration.class, SupervisionAutoConfiguration.class));

	@TempDir
	Path directory;

	@Test
	void createsTheBackendWhenAProgramIsDeclaredWithoutContactingSupervisord() {
		String socket = this.directory.resolve("absent.sock").toString();
		this.contextRunner
			.withPropertyValues("supervision.supervisord.url=unix://" + socket, "supervision.services.web.program=web")
			.run((context) -> {
				assertThat(context).hasSingleBean(SupervisordBackend.class);
				SupervisordBackend backend = context.getBean(SupervisordBackend.class);
				assertThat(backend.id()).isEqualTo("supervisord");
				ServiceCatalog catalog = context.getBean(ServiceCatalog.class);
				ServiceStatus web = catalog.status(ServiceName.of("web"));
				assertThat(web.state()).isEqualTo(ServiceState.UNKNOWN);
				assertThat(web.message()).contains(socket).contains("does not exist");
				BackendAvailability availability = catalog.availability().get("supervisord");
				assertThat(availability.available()).isFalse();
			});
	}

	@Test
	void createsTheBackendWhenOnlyAProgramIsDeclared() {
		this.contextRunner.withPropertyValues("supervision.services.queue.program=queue:worker-1")
			.run((context) -> assertThat(context).hasSingleBean(SupervisordBackend.class));
	}

	@Test
	void createsTheBackendWhenAProgramIsDeclaredInTheIndexedForm() {
		this.contextRunner.withPropertyValues("supervision.services[queue].program=queue:worker-1")
			.run((context) -> assertThat(context).hasSingleBean(SupervisordBackend.class));
	}

	@Test
	void createsNoBackendForServicesOfOtherBackends() {
		Assumptions.assumeFalse(Files.exists(Path.of(SupervisordSupervisionAutoConfiguration.DEFAULT_SOCKET)),
				"supervisord's default socket exists on this machine");
		this.contextRunner
			.withPropertyValues("supervision.services.web.command=/bin/true", "supervision.services.db.backend=runit",
					"supervision.services.db.directory=db")
			.run((context) -> assertThat(context).doesNotHaveBean(SupervisordBackend.class));
	}

	@Test
	void createsNoBackendWhenSupervisordIsNeitherConfiguredNorDetected() {
		Assumptions.assumeFalse(Files.exists(Path.of(SupervisordSupervisionAutoConfiguration.DEFAULT_SOCKET)),
				"supervisord's default socket exists on this machine");
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(SupervisordBackend.class));
	}

	@Test
	void createsTheBackendWhenEnabledExplicitlyOrDiscovering() {
		Assumptions.assumeFalse(Files.exists(Path.of(SupervisordSupervisionAutoConfiguration.DEFAULT_SOCKET)),
				"supervisord's default socket exists on this machine");
		this.contextRunner.withPropertyValues("supervision.supervisord.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(SupervisordBackend.class));
		this.contextRunner.withPropertyValues("supervision.supervisord.discover=true")
			.run((context) -> assertThat(context).hasSingleBean(SupervisordBackend.class));
		this.contextRunner.withPropertyValues("supervision.supervisord.discover=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SupervisordBackend.class));
	}

	@Test
	void definesTheBackendWhenProcessedAheadOfTimeWhateverTheBuildMachineHas() {
		this.contextRunner.withSystemProperties(AbstractAotProcessor.AOT_PROCESSING + "=true")
			.run((context) -> assertThat(context).hasSingleBean(SupervisordBackend.class));
	}

	@Test
	void createsNoBackendAtRunTimeAheadOfTimeWhenSupervisordIsNeitherConfiguredNorDetected() {
		Assumptions.assumeFalse(Files.exists(Path.of(SupervisordSupervisionAutoConfiguration.DEFAULT_SOCKET)),
				"supervisord's default socket exists on this machine");
		// the bean is defined at build time; the application decides when it starts
		this.contextRunner
			.withSystemProperties(AbstractAotProcessor.AOT_PROCESSING + "=true", AotDetector.AOT_ENABLED + "=true")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBeanProvider(SupervisordBackend.class).getIfAvailable()).isNull();
				assertThat(context.getBean(ServiceCatalog.class).availability()).doesNotContainKey("supervisord");
			});
	}

	@Test
	void createsTheBackendAtRunTimeAheadOfTimeWhenAProgramIsDeclared() {
		this.contextRunner
			.withSystemProperties(AbstractAotProcessor.AOT_PROCESSING + "=true", AotDetector.AOT_ENABLED + "=true")
			.withPropertyValues("supervision.services.queue.program=queue:worker-1")
			.run((context) -> {
				assertThat(context.getBeanProvider(SupervisordBackend.class).getIfAvailable()).isNotNull();
				assertThat(context.getBean(ServiceCatalog.class).availability()).containsKey("supervisord");
			});
	}

	@Test
	void backsOffWhenTheUserDefinesABackend() {
		this.contextRunner.withUserConfiguration(UserBackendConfiguration.class)
			.withPropertyValues("supervision.services.web.program=web")
			.run((context) -> {
				assertThat(context).hasSingleBean(SupervisordBackend.class);
				assertThat(context).getBean(SupervisordBackend.class)
					.isSameAs(context.getBean(UserBackendConfiguration.class).backend);
			});
	}

	@Test
	void isDisabledByProperty() {
		this.contextRunner
			.withPropertyValues("supervision.supervisord.enabled=false",
					"supervision.supervisord.url=http://127.0.0.1:9")
			.run((context) -> assertThat(context).doesNotHaveBean(SupervisordBackend.class));
	}

	@Test
	void needsApacheHttpClient() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.apache.hc.client5"))
			.withPropertyValues("supervision.supervisord.url=http://127.0.0.1:9")
			.run((context) -> assertThat(context).doesNotHaveBean(SupervisordBackend.class));
	}

	@Test
	void bindsTheProperties() {
		this.contextRunner
			.withPropertyValues("supervision.supervisord.url=http://127.0.0.1:9001",
					"supervision.supervisord.username=u", "supervision.supervisord.password=p",
					"supervision.supervisord.poll-interval=250ms", "supervision.supervisord.max-in-flight=3",
					"supervision.supervisord.max-response-size=2MB", "supervision.supervisord.discover=true")
			.run((context) -> {
				SupervisordProperties properties = context.getBean(SupervisordProperties.class);
				assertThat(properties.getPollInterval()).isEqualTo(Duration.ofMillis(250));
				assertThat(properties.getMaxInFlight()).isEqualTo(3);
				assertThat(properties.getMaxResponseSize().toMegabytes()).isEqualTo(2);
				assertThat(properties.isDiscover()).isTrue();
				assertThat(context).hasSingleBean(SupervisordBackend.class);
			});
	}

	@Test
	void rejectsAnInvalidProgramNameNamingTheKey() {
		this.contextRunner.withPropertyValues("supervision.services.web.program=../etc/passwd")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("supervision.services.web.program"));
	}

	@Test
	void rejectsAUrlOfAnotherKind() {
		this.contextRunner.withPropertyValues("supervision.supervisord.url=ftp://127.0.0.1/")
			.run((context) -> assertThat(context).hasFailed());
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBackendConfiguration {

		final SupervisordBackend backend = new SupervisordBackend(
				new SupervisordClient("http://127.0.0.1:9", null, null, Duration.ofSeconds(1), 1, 1024 * 1024),
				Duration.ofSeconds(1), Duration.ZERO, false);

		@Bean
		SupervisordBackend userSupervisordBackend() {
			return this.backend;
		}

	}

}
