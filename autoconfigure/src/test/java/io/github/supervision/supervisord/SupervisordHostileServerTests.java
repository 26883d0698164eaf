package io.github.supervision.supervisord;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.supervision.ActionResult;
import io.github.supervision.BackendUnavailableException;
import io.github.supervision.PermissionDeniedException;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import io.github.supervision.SupervisionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Tests for {@link SupervisordClient} against a fake supervisord on a loopback port that
 * answers with hostile or broken responses.
 */
class SupervisordHostileServerTests {

	private static final int CAP = 1024 * 1024;

	private static final String SECRET = "top-secret-file-content-4711";

	@TempDir
	static Path directory;

	private static HttpServer server;

	private static ExecutorService executor;

	private static Path secretFile;

	private static final AtomicReference<Handler> handler = new AtomicReference<>();

	private static final AtomicInteger secretRequests = new AtomicInteger();

	private static final AtomicReference<String> lastRequest = new AtomicReference<>();

	private static final AtomicReference<String> lastAuthorization = new AtomicReference<>();

	private SupervisordClient client;

	@BeforeAll
	static void startServer() throws IOException {
		secretFile = directory.resolve("secret.txt");
		Files.writeString(secretFile, SECRET);
		executor = Executors.newCachedThreadPool();
		server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
		server.setExecutor(executor);
		server.createContext("/RPC2", (exchange) -> {
			try (exchange) {
				String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
				lastRequest.set(request);
				lastAuthorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
				handler.get().handle(exchange, request);
			}
			catch (IOException ex) {
				// the client hung up, as it should for the huge body
			}
		});
		server.createContext("/secret", (exchange) -> {
			secretRequests.incrementAndGet();
			respond(exchange, 200, "text/plain", SECRET);
		});
		server.start();
	}

	@AfterAll
	static void stopServer() {
		server.stop(0);
		executor.shutdownNow();
	}

	@BeforeEach
	void createClient() {
		this.client = new SupervisordClient("http://127.0.0.1:" + server.getAddress().getPort(), "ops", "hunter2-pw",
				Duration.ofSeconds(2), 2, CAP);
		secretRequests.set(0);
	}

	@AfterEach
	void closeClient() {
		this.client.close();
	}

