package io.github.supervision.autoconfigure;

import java.util.List;

import io.github.supervision.ActionResult;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceName;
import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import io.github.supervision.testsupport.RealDaemonTest;
import io.github.supervision.testsupport.SupervisordDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the supervisord backend wired by auto-configuration into the service catalog,
 * against a real supervisord.
 */
@RealDaemonTest
class SupervisordSupervisionIntegrationTests {

	@RegisterExtension
	static final SupervisordDaemon daemon = SupervisordDaemon.withPrograms("""
			[program:web]
			command=/bin/sleep 100000
			startsecs=0

			[program:worker-1]
			command=/bin/sleep 100000
			startsecs=0
			autostart=false

			[group:queue]
			programs=worker-1
			""");

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(SupervisordSupervisionAutoConfiguration.class, SupervisionAutoConfiguration.class));

	@Test
	void listsAndControlsDeclaredProgramsThroughTheCatalog() {
		this.contextRunner
			.withPropertyValues("supervision.supervisord.url=" + daemon.unixUrl(),
					"supervision.supervisord.username=" + SupervisordDaemon.USERNAME,
					"supervision.supervisord.password=" + SupervisordDaemon.PASSWORD,
					"supervision.supervisord.discover=true", "supervision.services.site.program=web",
					"supervision.services.queue.program=queue:worker-1")
			.run((context) -> {
				ServiceCatalog catalog = context.getBean(ServiceCatalog.class);
				List<ServiceStatus> list = catalog.list();
				assertThat(list).extracting(ServiceStatus::name).containsExactly("site", "queue");
				assertThat(list.get(0).state()).isEqualTo(ServiceState.RUNNING);
				assertThat(list.get(0).pid()).isEqualTo(daemon.ctlPid("web"));
				assertThat(list.get(1).rawState()).isEqualTo(daemon.ctlStatus().get("queue:worker-1"));
				ActionResult result = catalog.perform(ServiceName.of("queue"), ServiceAction.START);
				assertThat(result.outcome()).isEqualTo(ActionResult.Outcome.DONE);
				assertThat(result.status().name()).isEqualTo("queue");
				assertThat(daemon.ctlStatus()).containsEntry("queue:worker-1", "RUNNING");
				assertThat(catalog.availability().get("supervisord").available()).isTrue();
			});
	}

}
