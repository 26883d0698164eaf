package io.github.supervision.supervisord;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.supervision.testsupport.RealDaemons;

/**
 * A real {@code supervisord} started by a test with a generated configuration in a
 * temporary directory: a Unix socket with basic auth, and an inet server on a free
 * loopback port with the same credentials. It is stopped by its pid, and its children are
 * checked to be gone.
 */
public final class SupervisordDaemon implements AutoCloseable {

	public static final String SUPERVISORD = "/usr/bin/supervisord";

	public static final String SUPERVISORCTL = "/usr/bin/supervisorctl";

	public static final String USERNAME = "ops";

	public static final String PASSWORD = "pa55-w0rd-42";

	private final Path directory;

	private final Path config;

	private final int port;

	private String programs;

	private Process process;

	private SupervisordDaemon(Path directory, String programs) throws IOException {
		this.directory = directory;
		this.config = directory.resolve("supervisord.conf");
		this.port = freePort();
		this.programs = programs;
	}

	/**
	 * Start supervisord, or skip (fail under CI) when it is not installed.
	 * @param directory a temporary directory
	 * @param programs the program and group sections; {@code %(here)s} names the
	 * directory
	 * @return the running daemon
	 * @throws Exception if it does not start
	 */
	public static SupervisordDaemon start(Path directory, String programs) throws Exception {
		RealDaemons.requireExecutables(SUPERVISORD, SUPERVISORCTL);
		SupervisordDaemon daemon = new SupervisordDaemon(directory, programs);
		daemon.writeConfig();
		daemon.launch();
		return daemon;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	Path directory() {
		return this.directory;
	}

	Path socket() {
		return this.directory.resolve("supervisor.sock");
	}

	public String unixUrl() {
		return "unix://" + socket();
	}

	public String httpUrl() {
		return "http://127.0.0.1:" + this.port;
	}

	long pid() {
		return this.process.pid();
	}

	void setPrograms(String programs) throws IOException {
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
				minfds=64
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
		this.process = new ProcessBuilder(SUPERVISORD, "-n", "-c", this.config.toString()).redirectErrorStream(true)
			.redirectOutput(this.directory.resolve("supervisord.out").toFile())
			.start();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(
						"supervisord exited at once: " + Files.readString(this.directory.resolve("supervisord.out")));
			}
			if (Files.exists(socket()) && portOpen()) {
				return;
			}
			Thread.sleep(25);
		}
		throw new IllegalStateException("supervisord did not open its socket within 15 s");
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
	void restart() throws Exception {
		stop();
		launch();
	}

	/**
	 * Stop supervisord by its pid (SIGTERM, which stops its programs) and check that it
	 * and all its children are gone.
	 * @throws Exception if they are not gone in time
	 */
	void stop() throws Exception {
		if (this.process == null || !this.process.isAlive()) {
			return;
		}
		List<ProcessHandle> children = this.process.descendants().toList();
		this.process.destroy();
		if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
			this.process.waitFor(5, TimeUnit.SECONDS);
			throw new IllegalStateException("supervisord did not stop within 20 s after SIGTERM");
		}
		List<Long> alive = new ArrayList<>();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		for (ProcessHandle child : children) {
			while (child.isAlive() && System.nanoTime() < deadline) {
				Thread.sleep(20);
			}
			if (child.isAlive()) {
				alive.add(child.pid());
				child.destroyForcibly();
			}
		}
		if (!alive.isEmpty()) {
			throw new IllegalStateException("supervisord's children outlived it: " + alive);
		}
	}

	/**
	 * Run supervisorctl with this daemon's configuration.
	 * @param arguments the arguments
	 * @return its output
	 * @throws Exception if it does not finish within 20 s
	 */
	String supervisorctl(String... arguments) throws Exception {
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

	@Override
	public void close() throws Exception {
		stop();
	}

}