	private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", contentType);
		exchange.sendResponseHeaders(status, bytes.length);
		exchange.getResponseBody().write(bytes);
	}

	private static void answerXml(String body) {
		handler.set((exchange, request) -> respond(exchange, 200, "text/xml", body));
	}

	private static String value(String value) {
		return "<?xml version='1.0'?><methodResponse><params><param><value>" + value
				+ "</value></param></params></methodResponse>";
	}

	private static String fault(int code, String faultString) {
		return "<?xml version='1.0'?><methodResponse><fault><value><struct>"
				+ "<member><name>faultCode</name><value><int>" + code + "</int></value></member>"
				+ "<member><name>faultString</name><value><string>" + faultString + "</string></value></member>"
				+ "</struct></value></fault></methodResponse>";
	}

	private static String processInfo(String stateName, int pid) {
		return value("<struct><member><name>name</name><value><string>web</string></value></member>"
				+ "<member><name>group</name><value><string>web</string></value></member>"
				+ "<member><name>statename</name><value><string>" + stateName + "</string></value></member>"
				+ "<member><name>pid</name><value><int>" + pid + "</int></value></member></struct>");
	}

	// a fake supervisord that answers getAPIVersion as supervisord 3.x and 4.x do and
	// every other call with the given handler
	private static void supervisordAnswering(Handler calls) {
		handler.set((exchange, request) -> {
			if (request.contains("<methodName>supervisor.getAPIVersion</methodName>")) {
				respond(exchange, 200, "text/xml", value("<string>3.0</string>"));
			}
			else {
				calls.handle(exchange, request);
			}
		});
	}

	private static boolean calls(String request, SupervisordMethod method) {
		return request.contains("<methodName>" + method.methodName() + "</methodName>");
	}

	private BackendUnavailableException callFails() {
		return catchThrowableOfType(BackendUnavailableException.class,
				() -> this.client.call(SupervisordMethod.GET_ALL_PROCESS_INFO, List.of(), Duration.ofSeconds(5)));
	}

	private String secretUrl() {
		return "http://127.0.0.1:" + server.getAddress().getPort() + "/secret";
	}

	@Test
	void readsAValidAnswerAndSendsTheMethodFromTheTableWithCredentials() {
		answerXml("<?xml version='1.0'?><methodResponse><params><param><value><array><data>"
				+ "<value><struct><member><name>name</name><value><string>web</string></value></member>"
				+ "<member><name>pid</name><value><int>42</int></value></member></struct></value>"
				+ "</data></array></value></param></params></methodResponse>");
		Object answer = this.client.call(SupervisordMethod.GET_ALL_PROCESS_INFO, List.of(), Duration.ofSeconds(5));
		assertThat(answer).isEqualTo(List.of(Map.of("name", "web", "pid", 42)));
		assertThat(lastRequest.get()).contains("<methodName>supervisor.getAllProcessInfo</methodName>");
		assertThat(lastAuthorization.get()).isEqualTo("Basic b3BzOmh1bnRlcjItcHc=");
	}

	@Test
	void refusesADoctypeWithAnExternalFileEntityWithoutReadingTheFile() {
		answerXml("<?xml version='1.0'?><!DOCTYPE methodResponse [<!ENTITY xxe SYSTEM \"" + secretFile.toUri()
				+ "\">]><methodResponse><params><param><value><string>&xxe;</string></value></param></params>"
				+ "</methodResponse>");
		BackendUnavailableException ex = callFails();
		assertThat(ex).hasMessageContaining("DOCTYPE").hasMessageNotContaining(SECRET);
		assertThat(ex.getCause()).hasMessageNotContaining(SECRET);
	}

	@Test
	void refusesExternalEntitiesWithoutFetchingThem() {
		answerXml("<?xml version='1.0'?><!DOCTYPE methodResponse [<!ENTITY % remote SYSTEM \"" + secretUrl()
				+ "\"> %remote; <!ENTITY xxe SYSTEM \"" + secretUrl() + "\">]><methodResponse><params><param>"
				+ "<value><string>&xxe;</string></value></param></params></methodResponse>");
		assertThat(callFails()).hasMessageContaining("DOCTYPE").hasMessageNotContaining(SECRET);
		answerXml("<?xml version='1.0'?><!DOCTYPE methodResponse SYSTEM \"" + secretUrl() + "\"><methodResponse/>");
		assertThat(callFails()).hasMessageContaining("DOCTYPE");
		assertThat(secretRequests).hasValue(0);
	}

	@Test
	void refusesEntityExpansionQuickly() {
		StringBuilder doctype = new StringBuilder("<!DOCTYPE methodResponse [<!ENTITY lol0 \"lol\">");
		for (int i = 1; i < 10; i++) {
			doctype.append("<!ENTITY lol").append(i).append(" \"");
			doctype.append(("&lol" + (i - 1) + ";").repeat(10)).append("\">");
		}
		doctype.append("]>");
		answerXml("<?xml version='1.0'?>" + doctype + "<methodResponse><params><param><value><string>&lol9;"
				+ "</string></value></param></params></methodResponse>");
		long started = System.nanoTime();
		assertThat(callFails()).hasMessageContaining("DOCTYPE");
		assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(2000);
	}

	@Test
	void refusesAnUndeclaredEntity() {
		answerXml("<?xml version='1.0'?><methodResponse><params><param><value><string>&lol9;"
				+ "</string></value></param></params></methodResponse>");
		assertThat(callFails()).hasMessageContaining("invalid XML-RPC response");
	}

	@Test
	void stopsReadingAHugeChunkedBodyAtTheCap() {
		AtomicLong written = new AtomicLong();
		handler.set((exchange, request) -> {
			exchange.getResponseHeaders().set("Content-Type", "text/xml");
			exchange.sendResponseHeaders(200, 0);
			OutputStream body = exchange.getResponseBody();
			body.write("<?xml version='1.0'?><methodResponse><params><param><value><string>"
				.getBytes(StandardCharsets.UTF_8));
			byte[] chunk = "a".repeat(64 * 1024).getBytes(StandardCharsets.UTF_8);
			// 1 GB unless the client hangs up
			for (int i = 0; i < 16 * 1024; i++) {
				body.write(chunk);
				written.addAndGet(chunk.length);
			}
		});
		long started = System.nanoTime();
		assertThat(callFails()).hasMessageContaining("larger than " + CAP + " bytes");
		assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(5000);
		assertThat(written.get()).as("bytes the server got to send").isLessThan(64L * 1024 * 1024);
	}

	@Test
	void refusesABodyWhoseLengthIsOverTheCapBeforeReadingIt() {
		AtomicLong written = new AtomicLong();
		handler.set((exchange, request) -> {
			long length = 512L * 1024 * 1024;
			exchange.getResponseHeaders().set("Content-Type", "text/xml");
			exchange.sendResponseHeaders(200, length);
			byte[] chunk = new byte[64 * 1024];
			for (long sent = 0; sent < length; sent += chunk.length) {
				exchange.getResponseBody().write(chunk);
				written.addAndGet(chunk.length);
			}
		});
		assertThat(callFails()).hasMessageContaining("larger than " + CAP + " bytes");
		assertThat(written.get()).isLessThan(64L * 1024 * 1024);
	}

	@Test
	void refusesDeepNesting() {
		int depth = 10_000;
		String deep = "<value><array><data>".repeat(depth) + "</data></array></value>".repeat(depth);
		answerXml("<?xml version='1.0'?><methodResponse><params><param>" + deep + "</param></params></methodResponse>");
		assertThat(callFails()).hasMessageContaining("deeper than " + XmlRpcCodec.MAX_DEPTH);
	}

	@Test
	void reportsTruncatedXml() {
		answerXml("<?xml version='1.0'?><methodResponse><params><param><value><array><data><value><struct>"
				+ "<member><name>name</name><value><string>web");
		assertThat(callFails()).hasMessageContaining("truncated");
	}

	@Test
	void reportsAnHtmlErrorPage() {
		handler.set((exchange, request) -> respond(exchange, 500, "text/html",
				"<html><head><title>500 Internal Server Error</title></head><body>oops</body></html>"));
		assertThat(callFails()).hasMessageContaining("HTTP 500 with an HTML page");
		handler.set((exchange, request) -> respond(exchange, 200, "text/html",
				"<!DOCTYPE html><html><body>a proxy login page</body></html>"));
		assertThat(callFails()).hasMessageContaining("HTML page");
	}

	@Test
	void reportsRejectedCredentialsWithoutTheCredentials() {
		handler.set((exchange, request) -> {
			exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"default\"");
			respond(exchange, 401, "text/html", "<html><body>Unauthorized</body></html>");
		});
		assertThatExceptionOfType(PermissionDeniedException.class)
			.isThrownBy(() -> this.client.call(SupervisordMethod.GET_STATE, List.of(), Duration.ofSeconds(5)))
			.withMessageContaining("rejected the credentials")
			.withMessageContaining("supervision.supervisord.username")
			.withMessageNotContaining("hunter2-pw");
	}

	@Test
	void reportsAnUnknownValueType() {
		answerXml("<?xml version='1.0'?><methodResponse><params><param><value><base64>AAAA</base64></value>"
				+ "</param></params></methodResponse>");
		assertThat(callFails()).hasMessageContaining("unknown XML-RPC value type <base64>");
	}

	@Test
	void reportsAnAnswerThatIsNotXml() {
		answerXml("this is not XML at all");
		assertThat(callFails()).hasMessageContaining("invalid XML-RPC response");
	}

	@Test
	void turnsAFaultIntoAFaultException() {
		answerXml("<?xml version='1.0'?><methodResponse><fault><value><struct>"
				+ "<member><name>faultCode</name><value><int>10</int></value></member>"
				+ "<member><name>faultString</name><value><string>BAD_NAME: nope</string></value></member>"
				+ "</struct></value></fault></methodResponse>");
		assertThatExceptionOfType(SupervisordFaultException.class)
			.isThrownBy(
					() -> this.client.call(SupervisordMethod.GET_PROCESS_INFO, List.of("nope"), Duration.ofSeconds(5)))
			.satisfies((ex) -> {
				assertThat(ex.getFault()).isEqualTo(SupervisordFault.BAD_NAME);
				assertThat(ex.getFaultString()).isEqualTo("BAD_NAME: nope");
			});
	}

	@Test
	void givesUpOnAServerThatNeverAnswersAtTheDeadline() {
		handler.set((exchange, request) -> {
			try {
				Thread.sleep(30_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		long started = System.nanoTime();
		assertThatExceptionOfType(SupervisionTimeoutException.class)
			.isThrownBy(() -> this.client.call(SupervisordMethod.GET_STATE, List.of(), Duration.ofMillis(500)));
		assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(400L, 3000L);
	}

	@Test
	void keepsFewCallsInFlightAndQueuesTheRestWithinTheirDeadline() throws Exception {
		AtomicInteger inFlight = new AtomicInteger();
		AtomicInteger most = new AtomicInteger();
		handler.set((exchange, request) -> {
			most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			inFlight.decrementAndGet();
			respond(exchange, 200, "text/xml", "<?xml version='1.0'?><methodResponse><params><param><value>"
					+ "<boolean>1</boolean></value></param></params></methodResponse>");
		});
		ExecutorService callers = Executors.newFixedThreadPool(6);
		try {
			List<Future<Object>> results = new ArrayList<>();
			for (int i = 0; i < 6; i++) {
				results.add(callers
					.submit(() -> this.client.call(SupervisordMethod.GET_STATE, List.of(), Duration.ofSeconds(5))));
			}
			for (Future<Object> result : results) {
				assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(true);
			}
		}
		finally {
			callers.shutdownNow();
		}
		assertThat(most.get()).isEqualTo(2);
	}

	@Test
	void refusesCredentialsInTheUrl() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> new SupervisordClient("http://ops:hunter2@127.0.0.1:9001", null, null,
					Duration.ofSeconds(1), 1, CAP))
			.withMessageNotContaining("hunter2");
	}

	private static void answerFault(int code, String faultString) {
		supervisordAnswering((exchange, request) -> respond(exchange, 200, "text/xml", fault(code, faultString)));
	}

	private SupervisordBackend backend() {
		return new SupervisordBackend(this.client, Duration.ofSeconds(2), Duration.ZERO, false);
	}

	@Test
	void mapsShutdownStateToAnUnavailableBackend() {
		answerFault(6, "SHUTDOWN_STATE");
		SupervisordBackend backend = backend();
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(
					() -> backend.perform("web", ServiceAction.START, Duration.ofSeconds(2)).get(5, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOf(BackendUnavailableException.class)
			.withMessageContaining("shutting down");
		assertThat(backend.availability().available()).isFalse();
	}

	@Test
	void mapsFailureFaultsToAFailedResultNamingTheFault() throws Exception {
		for (SupervisordFault fault : List.of(SupervisordFault.FAILED, SupervisordFault.ABNORMAL_TERMINATION,
				SupervisordFault.SPAWN_ERROR, SupervisordFault.NO_FILE, SupervisordFault.NOT_EXECUTABLE)) {
			answerFault(fault.code(), fault.name() + ": web");
			ActionResult result = backend().perform("web", ServiceAction.STOP, Duration.ofSeconds(2))
				.get(5, TimeUnit.SECONDS);
			assertThat(result.outcome()).as(fault.name()).isEqualTo(ActionResult.Outcome.FAILED);
			assertThat(result.backendResult()).isEqualTo(fault.name());
			assertThat(result.message()).contains(fault.name());
		}
	}

	@Test
	void mapsPermissionDeniedOnTheSocketToAPermissionErrorWithAHint() {
		try (SupervisordClient unix = new SupervisordClient("unix:///var/run/supervisor.sock", null, null,
				Duration.ofSeconds(1), 1, CAP)) {
			assertThat(unix.failure(new SocketException("Permission denied"), SupervisordMethod.GET_STATE,
					Duration.ofSeconds(1)))
				.isInstanceOf(PermissionDeniedException.class)
				.hasMessageContaining("may not open supervisord's socket /var/run/supervisor.sock")
				.hasMessageContaining("chmod=");
		}
	}

	@Test
	void reportsARefusedConnectionAsUnavailable() throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = socket.getLocalPort();
		}
		try (SupervisordClient refused = new SupervisordClient("http://127.0.0.1:" + port, null, null,
				Duration.ofSeconds(1), 1, CAP)) {
			assertThatExceptionOfType(BackendUnavailableException.class)
				.isThrownBy(() -> refused.call(SupervisordMethod.GET_STATE, List.of(), Duration.ofSeconds(2)))
				.withMessageContaining("connection was refused");
		}
	}

	@Test
	void reportsAStaleSocketFileAsUnavailable() throws IOException {
		Path stale = directory.resolve("stale.sock");
		try (ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			channel.bind(UnixDomainSocketAddress.of(stale));
		}
		assertThat(stale).exists();
		try (SupervisordClient refused = new SupervisordClient("unix://" + stale, null, null, Duration.ofSeconds(1), 1,
				CAP)) {
			assertThatExceptionOfType(BackendUnavailableException.class)
				.isThrownBy(() -> refused.call(SupervisordMethod.GET_STATE, List.of(), Duration.ofSeconds(2)))
				.withMessageContaining("connection was refused");
		}
	}

	@Test
	void reportsAConnectionClosedBeforeTheAnswerAsAnActionThatMayHaveHappened() throws Exception {
		// closing the exchange without a response makes the server drop the connection
		supervisordAnswering((exchange, request) -> {
		});
		assertThatExceptionOfType(ConnectionLostException.class)
			.isThrownBy(() -> this.client.call(SupervisordMethod.GET_STATE, List.of(), Duration.ofSeconds(2)))
			.withMessageContaining("closed the connection before it answered");
		SupervisordBackend backend = backend();
		ActionResult result = backend.perform("web", ServiceAction.RESTART, Duration.ofSeconds(2))
			.get(5, TimeUnit.SECONDS);
		assertThat(result.outcome()).isEqualTo(ActionResult.Outcome.FAILED);
		assertThat(result.message()).contains("start not attempted")
			.contains("may or may not have happened")
			.contains("reading 'web' back failed too");
		assertThat(backend.availability().available()).isFalse();
	}

	@Test
	void actionWhoseAnswerIsAnHttp500ReadsTheProcessBackAndReportsItDoneWhenItIs() throws Exception {
		AtomicInteger starts = new AtomicInteger();
		supervisordAnswering((exchange, request) -> {
			if (calls(request, SupervisordMethod.START_PROCESS)) {
				starts.incrementAndGet();
				respond(exchange, 500, "text/html", "<html><body>500 Internal Server Error</body></html>");
			}
			else {
				respond(exchange, 200, "text/xml", processInfo("RUNNING", 4242));
			}
		});
		SupervisordBackend backend = backend();
		ActionResult result = backend.perform("web", ServiceAction.START, Duration.ofSeconds(2))
			.get(5, TimeUnit.SECONDS);
		assertThat(result.outcome()).isEqualTo(ActionResult.Outcome.DONE);
		assertThat(result.message()).contains("answer to the start of 'web' was lost")
			.contains("HTTP 500")
			.contains("read back, 'web' is RUNNING");
		assertThat(result.status().pid()).isEqualTo(4242L);
		assertThat(starts).as("a start is never replayed").hasValue(1);
		assertThat(backend.availability().available()).isTrue();
	}

	@Test
	void actionWhoseAnswerIsAnHttp500FailsWithTheReadBackStatusWhenTheProcessIsNotInTheWantedState() throws Exception {
		supervisordAnswering((exchange, request) -> {
			if (calls(request, SupervisordMethod.STOP_PROCESS)) {
				respond(exchange, 500, "text/plain", "oops");
			}
			else {
				respond(exchange, 200, "text/xml", processInfo("RUNNING", 4242));
			}
		});
		SupervisordBackend backend = backend();
		ActionResult result = backend.perform("web", ServiceAction.STOP, Duration.ofSeconds(2))
			.get(5, TimeUnit.SECONDS);
		assertThat(result.outcome()).isEqualTo(ActionResult.Outcome.FAILED);
		assertThat(result.message()).contains("answer to the stop of 'web' was lost")
			.contains("read back, 'web' is RUNNING");
		assertThat(result.status().rawState()).isEqualTo("RUNNING");
		assertThat(backend.availability().available()).isTrue();
	}

	@Test
	void actionWhoseAnswerComesTooLateReadsTheProcessBackWithinTheDeadline() throws Exception {
		supervisordAnswering((exchange, request) -> {
			if (calls(request, SupervisordMethod.STOP_PROCESS)) {
				try {
					Thread.sleep(30_000);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			else {
				respond(exchange, 200, "text/xml", processInfo("STOPPING", 4242));
			}
		});
		SupervisordBackend backend = backend();
		long started = System.nanoTime();
		ActionResult result = backend.perform("web", ServiceAction.STOP, Duration.ofSeconds(1))
			.get(5, TimeUnit.SECONDS);
		assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(1500);
		assertThat(result.outcome()).isEqualTo(ActionResult.Outcome.TIMEOUT);
		assertThat(result.message()).contains("did not confirm the stop of 'web' within 1000 ms")
			.contains("read back, 'web' is STOPPING");
		assertThat(result.status().rawState()).isEqualTo("STOPPING");
		assertThat(backend.availability().available()).isTrue();
	}

	@Test
	void refusesAServerWithAnotherApiVersion() {
		handler.set((exchange, request) -> respond(exchange, 200, "text/xml",
				calls(request, SupervisordMethod.GET_API_VERSION) ? value("<string>2.0</string>")
						: processInfo("RUNNING", 1)));
		assertNotSupervisord("(API version '2.0')");
	}

	@Test
	void refusesAServerThatDoesNotKnowGetApiVersion() {
		answerXml(fault(1, "UNKNOWN_METHOD"));
		assertNotSupervisord("UNKNOWN_METHOD");
	}

	@Test
	void refusesAServerThatDoesNotSpeakXmlRpc() {
		handler.set((exchange, request) -> respond(exchange, 200, "text/html",
				"<!DOCTYPE html><html><body>a proxy login page</body></html>"));
		assertNotSupervisord("HTML page");
	}

	private void assertNotSupervisord(String why) {
		String expected = "The server at " + this.client.description() + " is not supervisord 3.x/4.x";
		try (SupervisordBackend backend = backend()) {
			ServiceStatus status = backend.status(List.of("web"), Duration.ofSeconds(2)).get("web");
			assertThat(status.state()).isEqualTo(ServiceState.UNKNOWN);
			assertThat(status.message()).startsWith(expected).contains(why);
			assertThat(backend.availability().available()).isFalse();
			assertThat(backend.availability().reason()).startsWith(expected).contains(why);
			assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> backend.perform("web", ServiceAction.STOP, Duration.ofSeconds(2))
					.get(5, TimeUnit.SECONDS))
				.havingCause()
				.isInstanceOf(BackendUnavailableException.class)
				.withMessageStartingWith(expected);
			assertThat(lastRequest.get()).as("no action reaches a server that is not supervisord")
				.contains("getAPIVersion");
		}
	}

	@FunctionalInterface
	interface Handler {

		void handle(HttpExchange exchange, String request) throws IOException;

	}

}
