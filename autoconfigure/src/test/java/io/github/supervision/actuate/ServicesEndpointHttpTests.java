package io.github.supervision.actuate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import io.github.supervision.ActionInProgressException;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceState;
import io.github.supervision.testsupport.LogTailingBackend;
import io.github.supervision.testsupport.RecordingBackend;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the {@code services} endpoint over real HTTP: the JSON it answers, and that
 * bad input is refused with the right status before any backend call. The backend here
 * records calls, to prove which were made; the embedded backend's own HTTP tests prove
 * the whole path with real processes.
 *
 * @author Supervision contributors
 */
class ServicesEndpointHttpTests {

	private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
		return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<String> post(int port, String path, String json) throws IOException, InterruptedException {
		return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	// The status events read the declared services once at start-up, on a thread of
	// their own: a read that landed after the calls were cleared would count as a test's
	private static void clearCalls(RecordingBackend backend) {
		await().atMost(Duration.ofSeconds(10)).until(() -> !backend.statusThread().isEmpty());
		backend.clearCalls();
	}

	@Nested
	@SpringBootTest(classes = ServicesEndpointHttpTests.TestApplication.class,
			webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "management.endpoints.web.exposure.include=services,health",
					"management.endpoint.health.show-details=always", "supervision.services.web.backend=fake",
					"supervision.services.db.backend=fake", "supervision.services.db.critical=true",
					"supervision.services.db.actions=start,restart", "supervision.services.cache.backend=spare",
					"management.endpoint.health.group.ready.include=supervision/db",
					"management.endpoint.health.group.ready.show-details=always" })
	class ReadOnly {

		@LocalServerPort
		int port;

		@Autowired
		@Qualifier("fakeBackend")
		RecordingBackend backend;

		@Autowired
		@Qualifier("spareBackend")
		RecordingBackend spare;

		@Test
		void listsEveryDeclaredServiceWithItsState() throws Exception {
			HttpResponse<String> response = get(this.port, "/actuator/services");
			assertThat(response.statusCode()).isEqualTo(200);
			DocumentContext body = JsonPath.parse(response.body());
			assertThat(body.<List<Object>>read("$.services[*].name")).contains("web", "db", "cache");
			assertThat(body.<List<Object>>read("$.services[*].state")).contains("running");
			assertThat(body.<List<Object>>read("$.services[*].pid")).contains(42);
			assertThat(body.<List<Object>>read("$.services[*].backend")).contains("fake");
			assertThat(body.<List<Object>>read("$.services[*].declared")).contains(true);
			assertThat(body.read("$.backends.fake.available", Boolean.class)).isTrue();
			assertThat(this.backend.calls()).containsExactly("status[web, db]");
		}

		@Test
		void eachServiceListsTheCapabilitiesItsBackendOffers() throws Exception {
			DocumentContext body = JsonPath.parse(get(this.port, "/actuator/services").body());
			assertThat(body.<List<Object>>read("$.services[?(@.name == 'web')].capabilities[*]"))
				.containsExactly("log-tail");
			assertThat(body.<List<Object>>read("$.services[?(@.name == 'db')].capabilities[*]"))
				.containsExactly("log-tail");
			assertThat(body.<List<Object>>read("$.services[?(@.name == 'cache')].capabilities"))
				.containsExactly(List.of());
			DocumentContext db = JsonPath.parse(get(this.port, "/actuator/services/db").body());
			assertThat(db.<List<Object>>read("$.capabilities")).containsExactly("log-tail");
		}

		@Test
		void describesOneService() throws Exception {
			HttpResponse<String> response = get(this.port, "/actuator/services/db");
			assertThat(response.statusCode()).isEqualTo(200);
			DocumentContext body = JsonPath.parse(response.body());
			assertThat(body.read("$.name", String.class)).isEqualTo("db");
			assertThat(body.<List<Object>>read("$.actions")).containsExactly("start", "restart");
			assertThat(body.read("$.critical", Boolean.class)).isTrue();
		}

