package io.github.supervision.actuate;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import io.github.supervision.testsupport.Commands;
import io.github.supervision.testsupport.LocalHttp;
import io.github.supervision.testsupport.RealDaemonTest;
import io.github.supervision.testsupport.Runsvdir;
import org.junit.jupiter.api.BeforeAll;
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
import static org.awaitility.Awaitility.await;

/**
 * Tests for s6's signals and readiness over real HTTP, with services under real
 * {@code s6-supervise} processes: a signal sent through the endpoint reaches the
 * service's process (as {@code s6-svc}'s letter), and a start of a service with a
 * {@code notification-fd} answers only once the service said it is ready, as
 * {@code s6-svc -wU} waits and {@code s6-svstat} then reports.
 *
 * @author Supervision contributors
 */
@RealDaemonTest
@SpringBootTest(classes = S6VerbsHttpTests.TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=services",
				"management.endpoint.services.access=unrestricted", "supervision.services.ticker.directory=ticker",
				"supervision.services.ticker.actions=start,stop,signal", "supervision.services.ready.directory=ready" })
class S6VerbsHttpTests {

	private static final String S6_SUPERVISE = "/usr/bin/s6-supervise";

	private static final String S6_SVSTAT = "/usr/bin/s6-svstat";

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	// the s6 services live beside runsvdir's scan directory, each under its own
	// s6-supervise; runsvdir itself supervises nothing here
	@RegisterExtension
	static final Runsvdir runsvdir = Runsvdir.withServices((runsvdir) -> {
		Path s6 = Files.createDirectories(runsvdir.root().resolve("s6"));
		runsvdir.service(s6, "ticker", "trap 'echo usr1 >> " + runsvdir.root() + "/ticker.txt' USR1\necho ready >> "
				+ runsvdir.root() + "/ticker.txt\nwhile :; do sleep 0.05; done", false);
		// says it is ready a second after it starts, on the fd named in notification-fd;
		// down until the test starts it
		Path ready = runsvdir.service(s6, "ready", "sleep 1\necho >&3\nexec sleep 1000 3>&-", true);
		Files.writeString(ready.resolve("notification-fd"), "3\n");
	});

	@LocalServerPort
	int port;

	@BeforeAll
	static void superviseWithS6() throws Exception {
		runsvdir.supervise(S6_SUPERVISE, s6("ticker"));
		runsvdir.supervise(S6_SUPERVISE, s6("ready"));
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("supervision.runit.service-directory", () -> runsvdir.root().resolve("s6").toString());
	}

	@Test
	void aSignalReachesTheS6ServiceAndAnswersDone() throws Exception {
		Path log = runsvdir.root().resolve("ticker.txt");
		await().atMost(TIMEOUT).until(() -> Files.exists(log) && Files.readString(log).contains("ready"));
		await().atMost(TIMEOUT)
			.until(() -> "running"
				.equals(JsonPath.parse(LocalHttp.get(this.port, "/actuator/services/ticker").body()).read("$.state")));
		DocumentContext before = JsonPath.parse(LocalHttp.get(this.port, "/actuator/services/ticker").body());
		assertThat(before.<List<Object>>read("$.actions")).containsExactly("start", "stop", "signal");
		assertThat(before.read("$.details.flavour", String.class)).isEqualTo("s6");
		Integer pid = before.read("$.pid", Integer.class);
		// a USR1 sent before the trap is set would end the script
		await().atMost(TIMEOUT)
			.until(() -> Commands.catchesSignal(Files.readString(Path.of("/proc/" + pid + "/status")), 10));
		DocumentContext body = ServiceVerbsHttpTests.signalDone(this.port, "ticker", "USR1");
		assertThat(body.read("$.service.pid", Integer.class)).isEqualTo(pid);
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(Files.readString(log)).contains("usr1"));
		// the same process, still up, as s6 itself reports it
		assertThat(s6Svstat("-o", "up,pid", s6("ticker").toString())).isEqualTo("true " + pid);
	}

	@Test
	void aStartOfAServiceWithANotificationFdAnswersOnceItIsReady() throws Exception {
		assertThat(s6Svstat(s6("ready").toString())).startsWith("down");
		long start = System.nanoTime();
		HttpResponse<String> response = LocalHttp.post(this.port, "/actuator/services/ready", "{\"action\":\"start\"}");
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		DocumentContext body = JsonPath.parse(response.body());
		assertThat(body.read("$.outcome", String.class)).isEqualTo("done");
		assertThat(body.read("$.message", String.class)).contains("ready");
		assertThat(body.read("$.service.state", String.class)).isEqualTo("running");
		// the run script waits a second before it says it is ready
		assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(900));
		// what s6-svc -wU waits for: s6-svstat reports the service up and ready
		assertThat(s6Svstat("-o", "up,ready", s6("ready").toString())).isEqualTo("true true");
		HttpResponse<String> again = LocalHttp.post(this.port, "/actuator/services/ready", "{\"action\":\"start\"}");
		assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
		assertThat(JsonPath.parse(again.body()).read("$.outcome", String.class)).isEqualTo("no_change");
	}

	private static Path s6(String name) {
		return runsvdir.root().resolve("s6").resolve(name);
	}

	private static String s6Svstat(String... args) throws Exception {
		List<String> command = new ArrayList<>(List.of(S6_SVSTAT));
		command.addAll(List.of(args));
		Commands.Result result = Commands.run(TIMEOUT, command);
		assertThat(result.exitStatus()).as(result.stderr()).isZero();
		return result.stdout().strip();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
