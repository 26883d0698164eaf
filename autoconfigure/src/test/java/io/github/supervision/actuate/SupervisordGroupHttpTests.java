package io.github.supervision.actuate;

import java.net.http.HttpResponse;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import io.github.supervision.testsupport.LocalHttp;
import io.github.supervision.testsupport.RealDaemonTest;
import io.github.supervision.testsupport.SupervisordDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for a whole supervisord group declared as one service ({@code program: "pool:*"})
 * over real HTTP against a real supervisord, checked with {@code supervisorctl status}.
 *
 * @author Supervision contributors
 */
@RealDaemonTest
@SpringBootTest(classes = SupervisordGroupHttpTests.TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=services",
				"management.endpoint.services.access=unrestricted", "supervision.supervisord.poll-interval=0",
				"supervision.services.pool.program=pool:*" })
class SupervisordGroupHttpTests {

	@RegisterExtension
	static final SupervisordDaemon daemon = SupervisordDaemon.withPrograms("""
			[program:worker-a]
			command=/bin/sleep 100000
			autostart=false
			startsecs=0

			[program:worker-b]
			command=/bin/sleep 100000
			autostart=false
			startsecs=0

			[group:pool]
			programs=worker-a,worker-b
			""");

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("supervision.supervisord.url", daemon::unixUrl);
		registry.add("supervision.supervisord.username", () -> SupervisordDaemon.USERNAME);
		registry.add("supervision.supervisord.password", () -> SupervisordDaemon.PASSWORD);
	}

	@Test
	void startAndStopActOnTheWholeGroupAndStatusListsTheMembers() throws Exception {
		DocumentContext stopped = JsonPath.parse(LocalHttp.get(this.port, "/actuator/services/pool").body());
		assertThat(stopped.read("$.state", String.class)).isEqualTo("stopped");
		assertThat(stopped.read("$.target", String.class)).isEqualTo("pool:*");
		assertThat(stopped.read("$.details.members", String.class))
			.isEqualTo("pool:worker-a STOPPED, pool:worker-b STOPPED");
		HttpResponse<String> started = LocalHttp.post(this.port, "/actuator/services/pool", "{\"action\":\"start\"}");
		assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
		DocumentContext body = JsonPath.parse(started.body());
		assertThat(body.read("$.outcome", String.class)).isEqualTo("done");
		assertThat(body.read("$.service.state", String.class)).isEqualTo("running");
		assertThat(daemon.ctlStatus()).containsEntry("pool:worker-a", "RUNNING")
			.containsEntry("pool:worker-b", "RUNNING");
		HttpResponse<String> stoppedAgain = LocalHttp.post(this.port, "/actuator/services/pool",
				"{\"action\":\"stop\"}");
		assertThat(JsonPath.parse(stoppedAgain.body()).read("$.outcome", String.class)).isEqualTo("done");
		assertThat(daemon.ctlStatus()).containsEntry("pool:worker-a", "STOPPED")
			.containsEntry("pool:worker-b", "STOPPED");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