		@Test
		void anUnknownServiceIs404WithASmallBody() throws Exception {
			HttpResponse<String> response = get(this.port, "/actuator/services/nginx");
			assertThat(response.statusCode()).isEqualTo(404);
			assertThat(response.body())
				.isEqualTo("{\"error\":\"unknown-service\",\"message\":\"No service named 'nginx' is declared\"}");
			assertThat(this.backend.calls()).doesNotContain("status[nginx]");
		}

		@Test
		void pathLikeAndControlCharacterNamesAre400WithoutABackendCall() throws Exception {
			for (String name : new String[] { "a%20b", "a%0Ab", "a%1Bb", "-rf", ".hidden", "a..b", "x%22y", "a%3Bb" }) {
				HttpResponse<String> response = get(this.port, "/actuator/services/" + name);
				assertThat(response.statusCode()).as(name).isEqualTo(400);
				assertThat(response.body()).as(name)
					.startsWith("{\"error\":\"invalid-name\"")
					.doesNotContain("Exception", "\tat ");
			}
			assertThat(this.backend.calls()).isEmpty();
		}

		@Test
		void anEncodedSlashOrNulIsRefusedByTheServerBeforeTheEndpoint() throws Exception {
			for (String name : new String[] { "..%2Fx", "a%00b", "a%2Fb" }) {
				HttpResponse<String> response = get(this.port, "/actuator/services/" + name);
				assertThat(response.statusCode()).as(name).isEqualTo(400);
				assertThat(response.body()).as(name).doesNotContain("Exception", "\tat ");
			}
			assertThat(this.backend.calls()).isEmpty();
		}

		@Test
		void aWriteWhileReadOnlyIsRefusedAndNothingHappens() throws Exception {
			HttpResponse<String> response = post(this.port, "/actuator/services/web", "{\"action\":\"restart\"}");
			assertThat(response.statusCode()).isEqualTo(405);
			assertThat(this.backend.calls()).noneMatch((call) -> call.startsWith("perform"));
		}

		@Test
		void healthIsDownWhileACriticalServiceIsNotRunning() throws Exception {
			DocumentContext up = JsonPath.parse(get(this.port, "/actuator/health").body());
			assertThat(up.read("$.components.supervision.status", String.class)).isEqualTo("UP");
			assertThat(up.read("$.components.supervision.components.db.details.state", String.class))
				.isEqualTo("running");
			this.backend.setState(ServiceState.FAILED);
			try {
				HttpResponse<String> response = get(this.port, "/actuator/health");
				assertThat(response.statusCode()).isEqualTo(503);
				DocumentContext down = JsonPath.parse(response.body());
				assertThat(down.read("$.components.supervision.status", String.class)).isEqualTo("DOWN");
				assertThat(down.read("$.components.supervision.components.db.status", String.class)).isEqualTo("DOWN");
				assertThat(down.read("$.components.supervision.components.db.details.state", String.class))
					.isEqualTo("failed");
				assertThat(down.read("$.components.supervision.components.web.status", String.class)).isEqualTo("UP");
				assertThat(down.read("$.components.supervision.components.web.details.state", String.class))
					.isEqualTo("failed");
			}
			finally {
				this.backend.setState(ServiceState.RUNNING);
			}
		}

		@Test
		void healthIsDownWhileTheBackendOfACriticalServiceIsUnreachable() throws Exception {
			this.backend.goDown("socket missing");
			try {
				HttpResponse<String> response = get(this.port, "/actuator/health");
				assertThat(response.statusCode()).isEqualTo(503);
				DocumentContext health = JsonPath.parse(response.body());
				assertThat(health.read("$.components.supervision.components.db.status", String.class))
					.isEqualTo("DOWN");
				assertThat(health.read("$.components.supervision.components.db.details.message", String.class))
					.isEqualTo("socket missing");
				HttpResponse<String> services = get(this.port, "/actuator/services");
				assertThat(services.statusCode()).isEqualTo(200);
				DocumentContext list = JsonPath.parse(services.body());
				assertThat(list.<List<Object>>read("$.services[*].state")).contains("unknown");
				assertThat(list.<List<Object>>read("$.services[*].message")).contains("socket missing");
				assertThat(list.<Map<String, Object>>read("$.backends.fake")).containsEntry("available", false)
					.containsEntry("reason", "socket missing");
			}
			finally {
				this.backend.goUp();
			}
		}

