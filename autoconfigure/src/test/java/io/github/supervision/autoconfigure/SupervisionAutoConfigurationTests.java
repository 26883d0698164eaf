package io.github.supervision.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import javax.management.MBeanOperationInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceDefinition;
import io.github.supervision.ServiceName;
import io.github.supervision.actuate.ServicesEndpoint;
import io.github.supervision.actuate.SupervisionHealthContributor;
import io.github.supervision.embedded.EmbeddedBackend;
import io.github.supervision.runit.RunitBackend;
import io.github.supervision.supervisord.SupervisordBackend;
import io.github.supervision.systemd.SystemdBackend;
import io.github.supervision.testsupport.RecordingBackend;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.jmx.JmxEndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jmx.JmxAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tests for {@link SupervisionAutoConfiguration},
 * {@link SupervisionEndpointAutoConfiguration} and
 * {@link SupervisionHealthContributorAutoConfiguration}.
 *
 * @author Supervision contributors
 */
class SupervisionAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(SupervisionAutoConfiguration.class, SupervisionEndpointAutoConfiguration.class,
						SupervisionHealthContributorAutoConfiguration.class, EndpointAutoConfiguration.class))
		.withUserConfiguration(FakeBackendConfiguration.class);

	@Test
	void bindsDeclaredServicesToTheirBackendsInDeclarationOrder() {
		this.contextRunner
			.withPropertyValues("supervision.services.nginx.unit=nginx.service",
					"supervision.services.worker.directory=/etc/service/worker",
					"supervision.services.queue.program=queue:worker-1",
					"supervision.services.ticker.command=/bin/sleep,1000", "supervision.services.custom.backend=fake",
					"supervision.services.custom.critical=true", "supervision.services.custom.actions=start,stop",
					"supervision.action-timeout=7s")
			.run((context) -> {
				ServiceCatalog catalog = context.getBean(ServiceCatalog.class);
				assertThat(catalog.getDefinitions().values()).extracting((definition) -> definition.name().value())
					.containsExactly("nginx", "worker", "queue", "ticker", "custom");
				assertThat(catalog.getDefinitions().values()).extracting(ServiceDefinition::backend)
					.containsExactly("systemd", "runit", "supervisord", "embedded", "fake");
				assertThat(catalog.getDefinitions().values()).extracting(ServiceDefinition::target)
					.containsExactly("nginx.service", "/etc/service/worker", "queue:worker-1", "ticker", "custom");
				ServiceDefinition custom = catalog.getDefinitions().get(ServiceName.of("custom"));
				assertThat(custom.critical()).isTrue();
				assertThat(custom.actions()).containsExactlyInAnyOrder(ServiceAction.START, ServiceAction.STOP);
				assertThat(catalog.getActionTimeout()).isEqualTo(Duration.ofSeconds(7));
			});
	}

	@Test
	void logsAreOffUnlessEnabledAndEachServiceMayOverrideTheSwitch() {
		this.contextRunner
			.withPropertyValues("supervision.services.quiet.backend=fake", "supervision.services.open.backend=fake",
					"supervision.services.open.logs=true")
			.run((context) -> assertThat(context.getBean(ServiceCatalog.class).getDefinitions().values())
				.extracting((definition) -> definition.name().value(), ServiceDefinition::logs)
				.containsExactly(tuple("quiet", false), tuple("open", true)));
		this.contextRunner
			.withPropertyValues("supervision.logs.enabled=true", "supervision.services.quiet.backend=fake",
					"supervision.services.quiet.logs=false", "supervision.services.open.backend=fake")
			.run((context) -> assertThat(context.getBean(ServiceCatalog.class).getDefinitions().values())
				.extracting((definition) -> definition.name().value(), ServiceDefinition::logs)
				.containsExactly(tuple("quiet", false), tuple("open", true)));
	}

	@Test
	void backendsAndTheCatalogShareOneParseOfTheDeclaredServices() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(EmbeddedSupervisionAutoConfiguration.class,
					RunitSupervisionAutoConfiguration.class))
			.withPropertyValues("supervision.services.ticker.backend=embedded",
					"supervision.services.ticker.command=/bin/sleep,1000",
					"supervision.services.ticker.autostart=false", "supervision.services.worker.directory=worker",
					"supervision.services.worker.stop-timeout=4s")
			.run((context) -> {
				assertThat(context.getBean(DeclaredServices.class).all())
					.extracting(DeclaredServices.DeclaredService::name, DeclaredServices.DeclaredService::backend,
							DeclaredServices.DeclaredService::target)
					.containsExactly(tuple(ServiceName.of("ticker"), "embedded", "ticker"),
							tuple(ServiceName.of("worker"), "runit", "worker"));
				assertThat(context.getBean(EmbeddedBackend.class).tail("ticker")).isEmpty();
				assertThat(context.getBean(RunitBackend.class).getStopTimeout("worker"))
					.isEqualTo(Duration.ofSeconds(4));
				assertThat(context.getBean(ServiceCatalog.class).getDefinitions())
					.containsOnlyKeys(ServiceName.of("ticker"), ServiceName.of("worker"));
			});
	}

	@Test
	void providesTheEndpointWhenExposedAndTheHealthContributor() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=services").run((context) -> {
			assertThat(context).hasSingleBean(ServicesEndpoint.class);
			assertThat(context).hasSingleBean(SupervisionHealthContributor.class);
		});
	}

	@Test
	void endpointBacksOffWhenItIsNotExposed() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(ServiceCatalog.class)
			.doesNotHaveBean(ServicesEndpoint.class));
	}

	@Test
	void endpointBacksOffWhenItIsNotAccessible() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=services",
					"management.endpoint.services.access=NONE")
			.run((context) -> {
				if (context.getStartupFailure() != null) {
					context.getStartupFailure().printStackTrace();
				}
				assertThat(context).doesNotHaveBean(ServicesEndpoint.class);
			});
	}

	@Test
	void healthContributorBacksOffWhenDisabled() {
		this.contextRunner.withPropertyValues("management.health.supervision.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SupervisionHealthContributor.class));
	}

	@Test
	void healthContributorBacksOffWithoutTheHealthModule() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).hasSingleBean(ServiceCatalog.class)
				.doesNotHaveBean(SupervisionHealthContributor.class));
	}

	@Test
	void backsOffWhenDisabled() {
		this.contextRunner.withPropertyValues("supervision.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ServiceCatalog.class)
				.doesNotHaveBean(ServicesEndpoint.class));
	}

	@Test
	void disabledCreatesNoBackendAtAll() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(SystemdSupervisionAutoConfiguration.class,
					RunitSupervisionAutoConfiguration.class, SupervisordSupervisionAutoConfiguration.class,
					EmbeddedSupervisionAutoConfiguration.class))
			.withPropertyValues("supervision.enabled=false", "supervision.services.nginx.unit=nginx.service",
					"supervision.services.worker.directory=/etc/service/worker",
					"supervision.services.queue.program=queue:worker-1",
					"supervision.services.ticker.command=/bin/sleep,1000")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(SystemdBackend.class)
				.doesNotHaveBean(RunitBackend.class)
				.doesNotHaveBean(SupervisordBackend.class)
				.doesNotHaveBean(EmbeddedBackend.class)
				.doesNotHaveBean(ServiceCatalog.class));
	}

	@Test
	void createsOnlyTheBackendsInUse() {
		Assumptions.assumeFalse(Files.exists(Path.of(SupervisordSupervisionAutoConfiguration.DEFAULT_SOCKET)),
				"supervisord's default socket exists on this machine");
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(SystemdSupervisionAutoConfiguration.class,
					RunitSupervisionAutoConfiguration.class, SupervisordSupervisionAutoConfiguration.class,
					EmbeddedSupervisionAutoConfiguration.class))
			.withPropertyValues("supervision.services.ticker.command=/bin/sleep,1000",
					"supervision.services.ticker.autostart=false")
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.doesNotHaveBean(SystemdBackend.class)
					.doesNotHaveBean(RunitBackend.class)
					.doesNotHaveBean(SupervisordBackend.class)
					.hasSingleBean(EmbeddedBackend.class);
				assertThat(context.getBean(ServiceCatalog.class).getBackends()).containsOnlyKeys("embedded", "fake");
			});
	}

	@Test
	void writesAreNotOfferedOverJmxEvenWhenTheEndpointIsUnrestricted() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(JmxAutoConfiguration.class, JmxEndpointAutoConfiguration.class))
			.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=services",
					"management.endpoint.services.access=UNRESTRICTED")
			.run((context) -> assertThat(jmxOperations(context)).contains("services", "service")
				.doesNotContain("perform"));
	}

	@Test
	void writesAreOfferedOverJmxOnlyWhenTheApplicationOptsIn() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(JmxAutoConfiguration.class, JmxEndpointAutoConfiguration.class))
			.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=services",
					"management.endpoint.services.access=UNRESTRICTED", "supervision.jmx.writes-enabled=true")
			.run((context) -> assertThat(jmxOperations(context)).contains("services", "service", "perform"));
	}

	@Test
	void logsAreNeverReadableOverJmxEvenWhenEnabledAndUnrestricted() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(JmxAutoConfiguration.class, JmxEndpointAutoConfiguration.class))
			.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=services",
					"management.endpoint.services.access=UNRESTRICTED", "supervision.jmx.writes-enabled=true",
					"supervision.logs.enabled=true", "supervision.services.web.backend=fake")
			.run((context) -> assertThat(jmxOperations(context)).containsExactlyInAnyOrder("services", "service",
					"perform"));
	}

	@Test
	void anOptInToJmxWritesStillNeedsUnrestrictedAccess() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(JmxAutoConfiguration.class, JmxEndpointAutoConfiguration.class))
			.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=services",
					"supervision.jmx.writes-enabled=true")
			.run((context) -> assertThat(jmxOperations(context)).contains("services").doesNotContain("perform"));
	}

	private static List<String> jmxOperations(AssertableApplicationContext context) throws Exception {
		MBeanServer server = context.getBean(MBeanServer.class);
		Set<ObjectName> names = server
			.queryNames(new ObjectName("org.springframework.boot:type=Endpoint,name=Services,*"), null);
		assertThat(names).hasSize(1);
		return Arrays.stream(server.getMBeanInfo(names.iterator().next()).getOperations())
			.map(MBeanOperationInfo::getName)
			.toList();
	}

	@Test
	void backsOffWhenTheUserDefinesACatalog() {
		this.contextRunner.withUserConfiguration(UserCatalogConfiguration.class)
			.run((context) -> assertThat(context.getBean(ServiceCatalog.class))
				.isSameAs(context.getBean("userCatalog")));
	}

	@Test
	void aServiceWithTwoBackendKeysFailsNamingTheKey() {
		this.contextRunner
			.withPropertyValues("supervision.services.web.unit=web.service", "supervision.services.web.program=web")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("supervision.services.web")
				.hasMessageContaining("only one of"));
	}

	@Test
	void aServiceWithoutABackendKeyFailsNamingTheKey() {
		this.contextRunner.withPropertyValues("supervision.services.web.description=nothing else")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("supervision.services.web.backend"));
	}

	@Test
	void aTargetTheBackendRefusesFailsNamingTheKey() {
		this.contextRunner.withBean("systemdBackend", RecordingBackend.class, () -> new RecordingBackend("systemd"))
			.withPropertyValues("supervision.services.web.unit=a/b")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("supervision.services.web.unit"));
	}

	@Test
	void aBackendKeyThatContradictsTheBackendFailsNamingTheKey() {
		this.contextRunner
			.withPropertyValues("supervision.services.web.unit=web.service", "supervision.services.web.backend=fake")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("supervision.services.web.unit"));
	}

	@Test
	void anInvalidServiceNameFailsNamingTheKey() {
		this.contextRunner.withPropertyValues("supervision.services.[-web].command=/bin/true")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("supervision.services.-web"));
	}

	@Test
	void anUnknownActionFailsBinding() {
		this.contextRunner
			.withPropertyValues("supervision.services.web.command=/bin/true",
					"supervision.services.web.actions=explode")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("supervision.services.web.actions"));
	}

	@Configuration(proxyBeanMethods = false)
	static class FakeBackendConfiguration {

		@Bean
		RecordingBackend fakeBackend() {
			return new RecordingBackend("fake");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserCatalogConfiguration {

		@Bean
		ServiceCatalog userCatalog() {
			return new ServiceCatalog(List.of(), List.of(), Duration.ofSeconds(1), Duration.ofSeconds(1));
		}

	}

}
