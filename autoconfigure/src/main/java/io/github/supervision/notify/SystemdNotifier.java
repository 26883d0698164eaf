package io.github.supervision.notify;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.DatagramPacket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Sends sd_notify messages to the socket systemd names in {@code $NOTIFY_SOCKET}: a path,
 * or {@code @name} for an abstract socket. Each message is one AF_UNIX datagram of
 * newline-separated {@code KEY=VALUE} lines, sent over a socket connected to that address
 * (JDK 17 has no AF_UNIX datagrams; junixsocket provides them). When the variable is
 * absent, or a send fails, nothing happens and nothing is thrown: every method then
 * returns {@code false}.
 * <p>
 * A send can block while systemd's receive queue is full; callers that must not block
 * send from a thread of their own.
 *
 * @author Supervision contributors
 */
public final class SystemdNotifier implements AutoCloseable {

	/**
	 * The variable that names the notification socket.
	 */
	public static final String NOTIFY_SOCKET = "NOTIFY_SOCKET";

	/**
	 * The variable that holds the watchdog interval in microseconds.
	 */
	public static final String WATCHDOG_USEC = "WATCHDOG_USEC";

	/**
	 * The variable that names the process the watchdog interval is meant for.
	 */
	public static final String WATCHDOG_PID = "WATCHDOG_PID";

	private static final System.Logger logger = System.getLogger(SystemdNotifier.class.getName());

	private final @Nullable String socket;

	private final @Nullable Duration watchdogInterval;

	private @Nullable Connection connection;

	private boolean warned;

	private SystemdNotifier(@Nullable String socket, @Nullable Duration watchdogInterval) {
		this.socket = socket;
		this.watchdogInterval = watchdogInterval;
	}

	/**
	 * Create a notifier from this process's environment.
	 * @return the notifier, disabled when {@code $NOTIFY_SOCKET} is not set
	 */
	public static SystemdNotifier fromEnvironment() {
		return fromEnvironment(System.getenv(), ProcessHandle.current().pid());
	}

	/**
	 * Create a notifier from an environment.
	 * @param environment the environment variables
	 * @param pid this process's id, to decide whether {@code $WATCHDOG_PID} means us
	 * @return the notifier, disabled when {@code $NOTIFY_SOCKET} is not set or unusable
	 */
	public static SystemdNotifier fromEnvironment(Map<String, String> environment, long pid) {
		String socket = environment.get(NOTIFY_SOCKET);
		if (socket == null || socket.isEmpty() || !(socket.startsWith("/") || socket.startsWith("@"))) {
			return new SystemdNotifier(null, null);
		}
		return new SystemdNotifier(socket, watchdogInterval(environment, pid));
	}

