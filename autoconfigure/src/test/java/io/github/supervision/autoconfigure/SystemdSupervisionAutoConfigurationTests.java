package io.github.supervision.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceName;
import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import io.github.supervision.SupervisionBackend;
import io.github.supervision.systemd.SystemdBackend;
import io.github.supervision.systemd.SystemdOptions;
import io.github.supervision.systemd.SystemdScope;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SystemdSupervisionAutoConfiguration}.
 *
 * @author Supervision contributors
 */
class SystemdSupervisionAutoConfigurationTests {

	private static final String NO_BUS = "unix:path=/nonexistent/supervision/system_bus_socket";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(SystemdSupervisionAutoConfiguration.class, SupervisionAutoConfiguration.class))
		.withPropertyValues("supervision.systemd.bus-address=" + NO_BUS);

	// the backend is created only when in use: forced on for the tests of its settings
	private final ApplicationContextRunner inUse = this.contextRunner
		.withPropertyValues("supervision.systemd.enabled=true");

	@Test
	void providesTheBackendWithTheConfiguredOptions() {
		this.contextRunner
			.withPropertyValues("supervision.systemd.scope=user", "supervision.systemd.discover=*.service,x@*.timer",
					"supervision.systemd.connect-timeout=2s", "supervision.systemd.reconnect-backoff=50ms",
					"supervision.systemd.reconnect-max-backoff=1s", "supervision.systemd.status-cache-ttl=0")
			.run((context) -> {
				assertThat(context).hasSingleBean(SystemdBackend.class);
				SystemdBackend backend = context.getBean(SystemdBackend.class);
				assertThat(backend.id()).isEqualTo("systemd");
				assertThat(backend.busAddress()).isEqualTo(NO_BUS);
				SystemdOptions options = backend.options();
				assertThat(options.scope()).isEqualTo(SystemdScope.USER);
				assertThat(options.discover()).containsExactly("*.service", "x@*.timer");
				assertThat(options.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
				assertThat(options.reconnectMinBackoff()).isEqualTo(Duration.ofMillis(50));
				assertThat(options.reconnectMaxBackoff()).isEqualTo(Duration.ofSeconds(1));
				assertThat(options.statusCacheTtl()).isZero();
				assertThat(context.getBean(ServiceCatalog.class).getBackend("systemd")).isSameAs(backend);
			});
	}

	@Test
	void cachesConfirmedStatusForOneSecondByDefault() {
		this.inUse.run((context) -> assertThat(context.getBean(SystemdBackend.class).options().statusCacheTtl())
			.isEqualTo(Duration.ofSeconds(1)));
	}

	@Test
	void readsTheSystemsJournalUnlessAJournalDirectoryIsSet() {
		this.inUse
			.run((context) -> assertThat(context.getBean(SystemdBackend.class).options().journalDirectory()).isNull());
		this.inUse.withPropertyValues("supervision.systemd.journal-directory=/var/lib/machines/x/var/log/journal")
			.run((context) -> assertThat(context.getBean(SystemdBackend.class).options().journalDirectory())
				.isEqualTo(Path.of("/var/lib/machines/x/var/log/journal")));
	}

	@Test
	void rejectsANegativeStatusCacheTtl() {
		this.inUse.withPropertyValues("supervision.systemd.status-cache-ttl=-1s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("must not be negative"));
	}

	@Test
	void rejectsReconnectionWaitsThatWouldSpinNamingTheKey() {
		Map<String, String> wrong = Map.of("supervision.systemd.reconnect-backoff=0",
				"supervision.systemd.reconnect-backoff", "supervision.systemd.reconnect-max-backoff=50ms",
				"supervision.systemd.reconnect-max-backoff", "supervision.systemd.connect-timeout=0",
				"supervision.systemd.connect-timeout");
		wrong.forEach((property, key) -> this.inUse.withPropertyValues(property)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining(key)));
	}

	@Test
	void startsWithoutABusAndReportsTheServicesUnknown() {
		this.contextRunner.withPropertyValues("supervision.services.web.unit=nginx.service").run((context) -> {
			assertThat(context).hasNotFailed();
			ServiceStatus status = context.getBean(ServiceCatalog.class).status(ServiceName.of("web"));
			assertThat(status.state()).isEqualTo(ServiceState.UNKNOWN);
			assertThat(status.message()).contains("Cannot reach systemd").contains(NO_BUS);
			assertThat(context.getBean(SystemdBackend.class).availability().available()).isFalse();
		});
	}

	@Test
	void rejectsAnInvalidUnitNameInTheServiceDeclaration() {
		this.contextRunner.withPropertyValues("supervision.services.web.unit=../nginx")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("supervision.services.web.unit"));
	}

	@Test
	void rejectsAnInvalidDiscoveryPattern() {
		this.contextRunner.withPropertyValues("supervision.systemd.discover=/etc/*")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("supervision.systemd.discover"));
	}

	@Test
	void backsOffWhenTheUserDefinesABackend() {
		this.inUse.withUserConfiguration(UserBackendConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(SystemdBackend.class);
			assertThat(context.getBean(SystemdBackend.class)).isSameAs(context.getBean("userBackend"));
		});
	}

	@Test
	void isDisabledByProperty() {
		this.contextRunner.withPropertyValues("supervision.systemd.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SystemdBackend.class));
		this.contextRunner
			.withPropertyValues("supervision.systemd.enabled=false", "supervision.systemd.discover=*.service")
			.run((context) -> assertThat(context).doesNotHaveBean(SystemdBackend.class));
	}

	@Test
	void createsNoBackendWhenNothingUsesIt() {
		this.contextRunner
			.withPropertyValues("supervision.services.web.command=/bin/true", "supervision.services.db.directory=db",
					"supervision.services.queue.program=queue")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(SystemdBackend.class);
				assertThat(context.getBean(ServiceCatalog.class).getBackend("systemd")).isNull();
			});
	}

	@Test
	void createsTheBackendWhenADeclaredServiceNamesIt() {
		this.contextRunner.withPropertyValues("supervision.services.web.unit=nginx.service")
			.run((context) -> assertThat(context).hasSingleBean(SystemdBackend.class));
		this.contextRunner.withPropertyValues("supervision.services[web].unit=nginx.service")
			.run((context) -> assertThat(context).hasSingleBean(SystemdBackend.class));
		this.contextRunner
			.withPropertyValues("supervision.services.web.backend=systemd",
					"supervision.services.web.unit=nginx.service")
			.run((context) -> assertThat(context).hasSingleBean(SystemdBackend.class));
	}

	@Test
	void createsTheBackendWhenItDiscovers() {
		this.contextRunner.withPropertyValues("supervision.systemd.discover=*.service")
			.run((context) -> assertThat(context).hasSingleBean(SystemdBackend.class));
		this.contextRunner.withPropertyValues("supervision.systemd.discover[0]=*.service")
			.run((context) -> assertThat(context).hasSingleBean(SystemdBackend.class));
	}

	@Test
	void createsTheBackendWhenEnabledExplicitly() {
		this.contextRunner.withPropertyValues("supervision.systemd.enabled=true").run((context) -> {
			assertThat(context).hasSingleBean(SystemdBackend.class);
			assertThat(context.getBean(ServiceCatalog.class).getBackend("systemd"))
				.isSameAs(context.getBean(SystemdBackend.class));
		});
	}

	@Test
	void backsOffWithoutDbusJava() {
		this.inUse.withClassLoader(new FilteredClassLoader("org.freedesktop.dbus")).run((context) -> {
			assertThat(context).doesNotHaveBean(SystemdBackend.class);
			assertThat(context.getBeansOfType(SupervisionBackend.class)).isEmpty();
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBackendConfiguration {

		@Bean
		SystemdBackend userBackend() {
			return new SystemdBackend(new SystemdOptions(NO_BUS, SystemdScope.SYSTEM, List.of(), null, null, null));
		}

	}

}
