package io.github.supervision.notify;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A real AF_UNIX datagram socket bound by a test, standing in for systemd's notification
 * socket.
 *
 * @author Supervision contributors
 */
public final class NotifySocket implements AutoCloseable {

	private final AFUNIXDatagramSocket socket;

	private final String name;

	private NotifySocket(AFUNIXDatagramSocket socket, String name) {
		this.socket = socket;
		this.name = name;
	}

	/**
	 * Bind a socket at a path.
	 * @param path the path
	 * @return the socket
	 * @throws IOException if it cannot be bound
	 */
	public static NotifySocket atPath(Path path) throws IOException {
		AFUNIXDatagramSocket socket = AFUNIXDatagramSocket.newInstance();
		socket.bind(AFUNIXSocketAddress.of(path));
		return new NotifySocket(socket, path.toString());
	}

	/**
	 * Bind a socket with a fresh abstract name.
	 * @return the socket
	 * @throws IOException if it cannot be bound
	 */
	public static NotifySocket abstractName() throws IOException {
		String name = "supervision-test-" + UUID.randomUUID();
		AFUNIXDatagramSocket socket = AFUNIXDatagramSocket.newInstance();
		socket.bind(AFUNIXSocketAddress.inAbstractNamespace(name));
		return new NotifySocket(socket, "@" + name);
	}

	/**
	 * Return the value for {@code $NOTIFY_SOCKET}.
	 * @return the path or {@code @name}
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Receive one datagram.
	 * @param timeoutMillis how long to wait
	 * @return the message, or {@code null} when none came in time
	 * @throws IOException if receiving fails
	 */
	public String receive(int timeoutMillis) throws IOException {
		byte[] buffer = new byte[4096];
		DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
		this.socket.setSoTimeout(timeoutMillis);
		try {
			this.socket.receive(packet);
		}
		catch (SocketTimeoutException ex) {
			return null;
		}
		return new String(buffer, 0, packet.getLength(), StandardCharsets.UTF_8);
	}

	/**
	 * Receive datagrams until one contains some text.
	 * @param text the text
	 * @param timeoutMillis how long to wait in all
	 * @return every message received, the last one containing the text unless time ran
	 * out
	 * @throws IOException if receiving fails
	 */
	public List<String> receiveUntil(String text, int timeoutMillis) throws IOException {
		List<String> messages = new ArrayList<>();
		long deadline = System.currentTimeMillis() + timeoutMillis;
		while (System.currentTimeMillis() < deadline) {
			String message = receive((int) Math.max(1, deadline - System.currentTimeMillis()));
			if (message == null) {
				break;
			}
			messages.add(message);
			if (message.contains(text)) {
				break;
			}
		}
		return messages;
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
