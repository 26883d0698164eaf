package io.github.supervision.actuate.events;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.jayway.jsonpath.JsonPath;
import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import io.github.supervision.testsupport.SseReader;
import io.github.supervision.testsupport.SseReader.Event;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.actuate.audit.AuditEvent;
import org.springframework.boot.actuate.audit.listener.AuditApplicationEvent;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the service event stream ({@code /actuator/serviceevents}) over real HTTP,
 * read by the JDK's streaming client, with real processes of the embedded backend.
 *
 * @author Supervision contributors
 */
class ServiceEventStreamHttpTests {

	private static final Duration DEADLINE = Duration.ofSeconds(20);

	private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
		return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<String> act(int port, String service, String action) throws Exception {
		return client
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/services/" + service))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"" + action + "\"}"))
				.build(), HttpResponse.BodyHandlers.ofString());
	}

	SseReader open(int port, String query, String... headers) throws Exception {
		return SseReader.open(client, URI.create("http://127.0.0.1:" + port + "/actuator/serviceevents" + query),
				headers);
	}

	boolean isState(Event event, String service, String state) {
		return event.type().equals("service") && JsonPath.read(event.data(), "$.name").equals(service)
				&& JsonPath.read(event.data(), "$.state").equals(state);
	}

	@Nested
	@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "supervision.services.sleeper.command=/bin/sleep,600",
					"supervision.services.other.command=/bin/sleep,600",
					"management.endpoints.web.exposure.include=services,serviceevents",
					"management.endpoint.services.access=unrestricted", "supervision.events.max-clients=8",
					"supervision.events.client-buffer=4", "supervision.events.history=16",
					"supervision.events.heartbeat=200ms" })
	class Exposed {

		@LocalServerPort
		int port;

		@Autowired
		ServiceEventBroadcaster broadcaster;

		@Autowired
		AuditRecorder audit;

		// A closed client is noticed when a heartbeat to it fails, which may take a while
		// (a client library may keep the connection open): tests leave room for that
		private static final int MAX_CLIENTS = 8;

		@Test
		void streamsTheStopOfAServiceWithTheJsonOfTheServicesEndpoint() throws Exception {
			awaitRunning("sleeper");
			try (SseReader stream = open(this.port, "")) {
				assertThat(stream.status()).isEqualTo(200);
				assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
				assertThat(act(this.port, "sleeper", "stop").statusCode()).isEqualTo(200);
				Event stopped = stream.next((event) -> isState(event, "sleeper", "stopped"), DEADLINE);
				assertThat(stopped.id()).isNotNull();
				Map<String, Object> streamed = JsonPath.parse(stopped.data()).read("$");
				Map<String, Object> listed = JsonPath.parse(get(this.port, "/actuator/services/sleeper").body())
					.read("$");
				assertThat(streamed.keySet()).isEqualTo(listed.keySet());
				assertThat(withoutUptime(streamed)).isEqualTo(withoutUptime(listed));
				// the action was audited, with its outcome
				assertThat(this.audit.events).anySatisfy((audit) -> {
					assertThat(audit.getType()).isEqualTo("SERVICE_ACTION");
					assertThat(audit.getPrincipal()).isEqualTo("anonymous");
					assertThat(audit.getData()).containsEntry("service", "sleeper")
						.containsEntry("action", "stop")
						.containsEntry("outcome", "done")
						.containsKey("message");
				});
			}
			finally {
				act(this.port, "sleeper", "start");
			}
		}

		@Test
		void filtersByService() throws Exception {
			awaitRunning("other");
			try (SseReader stream = open(this.port, "?service=other")) {
				act(this.port, "sleeper", "restart");
				act(this.port, "other", "restart");
				Event event = stream.next((each) -> each.type().equals("service"), DEADLINE);
				assertThat(JsonPath.<String>read(event.data(), "$.name")).isEqualTo("other");
			}
			assertThat(open(this.port, "?service=nope").status()).isEqualTo(404);
			assertThat(open(this.port, "?service=..%2Fx").status()).isEqualTo(400);
		}

		@Test
		void resumesAfterTheLastEventIdAndResyncsAnIdItNoLongerKeeps() throws Exception {
			awaitRunning("sleeper");
			String first;
			List<String> ids = new ArrayList<>();
			try (SseReader stream = open(this.port, "?service=sleeper")) {
				act(this.port, "sleeper", "stop");
				first = stream.next((event) -> isState(event, "sleeper", "stopped"), DEADLINE).id();
				act(this.port, "sleeper", "start");
				ids.add(stream.next((event) -> isState(event, "sleeper", "running"), DEADLINE).id());
			}
			try (SseReader resumed = open(this.port, "?service=sleeper", "Last-Event-ID", first)) {
				Event replayed = resumed.next((event) -> isState(event, "sleeper", "running"), DEADLINE);
				assertThat(replayed.longId()).isGreaterThan(Long.parseLong(first));
				assertThat(replayed.id()).isIn(ids);
			}
			try (SseReader stale = open(this.port, "?service=sleeper", "Last-Event-ID", "1")) {
				Event resync = stale.next((event) -> true, DEADLINE);
				assertThat(resync.type()).isEqualTo("resync");
				assertThat(JsonPath.<String>read(resync.data(), "$.reason")).contains("no longer kept");
			}
		}

		@Test
		void sendsAHeartbeatCommentWhileIdle() throws Exception {
			try (SseReader stream = open(this.port, "?service=other")) {
				assertThat(stream.status()).isEqualTo(200);
				Awaitility.await().atMost(DEADLINE).until(() -> stream.comments() >= 2);
			}
		}

		@Test
		void answers503BeyondTheMostClients() throws Exception {
			List<SseReader> readers = new ArrayList<>();
			try {
				while (this.broadcaster.getClientCount() < MAX_CLIENTS) {
					assertThat(readers).as("clients opened").hasSizeLessThanOrEqualTo(MAX_CLIENTS);
					SseReader reader = open(this.port, "");
					readers.add(reader);
					assertThat(reader.status()).isEqualTo(200);
				}
				HttpResponse<String> refused = get(this.port, "/actuator/serviceevents");
				assertThat(refused.statusCode()).isEqualTo(503);
				assertThat(refused.headers().firstValue("Retry-After")).isPresent();
				assertThat(JsonPath.<String>read(refused.body(), "$.error")).isEqualTo("too-many-clients");
			}
			finally {
				readers.forEach(SseReader::close);
			}
			Awaitility.await().atMost(DEADLINE).until(() -> this.broadcaster.getClientCount() < MAX_CLIENTS);
			try (SseReader again = open(this.port, "")) {
				assertThat(again.status()).isEqualTo(200);
			}
		}

		@Test
		void aClientThatDoesNotReadIsSentAResyncAndNeverSlowsTheOthers() throws Exception {
			String big = "x".repeat(64 * 1024);
			try (Socket stuck = new Socket(); SseReader reader = open(this.port, "?service=other")) {
				// a small window: the server's writes to this client block once its
				// socket
				// buffers are full
				stuck.setReceiveBufferSize(4096);
				stuck.setSoTimeout(10_000);
				stuck.connect(new InetSocketAddress("127.0.0.1", this.port), 5000);
				OutputStream request = stuck.getOutputStream();
				request.write(("GET /actuator/serviceevents?service=other HTTP/1.1\r\nHost: 127.0.0.1\r\n"
						+ "Accept: text/event-stream\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
				request.flush();
				int published = 0;
				int resyncs = this.broadcaster.getResyncCount();
				// until the stuck client (registered a moment after its request) is
				// resynced
				while (this.broadcaster.getResyncCount() <= resyncs) {
					assertThat(published).as("events published before the stuck client's resync").isLessThan(400);
					published++;
					String marker = "\"message\":\"" + published + "x";
					this.broadcaster.publish(status("other", published + big));
					// the reading client gets every event while the other is stuck
					reader.next((event) -> event.data().contains(marker), DEADLINE);
				}
				assertThat(readUntilResync(stuck.getInputStream())).contains("event: resync");
			}
		}

		private static Map<String, Object> withoutUptime(Map<String, Object> json) {
			Map<String, Object> copy = new HashMap<>(json);
			copy.remove("uptimeSeconds");
			return copy;
		}

		private static ServiceStatus status(String name, String message) {
			return new ServiceStatus(name, "embedded", name, ServiceState.RUNNING, "running", 1L, Instant.now(), 0,
					null, null, message, Map.of());
		}

		// Reads the chunked response until the resync event, within a byte budget
		private static String readUntilResync(InputStream input) throws IOException {
			BufferedInputStream in = new BufferedInputStream(input);
			ByteArrayOutputStream tail = new ByteArrayOutputStream();
			String headers = line(in);
			assertThat(headers).startsWith("HTTP/1.1 200");
			while (!line(in).isEmpty()) {
				// skip the headers
			}
			long budget = 256L * 1024 * 1024;
			while (budget > 0) {
				int size = Integer.parseInt(line(in).trim(), 16);
				assertThat(size).as("the stream ended before a resync").isPositive();
				byte[] chunk = in.readNBytes(size);
				line(in);
				budget -= size;
				tail.write(chunk);
				String text = tail.toString(StandardCharsets.UTF_8);
				int at = text.indexOf("event: resync");
				if (at >= 0) {
					return text.substring(Math.max(0, at - 40), Math.min(text.length(), at + 200));
				}
				// keep only the end, where a frame may continue
				if (tail.size() > 1024) {
					byte[] keep = tail.toByteArray();
					tail.reset();
					tail.write(keep, keep.length - 256, 256);
				}
			}
			throw new AssertionError("No resync within the byte budget");
		}

		private static String line(InputStream in) throws IOException {
			ByteArrayOutputStream line = new ByteArrayOutputStream();
			int b;
			while ((b = in.read()) != -1 && b != '\n') {
				if (b != '\r') {
					line.write(b);
				}
			}
			return line.toString(StandardCharsets.US_ASCII);
		}

		private void awaitRunning(String service) {
			Awaitility.await()
				.atMost(DEADLINE)
				.until(() -> get(this.port, "/actuator/services/" + service).body().contains("\"state\":\"running\""));
		}

	}

	@Nested
	@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
			"supervision.logs.enabled=true", "supervision.services.talker.command[0]=/bin/sh",
			"supervision.services.talker.command[1]=-c",
			"supervision.services.talker.command[2]=i=0; while :; do printf '\\\\033[32mline %s\\\\033[0m\\\\n' $i; "
					+ "i=$((i+1)); sleep 0.2; done",
			"supervision.services.quiet.command=/bin/sleep,600", "supervision.services.quiet.logs=false",
			"management.endpoints.web.exposure.include=services,serviceevents" })
	class FollowingLogs {

		@LocalServerPort
		int port;

		@Test
		void sendsEachNewLineOfAFollowedLogOnceInOrderAsALogEvent() throws Exception {
			try (SseReader stream = open(this.port, "?service=talker&log=true")) {
				assertThat(stream.status()).isEqualTo(200);
				List<Integer> numbers = new ArrayList<>();
				for (int i = 0; i < 12; i++) {
					Event event = stream.next((candidate) -> candidate.type().equals("log"), DEADLINE);
					assertThat(JsonPath.read(event.data(), "$.service").toString()).isEqualTo("talker");
					String text = JsonPath.read(event.data(), "$.text");
					assertThat(text).as("escapes removed").matches("line \\d+");
					assertThat(JsonPath.parse(event.data()).<Map<String, Object>>read("$")).doesNotContainKey("time");
					numbers.add(Integer.parseInt(text.substring(5)));
				}
				for (int i = 1; i < numbers.size(); i++) {
					assertThat(numbers.get(i)).as("no line twice, none left out: %s", numbers)
						.isEqualTo(numbers.get(i - 1) + 1);
				}
			}
		}

		@Test
		void refusesToFollowALogThatIsOffBeforeStreaming() throws Exception {
			HttpResponse<String> off = get(this.port, "/actuator/serviceevents?service=quiet&log=true");
			assertThat(off.statusCode()).isEqualTo(403);
			assertThat(JsonPath.read(off.body(), "$.error").toString()).isEqualTo("logs-disabled");
			assertThat(JsonPath.read(off.body(), "$.message").toString())
				.contains("supervision.services.quiet.logs=true");
			HttpResponse<String> noService = get(this.port, "/actuator/serviceevents?log=true");
			assertThat(noService.statusCode()).isEqualTo(400);
			assertThat(get(this.port, "/actuator/serviceevents?service=nobody&log=true").statusCode()).isEqualTo(404);
		}

	}

	@Nested
	@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "supervision.services.sleeper.command=/bin/sleep,600",
					"management.endpoints.web.exposure.include=services" })
	class NotExposed {

		@LocalServerPort
		int port;

		@Autowired
		ApplicationContext context;

		@Test
		void isNotFoundAndNeverWatches() throws Exception {
			assertThat(get(this.port, "/actuator/serviceevents").statusCode()).isEqualTo(404);
			assertThat(this.context.getBeansOfType(ServiceEventBroadcaster.class)).isEmpty();
			assertThat(this.context.getBeansOfType(ServiceStatusEventPublisher.class)).hasSize(1);
		}

	}

	@Nested
	@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "supervision.services.sleeper.command=/bin/sleep,600",
					"management.endpoints.web.exposure.include=*", "management.endpoint.serviceevents.access=none" })
	class AccessNone {

		@LocalServerPort
		int port;

		@Test
		void isNotFound() throws Exception {
			assertThat(get(this.port, "/actuator/serviceevents").statusCode()).isEqualTo(404);
			assertThat(get(this.port, "/actuator/services").statusCode()).isEqualTo(200);
		}

	}

	@Nested
	@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "supervision.services.sleeper.command=/bin/sleep,600",
					"management.endpoints.web.exposure.include=services,serviceevents",
					"management.endpoint.services.access=unrestricted", "management.server.port=0" })
	class OnTheManagementPort {

		@LocalServerPort
		int port;

		@LocalManagementPort
		int managementPort;

		@Test
		void streamsOnTheManagementServerOnly() throws Exception {
			assertThat(get(this.port, "/actuator/serviceevents").statusCode()).isEqualTo(404);
			Awaitility.await()
				.atMost(DEADLINE)
				.until(() -> get(this.managementPort, "/actuator/services/sleeper").body()
					.contains("\"state\":\"running\""));
			try (SseReader stream = open(this.managementPort, "?service=sleeper")) {
				assertThat(stream.status()).isEqualTo(200);
				assertThat(act(this.managementPort, "sleeper", "stop").statusCode()).isEqualTo(200);
				stream.next((event) -> isState(event, "sleeper", "stopped"), DEADLINE);
			}
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

		// Boot's own audit listener needs Spring Security; the sample app shows
		// /actuator/auditevents
		@Bean
		AuditRecorder auditRecorder() {
			return new AuditRecorder();
		}

	}

	static class AuditRecorder {

		final List<AuditEvent> events = new CopyOnWriteArrayList<>();

		@EventListener
		void audit(AuditApplicationEvent event) {
			this.events.add(event.getAuditEvent());
		}

	}

}