	private static @Nullable Duration watchdogInterval(Map<String, String> environment, long pid) {
		String usec = environment.get(WATCHDOG_USEC);
		String watchdogPid = environment.get(WATCHDOG_PID);
		if (usec == null) {
			return null;
		}
		try {
			if (watchdogPid != null && !watchdogPid.isEmpty() && Long.parseLong(watchdogPid.trim()) != pid) {
				return null;
			}
			long micros = Long.parseLong(usec.trim());
			return (micros > 0) ? Duration.ofNanos(micros * 1000) : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/**
	 * Whether notifications are sent: {@code $NOTIFY_SOCKET} names a path or an abstract
	 * socket.
	 * @return {@code true} when enabled
	 */
	public boolean isEnabled() {
		return this.socket != null;
	}

	/**
	 * Return the watchdog interval systemd expects pings within, when it is meant for
	 * this process ({@code $WATCHDOG_PID} unset or ours). Ping every half of it.
	 * @return the interval, or empty without a watchdog
	 */
	public Optional<Duration> getWatchdogInterval() {
		return Optional.ofNullable(this.watchdogInterval);
	}

	/**
	 * Tell systemd that start-up is finished ({@code READY=1}), with a status line.
	 * @param status a line for a person, or {@code null}
	 * @return whether the message was sent
	 */
	public boolean ready(@Nullable String status) {
		return (status != null) ? send("READY=1", "STATUS=" + status) : send("READY=1");
	}

	/**
	 * Tell systemd what the application is doing ({@code STATUS=}), shown by
	 * {@code systemctl status}.
	 * @param status a line for a person; control characters are replaced by spaces
	 * @return whether the message was sent
	 */
	public boolean status(String status) {
		return send("STATUS=" + status);
	}

	/**
	 * Tell systemd that the application is stopping ({@code STOPPING=1}), with a status
	 * line.
	 * @param status a line for a person, or {@code null}
	 * @return whether the message was sent
	 */
	public boolean stopping(@Nullable String status) {
		return (status != null) ? send("STOPPING=1", "STATUS=" + status) : send("STOPPING=1");
	}

	/**
	 * Ask systemd for more time to start or stop ({@code EXTEND_TIMEOUT_USEC=}): the
	 * current phase then fails only if it is not over within this time from now.
	 * @param extension the time needed from now
	 * @return whether the message was sent
	 */
	public boolean extendTimeout(Duration extension) {
		return send("EXTEND_TIMEOUT_USEC=" + Math.max(1, extension.toNanos() / 1000));
	}

	/**
	 * Tell systemd's watchdog that the application is alive ({@code WATCHDOG=1}).
	 * @return whether the message was sent
	 */
	public boolean watchdog() {
		return send("WATCHDOG=1");
	}

	/**
	 * Send one datagram of assignments.
	 * @param assignments {@code KEY=VALUE} strings; control characters in a value are
	 * replaced by spaces so that a value cannot add a line
	 * @return whether the message was sent
	 */
	public synchronized boolean send(String... assignments) {
		String socket = this.socket;
		if (socket == null || assignments.length == 0) {
			return false;
		}
		byte[] message = String.join("\n", List.of(assignments).stream().map(SystemdNotifier::clean).toList())
			.getBytes(StandardCharsets.UTF_8);
		for (int attempt = 0; attempt < 2; attempt++) {
			try {
				connection(socket).send(message);
				return true;
			}
			catch (IOException | RuntimeException ex) {
				closeConnection();
				if (attempt == 1) {
					warnOnce(ex);
				}
			}
		}
		return false;
	}

	private Connection connection(String socket) throws IOException {
		Connection connection = this.connection;
		if (connection == null) {
			connection = Connection.open(socket);
			this.connection = connection;
		}
		return connection;
	}

	private static String clean(String assignment) {
		StringBuilder clean = new StringBuilder(assignment.length());
		for (int i = 0; i < assignment.length(); i++) {
			char c = assignment.charAt(i);
			clean.append((Character.getType(c) == Character.CONTROL) ? ' ' : c);
		}
		return clean.toString();
	}

	private void warnOnce(Exception ex) {
		if (!this.warned) {
			this.warned = true;
			logger.log(Level.WARNING,
					"Cannot send sd_notify messages to {0} ({1}); systemd will not hear from " + "this application",
					this.socket, ex.getClass().getSimpleName());
		}
	}

	private void closeConnection() {
		if (this.connection != null) {
			this.connection.close();
			this.connection = null;
		}
	}

	@Override
	public synchronized void close() {
		closeConnection();
	}

	@Override
	public String toString() {
		return (this.socket != null) ? "SystemdNotifier[" + this.socket + "]" : "SystemdNotifier[disabled]";
	}

	/**
	 * The datagram socket to systemd. junixsocket is used only here, so that its classes
	 * (and the JDK's socket classes) are loaded when a message is first sent, not when
	 * the JVM checks the notifier's code at start-up, where no {@code NOTIFY_SOCKET} is
	 * set.
	 */
	private static final class Connection {

		private final AFUNIXDatagramSocket socket;

		private Connection(AFUNIXDatagramSocket socket) {
			this.socket = socket;
		}

		static Connection open(String socket) throws IOException {
			AFUNIXDatagramSocket connection = AFUNIXDatagramSocket.newInstance();
			try {
				connection.connect(address(socket));
			}
			catch (IOException ex) {
				connection.close();
				throw ex;
			}
			return new Connection(connection);
		}

		private static AFUNIXSocketAddress address(String socket) throws SocketException {
			if (socket.startsWith("@")) {
				return AFUNIXSocketAddress.inAbstractNamespace(socket.substring(1));
			}
			return AFUNIXSocketAddress.of(Path.of(socket));
		}

		void send(byte[] message) throws IOException {
			this.socket.send(new DatagramPacket(message, message.length));
		}

		void close() {
			this.socket.close();
		}

	}

}
