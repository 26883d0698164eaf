package io.github.supervision.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.function.ThrowingConsumer;

/**
 * A real {@code supervisord} with a generated configuration in a temporary directory: a
 * Unix socket with basic auth, and an inet server on a free loopback port with the same
 * credentials. It is stopped by its pid, and its children are checked to be gone.
 * <p>
 * A JUnit 5 extension: register it on a static field with its programs, and it starts
 * before the class's {@code @BeforeAll} methods and stops after its {@code @AfterAll}
 * methods: <pre class="code">
 * &#64;RegisterExtension
 * static final SupervisordDaemon daemon = SupervisordDaemon.withPrograms("[program:web]\n...");
 * </pre> The class is skipped with the reason (failed under {@code CI=true}) when
 * supervisord is not installed. Outside JUnit (the benchmarks), {@link #start()} and
 * {@link #close()} do the same by hand.
 *
 * @author Supervision contributors
 */
public final class SupervisordDaemon implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

	/**
	 * Path of {@code supervisord}.
	 */
	public static final String SUPERVISORD = "/usr/bin/supervisord";

	/**
	 * Path of {@code supervisorctl}.
	 */
	public static final String SUPERVISORCTL = "/usr/bin/supervisorctl";

	/**
	 * User name of both servers.
	 */
	public static final String USERNAME = "ops";

	/**
	 * Password of both servers.
	 */
	public static final String PASSWORD = "pa55-w0rd-42";

	// 300 programs take several seconds to stop
	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

	private final ThrowingConsumer<SupervisordDaemon> beforeStart;

	private String programs;

	private Path directory = Path.of("");

	private Path config = Path.of("");

	private int port;

	private @Nullable Process process;

	private SupervisordDaemon(String programs, ThrowingConsumer<SupervisordDaemon> beforeStart) {
		this.programs = programs;
		this.beforeStart = beforeStart;
	}

	/**
	 * Create a supervisord with the given programs.
	 * @param programs the program and group sections; {@code %(here)s} names the
	 * directory
	 * @return the fixture; nothing runs until it starts
	 */
	public static SupervisordDaemon withPrograms(String programs) {
		return new SupervisordDaemon(programs, (daemon) -> {
		});
	}

	/**
	 * Return a fixture that runs the given step before supervisord starts, such as
	 * writing a script into {@link #directory()}.
	 * @param step what to do
	 * @return a new fixture
	 */
	public SupervisordDaemon beforeStart(ThrowingConsumer<SupervisordDaemon> step) {
		return new SupervisordDaemon(this.programs, step);
	}

	/**
	 * Write the configuration in a new temporary directory and start supervisord. Skips
	 * the test (fails it under {@code CI=true}) when supervisord is not installed.
	 * @return this daemon
	 * @throws Exception if it does not start
	 */
	public SupervisordDaemon start() throws Exception {
		RealDaemons.requireExecutables(SUPERVISORD, SUPERVISORCTL);
		this.directory = Files.createTempDirectory("supervisord-tests");
		this.config = this.directory.resolve("supervisord.conf");
		this.port = freePort();
		RealDaemons.prepare(this.beforeStart, this);
		writeConfig();
		launch();
		return this;
	}

	@Override
	public void beforeAll(ExtensionContext context) throws Exception {
		start();
	}

	@Override
	public void afterAll(ExtensionContext context) throws Exception {
		close();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/**
	 * Return the temporary directory that holds the configuration, the socket and the
	 * logs ({@code %(here)s} in the configuration).
	 * @return the directory
	 */
	public Path directory() {
		return this.directory;
	}

	/**
	 * Return the configuration file.
	 * @return the file
	 */
	public Path config() {
		return this.config;
	}

	/**
	 * Return the Unix socket of the XML-RPC server.
	 * @return the socket
	 */
	public Path socket() {
		return this.directory.resolve("supervisor.sock");
	}

	/**
	 * Return the URL of the Unix-socket server.
	 * @return the URL
	 */
	public String unixUrl() {
		return "unix://" + socket();
	}

	/**
	 * Return the URL of the loopback inet server.
	 * @return the URL
	 */
	public String httpUrl() {
		return "http://127.0.0.1:" + this.port;
	}

	/**
	 * Return the pid of the running supervisord.
	 * @return the pid
	 */
	public long pid() {
		return running().pid();
	}

	private Process running() {
		Process process = this.process;
		if (process == null) {
			throw new IllegalStateException("supervisord was not started");
		}
		return process;
	}

	/**
	 * Rewrite the configuration with other programs; {@code supervisorctl update} or a
	 * {@link #restart()} applies it.
	 * @param programs the program and group sections
	 * @throws IOException on failure
	 */
	public void setPrograms(String programs) throws IOException {
		this.programs = programs;
		writeConfig();
	}

	private void writeConfig() throws IOException {
		String config = """
				[unix_http_server]
				file=%(here)s/supervisor.sock
				chmod=0700
				username=USERNAME
				password=PASSWORD

				[inet_http_server]
				port=127.0.0.1:PORT
				username=USERNAME
				password=PASSWORD

				[supervisord]
				logfile=%(here)s/supervisord.log
				pidfile=%(here)s/supervisord.pid
				childlogdir=%(here)s
				nodaemon=true
				minfds=1024
				minprocs=32

				[rpcinterface:supervisor]
				supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

				[supervisorctl]
				serverurl=unix://%(here)s/supervisor.sock
				username=USERNAME
				password=PASSWORD

				""".replace("USERNAME", USERNAME)
			.replace("PASSWORD", PASSWORD)
			.replace("PORT", Integer.toString(this.port));
		Files.writeString(this.config, config + this.programs, StandardCharsets.UTF_8);
	}

	private void launch() throws Exception {
		Files.deleteIfExists(socket());
		Process process = new ProcessBuilder(SUPERVISORD, "-n", "-c", this.config.toString()).redirectErrorStream(true)
			.redirectOutput(this.directory.resolve("supervisord.out").toFile())
			.start();
		this.process = process;
		try {
			Awaitility.await("supervisord to open its sockets")
				.atMost(Duration.ofSeconds(15))
				.pollInterval(Duration.ofMillis(25))
				.until(() -> !process.isAlive() || (Files.exists(socket()) && portOpen()));
		}
		catch (ConditionTimeoutException ex) {
			throw new IllegalStateException("supervisord did not open its socket within 15 s", ex);
		}
		if (!process.isAlive()) {
			throw new IllegalStateException(
					"supervisord exited at once: " + Files.readString(this.directory.resolve("supervisord.out")));
		}
	}

	private boolean portOpen() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port), 200);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Restart supervisord with the current configuration.
	 * @throws Exception if it does not stop or start
	 */
	public void restart() throws Exception {
		stop();
		launch();
	}

	/**
	 * Stop supervisord by its pid (SIGTERM, which stops its programs) and check that it
	 * and all its children are gone.
	 * @throws Exception if they are not gone in time
	 */
	public void stop() throws Exception {
		Process process = this.process;
		if (process == null || !process.isAlive()) {
			return;
		}
		List<ProcessHandle> children = process.descendants().toList();
		process.destroy();
		if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
			process.destroyForcibly();
			process.waitFor(5, TimeUnit.SECONDS);
			// its programs would otherwise outlive it, orphaned
			children.forEach(ProcessHandle::destroyForcibly);
			throw new IllegalStateException("supervisord did not stop within " + STOP_TIMEOUT + " after SIGTERM");
		}
		try {
			Awaitility.await()
				.atMost(Duration.ofSeconds(5))
				.pollInterval(Duration.ofMillis(20))
				.until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
		}
		catch (ConditionTimeoutException ex) {
			List<Long> alive = children.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList();
			children.forEach(ProcessHandle::destroyForcibly);
			throw new IllegalStateException("supervisord's children outlived it: " + alive, ex);
		}
	}

	/**
	 * Run supervisorctl with this daemon's configuration.
	 * @param arguments the arguments
	 * @return its output
	 * @throws Exception if it does not finish within 20 s
	 */
	public String supervisorctl(String... arguments) throws Exception {
		List<String> command = new ArrayList<>(List.of(SUPERVISORCTL, "-c", this.config.toString()));
		command.addAll(List.of(arguments));
		Process ctl = new ProcessBuilder(command).redirectErrorStream(true).start();
		byte[] output = ctl.getInputStream().readAllBytes();
		if (!ctl.waitFor(20, TimeUnit.SECONDS)) {
			ctl.destroyForcibly();
			throw new IllegalStateException("supervisorctl did not finish within 20 s");
		}
		return new String(output, StandardCharsets.UTF_8);
	}

	/**
	 * Return what {@code supervisorctl status} reports: the state word of each program.
	 * @return raw states keyed by full program name
	 * @throws Exception if supervisorctl fails
	 */
	public Map<String, String> ctlStatus() throws Exception {
		Map<String, String> states = new LinkedHashMap<>();
		for (String line : supervisorctl("status").split("\n")) {
			String[] words = line.trim().split("\\s+");
			if (words.length >= 2) {
				states.put(words[0], words[1]);
			}
		}
		return states;
	}

	/**
	 * Return the pid {@code supervisorctl pid} reports for a program.
	 * @param program the program
	 * @return the pid, 0 when it does not run
	 * @throws Exception if supervisorctl fails
	 */
	public long ctlPid(String program) throws Exception {
		return Long.parseLong(supervisorctl("pid", program).trim());
	}

	/**
	 * Stop supervisord (see {@link #stop()}) and delete its directory.
	 * @throws Exception if it or its children do not stop
	 */
	@Override
	public void close() throws Exception {
		try {
			stop();
		}
		finally {
			if (!this.directory.toString().isEmpty() && Files.exists(this.directory)) {
				Runsvdir.delete(this.directory);
			}
		}
	}

}