		@Test
		void aServiceNobodyMarkedCriticalNeverTurnsHealthDownEvenWhenItsBackendIsUnreachable() throws Exception {
			this.spare.goDown("no daemon here");
			try {
				HttpResponse<String> response = get(this.port, "/actuator/health");
				assertThat(response.statusCode()).isEqualTo(200);
				DocumentContext health = JsonPath.parse(response.body());
				assertThat(health.read("$.status", String.class)).isEqualTo("UP");
				assertThat(health.read("$.components.supervision.components.cache.status", String.class))
					.isEqualTo("UP");
				assertThat(health.read("$.components.supervision.components.cache.details.state", String.class))
					.isEqualTo("unknown");
				assertThat(health.read("$.components.supervision.components.cache.details.message", String.class))
					.isEqualTo("no daemon here");
			}
			finally {
				this.spare.goUp();
			}
		}

		@Test
		void eachDeclaredServiceHasAHealthContributorOfItsOwn() throws Exception {
			HttpResponse<String> db = get(this.port, "/actuator/health/supervision/db");
			assertThat(db.statusCode()).isEqualTo(200);
			assertThat(JsonPath.parse(db.body()).read("$.details.critical", Boolean.class)).isTrue();
			this.backend.setState(ServiceState.STOPPED);
			try {
				assertThat(get(this.port, "/actuator/health/supervision/db").statusCode()).isEqualTo(503);
				assertThat(get(this.port, "/actuator/health/supervision/web").statusCode()).isEqualTo(200);
			}
			finally {
				this.backend.setState(ServiceState.RUNNING);
			}
			assertThat(get(this.port, "/actuator/health/supervision/nginx").statusCode()).isEqualTo(404);
		}

		@Test
		void aHealthGroupCanIncludeOneService() throws Exception {
			assertThat(get(this.port, "/actuator/health/ready").statusCode()).isEqualTo(200);
			this.backend.setState(ServiceState.STOPPED);
			try {
				HttpResponse<String> response = get(this.port, "/actuator/health/ready");
				assertThat(response.statusCode()).isEqualTo(503);
				assertThat(JsonPath.parse(response.body())
					.read("$.components.supervision.components.db.status", String.class)).isEqualTo("DOWN");
			}
			finally {
				this.backend.setState(ServiceState.RUNNING);
			}
		}

		@Test
		void aLogIsRefusedWhileLogsAreOffByDefault() throws Exception {
			HttpResponse<String> response = get(this.port, "/actuator/services/web/log");
			assertThat(response.statusCode()).isEqualTo(403);
			DocumentContext body = JsonPath.parse(response.body());
			assertThat(body.read("$.error", String.class)).isEqualTo("logs-disabled");
			assertThat(body.read("$.message", String.class)).contains("supervision.logs.enabled=true",
					"supervision.services.web.logs=true");
			assertThat(((LogTailingBackend) this.backend).tailCalls()).isEmpty();
		}

		@BeforeEach
		void reset() {
			clearCalls(this.backend);
		}

	}

