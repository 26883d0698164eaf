package io.github.supervision.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import io.github.supervision.ServiceLog;
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
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@code GET /actuator/services/{name}/log} over real HTTP against a real
 * supervisord and real embedded processes whose logs are hostile: ANSI escapes, bytes
 * that are not UTF-8, a line of 10 MB and one of 100 KB. Each answer is bounded, valid
 * JSON, and comes within the deadline.
 *
 * @author Supervision contributors
 */
@RealDaemonTest
@SpringBootTest(classes = HostileLogEndpointTests.TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=services", "supervision.logs.enabled=true",
				"supervision.read-timeout=5s", "supervision.embedded.tail-size=1MB",
				"supervision.services.hostile.program=hostile", "supervision.services.merged.program=merged",
				"supervision.services.tainted.program=tainted", "supervision.services.local.backend=embedded" })
class HostileLogEndpointTests {

	// stdout: a 10 MB line, a 100 KB line, escapes, then 'done'; stderr: bytes that are
	// not UTF-8, then twenty good lines with escapes
	private static final String HOSTILE = """
			#!/bin/sh
			head -c 10485760 /dev/zero | tr '\\000' x; printf '\\n'
			head -c 100000 /dev/zero | tr '\\000' y; printf '\\n'
			printf '\\033[1;31mred\\033[0m plain \\033]0;title\\007end\\r\\n'
			printf 'bad \\377\\376 utf8 \\303(\\n' >&2
			i=0; while [ $i -lt 20 ]; do printf 'err \\033[33m%s\\033[0m\\a\\n' "$i" >&2; i=$((i+1)); done
			printf 'done\\n'
			exec sleep 100000
			""";

	@RegisterExtension
	static final SupervisordDaemon daemon = SupervisordDaemon.withPrograms("""
			[program:hostile]
			command=%(here)s/hostile.sh
			startsecs=0
			stdout_logfile=%(here)s/hostile.out
			stderr_logfile=%(here)s/hostile.err

			[program:merged]
			command=/bin/sh -c "echo to-stdout; echo to-stderr >&2; exec sleep 100000"
			startsecs=0
			redirect_stderr=true
			stdout_logfile=%(here)s/merged.out

			[program:tainted]
			command=%(here)s/tainted.sh
			startsecs=0
			stdout_logfile=%(here)s/tainted.out
			""").beforeStart((fixture) -> {
		script(fixture.directory().resolve("hostile.sh"), HOSTILE);
		script(fixture.directory().resolve("tainted.sh"),
				"#!/bin/sh\nprintf 'ends badly \\377\\n'\nexec sleep 100000\n");
	});

	private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void daemonProperties(DynamicPropertyRegistry registry) {
		registry.add("supervision.supervisord.url", daemon::unixUrl);
		registry.add("supervision.supervisord.username", () -> SupervisordDaemon.USERNAME);
		registry.add("supervision.supervisord.password", () -> SupervisordDaemon.PASSWORD);
		registry.add("supervision.services.local.command[0]", () -> "/bin/sh");
		registry.add("supervision.services.local.command[1]",
				() -> daemon.directory().resolve("hostile.sh").toString());
	}

	@Test
	void supervisordLogsComeBackBoundedCleanAndByStream() {
		DocumentContext body = awaitLog("hostile", 1000, "done");
		List<Map<String, Object>> lines = body.read("$.lines");
		assertClean(lines);
		assertThat(body.read("$.backend", String.class)).isEqualTo("supervisord");
		assertThat(body.read("$.truncated", Boolean.class)).isTrue();
		assertThat(body.<List<String>>read("$.lines[?(@.stream == 'stdout')].text")).as("the 10 MB line is cut away")
			.containsExactly("y".repeat(ServiceLog.MAX_LINE_LENGTH), "red plain end", "done");
		List<String> stderr = body.read("$.lines[?(@.stream == 'stderr')].text");
		assertThat(stderr).as("the newest part of stderr after the bytes that are not UTF-8")
			.isNotEmpty()
			.endsWith("err 19");
		assertThat(stderr).allMatch((text) -> text.matches("err \\d+"));
		assertThat(body.<List<String>>read("$.lines[*].stream")).as("stdout, then stderr")
			.isSortedAccordingTo((a, b) -> a.compareTo(b) * -1);
	}

	@Test
	void supervisordWithRedirectedStderrReadsOneLogWithoutStreams() {
		DocumentContext body = awaitLog("merged", 10, "to-stderr");
		assertThat(body.<List<String>>read("$.lines[*].text")).contains("to-stdout", "to-stderr");
		assertThat(body.<List<Map<String, Object>>>read("$.lines"))
			.allSatisfy((line) -> assertThat(line).containsOnlyKeys("text"));
	}

	@Test
	void aSupervisordLogThatEndsInBytesThatAreNotUtf8IsASmallErrorAndLeavesSupervisordAvailable() throws Exception {
		await().atMost(Duration.ofSeconds(10)).until(() -> Files.size(daemon.directory().resolve("tainted.out")) > 0);
		HttpResponse<String> response = get("/actuator/services/tainted/log?lines=10");
		assertThat(response.statusCode()).isEqualTo(503);
		DocumentContext body = JsonPath.parse(response.body());
		assertThat(body.read("$.message", String.class)).contains("UTF-8");
		DocumentContext services = JsonPath.parse(get("/actuator/services").body());
		assertThat(services.read("$.backends.supervisord.available", Boolean.class)).isTrue();
	}

	@Test
	void embeddedLogsComeBackBoundedCleanWithReplacementCharacters() {
		DocumentContext body = awaitLog("local", 10_000, "done");
		List<Map<String, Object>> lines = body.read("$.lines");
		assertClean(lines);
		List<String> texts = body.read("$.lines[*].text");
		assertThat(texts).contains("y".repeat(ServiceLog.MAX_LINE_LENGTH), "red plain end",
				"bad \uFFFD\uFFFD utf8 \uFFFD(", "err 0", "err 19", "done");
		assertThat(texts).noneMatch((text) -> text.startsWith("x")).as("the 10 MB line is beyond the 1 MB tail");
		assertThat(body.read("$.truncated", Boolean.class)).isTrue();
		assertThat(lines).allSatisfy((line) -> assertThat(line).containsOnlyKeys("text"));
	}

	private DocumentContext awaitLog(String service, int lines, String last) {
		String[] body = new String[1];
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
			long started = System.nanoTime();
			HttpResponse<String> response = get("/actuator/services/" + service + "/log?lines=" + lines);
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			assertThat(response.body().length()).isLessThan(2 * 1024 * 1024);
			assertThat(JsonPath.parse(response.body()).<List<String>>read("$.lines[*].text")).contains(last);
			body[0] = response.body();
		});
		return JsonPath.parse(body[0]);
	}

	private static void assertClean(List<Map<String, Object>> lines) {
		assertThat(lines).isNotEmpty().allSatisfy((line) -> {
			String text = (String) line.get("text");
			assertThat(text.length()).isLessThanOrEqualTo(ServiceLog.MAX_LINE_LENGTH);
			assertThat(text.chars()).noneMatch((c) -> (c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f));
		});
	}

	private HttpResponse<String> get(String path) throws Exception {
		return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(15))
			.GET()
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static void script(Path path, String text) throws Exception {
		Files.writeString(path, text);
		Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
