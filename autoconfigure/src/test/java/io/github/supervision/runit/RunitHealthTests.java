package io.github.supervision.runit;

import java.nio.file.Path;
import java.time.Duration;

import io.github.supervision.autoconfigure.RunitSupervisionAutoConfiguration;
import io.github.supervision.autoconfigure.SupervisionAutoConfiguration;
import io.github.supervision.autoconfigure.SupervisionHealthContributorAutoConfiguration;
import io.github.supervision.autoconfigure.SystemdSupervisionAutoConfiguration;
import io.github.supervision.testsupport.RealDaemonTest;
import io.github.supervision.testsupport.Runsvdir;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of application health with a critical service under a real {@code runsv} and a
 * service nobody marked critical on a systemd that is not there.
 *
 * @author Supervision contributors
 */
@RealDaemonTest
class RunitHealthTests {

	private static Path worker = Path.of("");

	@RegisterExtension
	static final Runsvdir runsvdir = Runsvdir
		.withServices((runsvdir) -> worker = runsvdir.service("worker", "exec sleep 100000", false));

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RunitSupervisionAutoConfiguration.class,
				SystemdSupervisionAutoConfiguration.class, SupervisionAutoConfiguration.class,
				SupervisionHealthContributorAutoConfiguration.class, EndpointAutoConfiguration.class,
				HealthContributorAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class,
				HealthEndpointAutoConfiguration.class))
		.withPropertyValues("supervision.systemd.bus-address=unix:path=/nonexistent/supervision/system_bus_socket",
				"supervision.services.nginx.unit=nginx.service");

	@Test
	void aServiceNobodyMarkedCriticalOnAnAbsentSystemdLeavesHealthUp() {
		this.contextRunner
			.withPropertyValues("supervision.services.worker.directory=" + worker,
					"supervision.services.worker.critical=true")
			.run((context) -> {
				HealthEndpoint health = context.getBean(HealthEndpoint.class);
				Awaitility.await()
					.atMost(Duration.ofSeconds(10))
					.until(() -> health.healthForPath("supervision", "worker").getStatus().equals(Status.UP));
				assertThat(Runsvdir.sv("status", worker.toString())).startsWith("run: ");
				assertThat(health.health().getStatus()).isEqualTo(Status.UP);
				assertThat(health.healthForPath("supervision", "nginx").getStatus()).isEqualTo(Status.UP);
			});
	}

	@Test
	void aCriticalServiceThatStopsTurnsHealthDown() {
		this.contextRunner
			.withPropertyValues("supervision.services.worker.directory=" + worker,
					"supervision.services.worker.critical=true")
			.run((context) -> {
				HealthEndpoint health = context.getBean(HealthEndpoint.class);
				Runsvdir.sv("down", worker.toString());
				try {
					Awaitility.await()
						.atMost(Duration.ofSeconds(10))
						.until(() -> health.health().getStatus().equals(Status.DOWN));
					assertThat(Runsvdir.sv("status", worker.toString())).startsWith("down: ");
					assertThat(health.healthForPath("supervision", "worker").getStatus()).isEqualTo(Status.DOWN);
				}
				finally {
					Runsvdir.sv("up", worker.toString());
				}
			});
	}

}