	@Nested
	@SpringBootTest(classes = ServicesEndpointHttpTests.TestApplication.class,
			webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "management.endpoints.web.exposure.include=services", "supervision.logs.enabled=true",
					"supervision.services.web.backend=fake", "supervision.services.db.backend=fake",
					"supervision.services.db.logs=false", "supervision.services.cache.backend=spare" })
	class Logs {

		@LocalServerPort
		int port;

		@Autowired
		@Qualifier("fakeBackend")
		RecordingBackend backend;

		LogTailingBackend tailing() {
			return (LogTailingBackend) this.backend;
		}

		@BeforeEach
		void reset() {
			tailing().setLog(List.of("first", "second", "\u001b[1;31mred\u001b[0m \u0007bell"));
			tailing().clearTailCalls();
		}

		@Test
		void readsTheLastLinesAsJsonWithReadAccessOnly() throws Exception {
			HttpResponse<String> response = get(this.port, "/actuator/services/web/log?lines=2");
			assertThat(response.statusCode()).isEqualTo(200);
			DocumentContext body = JsonPath.parse(response.body());
			assertThat(body.read("$.service", String.class)).isEqualTo("web");
			assertThat(body.read("$.backend", String.class)).isEqualTo("fake");
			assertThat(body.<List<Object>>read("$.lines[*].text")).containsExactly("second", "red bell");
			assertThat(body.read("$.truncated", Boolean.class)).as("an older line was left out").isTrue();
			assertThat(body.<Map<String, Object>>read("$.lines[0]")).as("time and stream are left out when null")
				.containsOnlyKeys("text");
			assertThat(tailing().tailCalls()).singleElement().asString().startsWith("tailLog web 2 ");
			DocumentContext all = JsonPath.parse(get(this.port, "/actuator/services/web/log?lines=3").body());
			assertThat(all.<List<Object>>read("$.lines[*].text")).containsExactly("first", "second", "red bell");
			assertThat(all.read("$.truncated", Boolean.class)).isFalse();
		}

		@Test
		void asksForAHundredLinesWhenTheRequestDoesNotSay() throws Exception {
			assertThat(get(this.port, "/actuator/services/web/log").statusCode()).isEqualTo(200);
			assertThat(tailing().tailCalls()).singleElement().asString().startsWith("tailLog web 100 ");
		}

		@Test
		void aLineCountOutsideOneToTenThousandIs400WithoutABackendCall() throws Exception {
			for (String lines : List.of("0", "-1", "10001")) {
				HttpResponse<String> response = get(this.port, "/actuator/services/web/log?lines=" + lines);
				assertThat(response.statusCode()).as(lines).isEqualTo(400);
				assertThat(JsonPath.parse(response.body()).read("$.error", String.class)).isEqualTo("invalid-lines");
			}
			assertThat(get(this.port, "/actuator/services/web/log?lines=many").statusCode()).isEqualTo(400);
			assertThat(get(this.port, "/actuator/services/web/log?lines=10000").statusCode()).isEqualTo(200);
			assertThat(tailing().tailCalls()).singleElement().asString().startsWith("tailLog web 10000 ");
		}

		@Test
		void aServiceWhoseLogsAreTurnedOffIs403WithoutABackendCall() throws Exception {
			HttpResponse<String> response = get(this.port, "/actuator/services/db/log");
			assertThat(response.statusCode()).isEqualTo(403);
			DocumentContext body = JsonPath.parse(response.body());
			assertThat(body.read("$.error", String.class)).isEqualTo("logs-disabled");
			assertThat(body.read("$.message", String.class)).contains("supervision.services.db.logs=true");
			assertThat(tailing().tailCalls()).isEmpty();
		}

		@Test
		void aBackendWithoutLogTailsIs400Unsupported() throws Exception {
			HttpResponse<String> response = get(this.port, "/actuator/services/cache/log");
			assertThat(response.statusCode()).isEqualTo(400);
			DocumentContext body = JsonPath.parse(response.body());
			assertThat(body.read("$.error", String.class)).isEqualTo("unsupported");
			assertThat(body.read("$.message", String.class))
				.isEqualTo("Service 'cache' does not support 'log-tail': the spare backend does not offer it");
		}

		@Test
		void unknownServicesInvalidNamesAndOtherPathsAreRefusedWithoutABackendCall() throws Exception {
			HttpResponse<String> unknown = get(this.port, "/actuator/services/nginx/log");
			assertThat(unknown.statusCode()).isEqualTo(404);
			assertThat(JsonPath.parse(unknown.body()).read("$.error", String.class)).isEqualTo("unknown-service");
			HttpResponse<String> other = get(this.port, "/actuator/services/web/logs");
			assertThat(other.statusCode()).isEqualTo(404);
			assertThat(JsonPath.parse(other.body()).read("$.error", String.class)).isEqualTo("not-found");
			HttpResponse<String> invalid = get(this.port, "/actuator/services/-web/log");
			assertThat(invalid.statusCode()).isEqualTo(400);
			assertThat(JsonPath.parse(invalid.body()).read("$.error", String.class)).isEqualTo("invalid-name");
			assertThat(get(this.port, "/actuator/services/web/log/more").statusCode()).isEqualTo(404);
			assertThat(tailing().tailCalls()).isEmpty();
		}

		@Test
		void aLogIsNeverOfferedAsAWrite() throws Exception {
			assertThat(post(this.port, "/actuator/services/web/log", "{}").statusCode()).isEqualTo(405);
			assertThat(tailing().tailCalls()).isEmpty();
		}

	}

	@Nested
	@ExtendWith(OutputCaptureExtension.class)
	@SpringBootTest(classes = ServicesEndpointHttpTests.TestApplication.class,
			webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "management.endpoints.web.exposure.include=services",
					"management.endpoint.services.access=unrestricted", "supervision.services.web.backend=fake",
					"supervision.services.db.backend=fake", "supervision.services.db.actions=start,restart" })
	class Unrestricted {

		@LocalServerPort
		int port;

		@Autowired
		@Qualifier("fakeBackend")
		RecordingBackend backend;

		@BeforeEach
		void reset() {
			clearCalls(this.backend);
		}

		@Test
		void aWriteActsAndAnswersTheOutcomeWithTheStatusReadBack() throws Exception {
			HttpResponse<String> response = post(this.port, "/actuator/services/web", "{\"action\":\"restart\"}");
			assertThat(response.statusCode()).isEqualTo(200);
			DocumentContext body = JsonPath.parse(response.body());
			assertThat(body.read("$.name", String.class)).isEqualTo("web");
			assertThat(body.read("$.action", String.class)).isEqualTo("restart");
			assertThat(body.read("$.outcome", String.class)).isEqualTo("done");
			assertThat(body.read("$.successful", Boolean.class)).isTrue();
			assertThat(body.read("$.service.name", String.class)).isEqualTo("web");
			assertThat(this.backend.calls()).containsExactly("perform web restart");
		}

		@Test
		void anUnknownActionIs400() throws Exception {
			HttpResponse<String> response = post(this.port, "/actuator/services/web", "{\"action\":\"explode\"}");
			assertThat(response.statusCode()).isEqualTo(400);
			assertThat(response.body()).startsWith("{\"error\":\"invalid-action\"");
			assertThat(this.backend.calls()).isEmpty();
		}

		@Test
		void anActionOrSignalInTheQueryStringIs400AndNeverReachesTheBackend() throws Exception {
			// the actuator would let the query string win over the body a rule has read
			for (String query : new String[] { "action=stop", "%61ction=stop", "Action=stop", "x=1&signal=KILL" }) {
				HttpResponse<String> response = post(this.port, "/actuator/services/web?" + query,
						"{\"action\":\"restart\"}");
				assertThat(response.statusCode()).as(query).isEqualTo(400);
				assertThat(JsonPath.parse(response.body()).read("$.error", String.class)).as(query)
					.isEqualTo("invalid-action");
			}
			assertThat(this.backend.calls()).isEmpty();
		}

		@Test
		void otherQueryParametersLeaveTheActionToTheBody() throws Exception {
			HttpResponse<String> response = post(this.port, "/actuator/services/web?trace=1",
					"{\"action\":\"restart\"}");
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(this.backend.calls()).containsExactly("perform web restart");
		}

		@Test
		void aMissingActionIs400() throws Exception {
			HttpResponse<String> response = post(this.port, "/actuator/services/web", "{}");
			assertThat(response.statusCode()).isEqualTo(400);
			assertThat(this.backend.calls()).isEmpty();
		}

		@Test
		void killPauseAndOnceAreNotAllowedUnlessListedForTheService() throws Exception {
			for (String action : new String[] { "kill", "pause", "continue", "once" }) {
				HttpResponse<String> response = post(this.port, "/actuator/services/web",
						"{\"action\":\"" + action + "\"}");
				assertThat(response.statusCode()).as(action).isEqualTo(403);
			}
			assertThat(JsonPath.parse(get(this.port, "/actuator/services/web").body()).<List<String>>read("$.actions"))
				.containsExactly("start", "stop", "restart", "reload");
			assertThat(this.backend.calls()).noneMatch((call) -> call.startsWith("perform"));
		}

		@Test
		void eachActionIsLoggedWithItsOutcome(CapturedOutput output) throws Exception {
			post(this.port, "/actuator/services/web", "{\"action\":\"restart\"}");
			post(this.port, "/actuator/services/db", "{\"action\":\"stop\"}");
			assertThat(output).contains("Action restart on service 'web' by an anonymous caller: done")
				.contains("Action stop on service 'db' by an anonymous caller refused: ");
		}

		@Test
		void anActionThatIsNotAllowedIs403() throws Exception {
			HttpResponse<String> response = post(this.port, "/actuator/services/db", "{\"action\":\"stop\"}");
			assertThat(response.statusCode()).isEqualTo(403);
			assertThat(response.body()).startsWith("{\"error\":\"not-allowed\"");
			assertThat(this.backend.calls()).isEmpty();
		}

		@Test
		void aWriteToAnUndeclaredServiceIs404AndNeverReachesTheBackend() throws Exception {
			HttpResponse<String> response = post(this.port, "/actuator/services/sshd", "{\"action\":\"stop\"}");
			assertThat(response.statusCode()).isEqualTo(404);
			assertThat(this.backend.calls()).isEmpty();
		}

		@Test
		void anActionWhileAnotherIsInFlightAnswers409() throws Exception {
			this.backend
				.setActionFailure(new ActionInProgressException("web", ServiceAction.STOP, ServiceAction.RESTART));
			try {
				HttpResponse<String> response = post(this.port, "/actuator/services/web", "{\"action\":\"stop\"}");
				assertThat(response.statusCode()).isEqualTo(409);
				assertThat(JsonPath.parse(response.body()).read("$.error", String.class))
					.isEqualTo("action-in-progress");
			}
			finally {
				this.backend.setActionFailure(null);
			}
		}

		@Test
		void aBackendThatIsDownAnswers503() throws Exception {
			this.backend.goDown("the daemon is not running");
			try {
				HttpResponse<String> response = post(this.port, "/actuator/services/web", "{\"action\":\"restart\"}");
				assertThat(response.statusCode()).isEqualTo(503);
				assertThat(response.body()).isEqualTo(
						"{\"error\":\"backend-unavailable\",\"message\":\"The fake backend is not available: the daemon is not running\"}");
			}
			finally {
				this.backend.goUp();
			}
		}

	}

	@Nested
	@SpringBootTest(classes = ServicesEndpointHttpTests.TestApplication.class,
			webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "management.endpoints.web.exposure.include=services",
					"management.endpoint.services.access=unrestricted", "management.server.port=0",
					"supervision.services.web.backend=fake" })
	class OnTheManagementPort {

		@LocalServerPort
		int port;

		@LocalManagementPort
		int managementPort;

		@Autowired
		@Qualifier("fakeBackend")
		RecordingBackend backend;

		@BeforeEach
		void reset() {
			clearCalls(this.backend);
		}

		@Test
		void anActionInTheQueryStringIsRefusedOnTheManagementServerToo() throws Exception {
			assertThat(this.managementPort).isNotEqualTo(this.port);
			HttpResponse<String> response = post(this.managementPort, "/actuator/services/web?action=stop",
					"{\"action\":\"restart\"}");
			assertThat(response.statusCode()).isEqualTo(400);
			assertThat(JsonPath.parse(response.body()).read("$.error", String.class)).isEqualTo("invalid-action");
			assertThat(this.backend.calls()).isEmpty();
			assertThat(post(this.managementPort, "/actuator/services/web", "{\"action\":\"restart\"}").statusCode())
				.isEqualTo(200);
			assertThat(this.backend.calls()).containsExactly("perform web restart");
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

		@Bean
		RecordingBackend fakeBackend() {
			return new LogTailingBackend("fake");
		}

		@Bean
		RecordingBackend spareBackend() {
			return new RecordingBackend("spare");
		}

	}

}
