package io.github.supervision.benchmarks.scale;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The sample application's jar, run as a user runs it ({@code java -jar}, its security
 * filter chain and its registration report included) in a child JVM on a loopback port,
 * with a kept-alive HTTP client. Its {@code application.yml} is replaced by a generated
 * file that keeps the sample's security and management settings and declares the
 * benchmark's services instead of the three demo ones. Stopped by its pid.
 *
 * @author Supervision contributors
 */
final class SampleProcess implements AutoCloseable {

	/**
	 * User that the sample's security configuration knows.
	 */
	static final String USERNAME = "ops";

	private static final String PASSWORD = "scale-benchmark";

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

	private final Process process;

	private final Path log;

	private final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final HttpRequest anonymous;

	private final HttpRequest authenticated;

	private SampleProcess(Process process, Path log, int port) {
		this.process = process;
		this.log = log;
		URI uri = URI.create("http://127.0.0.1:" + port + "/actuator/services");
		this.anonymous = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).build();
		this.authenticated = HttpRequest.newBuilder(uri)
			.timeout(REQUEST_TIMEOUT)
			.header("Authorization",
					"Basic " + Base64.getEncoder()
						.encodeToString((USERNAME + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
			.build();
	}

	/**
	 * Start the sample's jar with the given service declarations, and wait until its
	 * services endpoint answers with at least the given number of running services.
	 * @param jar the sample's jar
	 * @param directory a folder for the generated configuration and the log
	 * @param services the properties that declare the services
	 * @param running how many services must be running before the sample counts as up
	 * @param jvmArguments extra options for the child JVM (a flight recording)
	 * @param timeout how long it may take
	 * @return the running sample
	 * @throws Exception if it does not come up in time
	 */
	static SampleProcess start(Path jar, Path directory, Map<String, String> services, int running,
			List<String> jvmArguments, Duration timeout) throws Exception {
		int port = freePort();
		Map<String, String> properties = new LinkedHashMap<>();
		// The sample's application.yml without its demo services
		properties.put("spring.application.name", "supervision-sample");
		properties.put("spring.security.user.name", USERNAME);
		properties.put("spring.security.user.password", PASSWORD);
		properties.put("spring.security.user.roles", "OPS");
		properties.put("management.endpoints.web.exposure.include", "health,services");
		properties.put("management.endpoint.health.show-details", "always");
		properties.put("management.endpoint.services.access", "read-only");
		properties.put("server.address", "127.0.0.1");
		properties.put("server.port", Integer.toString(port));
		properties.put("spring.main.banner-mode", "off");
		properties.put("logging.level.root", "warn");
		properties.putAll(services);
		Path config = directory.resolve("scale.properties");
		StringBuilder text = new StringBuilder();
		properties.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
		Files.writeString(config, text, StandardCharsets.ISO_8859_1);
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmArguments);
		command.addAll(List.of("-jar", jar.toAbsolutePath().toString(), "--spring.config.location=file:" + config));
		Path log = directory.resolve("sample.log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
			.start();
		SampleProcess sample = new SampleProcess(process, log, port);
		try {
			sample.awaitRunning(running, timeout);
			return sample;
		}
		catch (Exception ex) {
			sample.close();
			throw ex;
		}
	}

	private void awaitRunning(int running, Duration timeout) throws Exception {
		long deadline = System.nanoTime() + timeout.toNanos();
		int seen = -1;
		while (System.nanoTime() - deadline < 0) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(
						"The sample exited with " + this.process.exitValue() + ": " + logTail());
			}
			try {
				seen = count(new String(get(false).body(), StandardCharsets.UTF_8), "\"state\":\"running\"");
				if (seen >= running) {
					return;
				}
			}
			catch (ConnectException | IllegalStateException ex) {
				// not listening, or not answering yet
			}
			Thread.sleep(500);
		}
		throw new IllegalStateException("The sample did not report " + running + " running services within " + timeout
				+ " (last seen " + seen + "): " + logTail());
	}

	/**
	 * Return the sample's process.
	 * @return the process
	 */
	ProcessHandle handle() {
		return this.process.toHandle();
	}

	/**
	 * Send {@code GET /actuator/services} on the kept-alive connection and check that it
	 * answered 200.
	 * @param withCredentials whether to send the {@code ops} user's basic credentials
	 * (the sample lets anyone read)
	 * @return the response
	 * @throws Exception if the request fails or does not answer 200
	 */
	HttpResponse<byte[]> get(boolean withCredentials) throws Exception {
		HttpResponse<byte[]> response = this.client.send(withCredentials ? this.authenticated : this.anonymous,
				HttpResponse.BodyHandlers.ofByteArray());
		if (response.statusCode() != 200) {
			throw new IllegalStateException("GET /actuator/services answered " + response.statusCode());
		}
		return response;
	}

	/**
	 * Return the last lines of the sample's log.
	 * @return the tail
	 */
	String logTail() {
		try {
			List<String> lines = Files.readAllLines(this.log, StandardCharsets.UTF_8);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	/**
	 * Stop the sample by its pid: SIGTERM (the embedded services stop with it), then
	 * SIGKILL to it and to any child left after 60 s.
	 */
	@Override
	public void close() {
		List<ProcessHandle> children = this.process.descendants().toList();
		this.process.destroy();
		try {
			if (!this.process.waitFor(60, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
				this.process.waitFor(10, TimeUnit.SECONDS);
			}
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while (children.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() - deadline < 0) {
				Thread.sleep(50);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
	}

	static int count(String text, String marker) {
		int count = 0;
		for (int index = text.indexOf(marker); index >= 0; index = text.indexOf(marker, index + 1)) {
			count++;
		}
		return count;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
