package io.github.supervision.actuate;

import java.net.http.HttpResponse;
import java.util.List;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import io.github.supervision.testsupport.LocalHttp;
import io.github.supervision.testsupport.RealDaemonTest;
import io.github.supervision.testsupport.SystemdSandbox;
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
 * Tests for the systemd verbs over real HTTP against a real systemd in a sandbox:
 * {@code enable} with its {@code [Install]} result, {@code reset-failed},
 * {@code try-restart} and {@code reload-or-restart}, each checked with {@code systemctl}.
 *
 * @author Supervision contributors
 */
@RealDaemonTest
@SpringBootTest(classes = SystemdVerbsHttpTests.TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=services",
				"management.endpoint.services.access=unrestricted", "supervision.services.app.unit=app.service",
				"supervision.services.app.actions=start,stop,enable,disable,try-restart,reload-or-restart",
				"supervision.services.broken.unit=broken.service",
				"supervision.services.broken.actions=start,reset-failed" })
class SystemdVerbsHttpTests {

	@RegisterExtension
	static final SystemdSandbox sandbox = SystemdSandbox.create()
		.unit("app.service",
				SystemdSandbox.service("App", "/bin/sleep infinity", "") + "\n[Install]\nWantedBy=multi-user.target\n")
		.unit("broken.service", """
				[Unit]
				Description=Fails at start
				DefaultDependencies=no

				[Service]
				Type=oneshot
				ExecStart=/bin/sh -c 'exit 3'
				""");

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("supervision.systemd.bus-address", sandbox::busAddress);
	}

	@Test
	void theActionsListShowsTheSystemdVerbs() throws Exception {
		DocumentContext app = JsonPath.parse(LocalHttp.get(this.port, "/actuator/services/app").body());
		assertThat(app.<List<Object>>read("$.actions")).containsExactly("start", "stop", "enable", "disable",
				"try-restart", "reload-or-restart");
		assertThat(app.<List<Object>>read("$.capabilities")).contains("enable", "reset-failed", "signal");
	}

	@Test
	void enableReportsTheInstallResultAndSystemctlAgrees() throws Exception {
		HttpResponse<String> enabled = LocalHttp.post(this.port, "/actuator/services/app", "{\"action\":\"enable\"}");
		assertThat(enabled.statusCode()).as(enabled.body()).isEqualTo(200);
		DocumentContext body = JsonPath.parse(enabled.body());
		assertThat(body.read("$.outcome", String.class)).isEqualTo("done");
		assertThat(body.read("$.backendResult", String.class)).isEqualTo("enabled");
		assertThat(body.read("$.message", String.class)).contains("multi-user.target.wants/app.service");
		assertThat(sandbox.systemctl("is-enabled", "app.service").output().strip()).isEqualTo("enabled");
		HttpResponse<String> disabled = LocalHttp.post(this.port, "/actuator/services/app", "{\"action\":\"disable\"}");
		assertThat(JsonPath.parse(disabled.body()).read("$.outcome", String.class)).isEqualTo("done");
		assertThat(sandbox.systemctl("is-enabled", "app.service").output().strip()).isEqualTo("disabled");
	}

	@Test
	void resetFailedClearsTheFailedState() throws Exception {
		assertThat(LocalHttp.post(this.port, "/actuator/services/broken", "{\"action\":\"start\"}").statusCode())
			.isEqualTo(502);
		assertThat(sandbox.systemctl("is-failed", "broken.service").output().strip()).isEqualTo("failed");
		HttpResponse<String> reset = LocalHttp.post(this.port, "/actuator/services/broken",
				"{\"action\":\"reset-failed\"}");
		assertThat(reset.statusCode()).as(reset.body()).isEqualTo(200);
		DocumentContext body = JsonPath.parse(reset.body());
		assertThat(body.read("$.outcome", String.class)).isEqualTo("done");
		assertThat(body.read("$.service.state", String.class)).isEqualTo("stopped");
		assertThat(sandbox.show("broken.service", "ActiveState")).containsEntry("ActiveState", "inactive");
	}

	@Test
	void tryRestartAndReloadOrRestartActAsSystemctlDoes() throws Exception {
		LocalHttp.post(this.port, "/actuator/services/app", "{\"action\":\"stop\"}");
		HttpResponse<String> tried = LocalHttp.post(this.port, "/actuator/services/app",
				"{\"action\":\"try-restart\"}");
		assertThat(tried.statusCode()).as(tried.body()).isEqualTo(200);
		assertThat(JsonPath.parse(tried.body()).read("$.outcome", String.class)).isEqualTo("no_change");
		assertThat(sandbox.show("app.service", "ActiveState")).containsEntry("ActiveState", "inactive");
		HttpResponse<String> started = LocalHttp.post(this.port, "/actuator/services/app",
				"{\"action\":\"reload-or-restart\"}");
		assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
		DocumentContext body = JsonPath.parse(started.body());
		assertThat(body.read("$.outcome", String.class)).isEqualTo("done");
		assertThat(body.read("$.service.state", String.class)).isEqualTo("running");
		String pid = sandbox.show("app.service", "MainPID").get("MainPID");
		assertThat(body.read("$.service.pid", Long.class)).isEqualTo(Long.parseLong(pid));
		HttpResponse<String> restarted = LocalHttp.post(this.port, "/actuator/services/app",
				"{\"action\":\"try-restart\"}");
		assertThat(JsonPath.parse(restarted.body()).read("$.outcome", String.class)).isEqualTo("done");
		assertThat(sandbox.show("app.service", "MainPID").get("MainPID")).isNotEqualTo(pid);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
