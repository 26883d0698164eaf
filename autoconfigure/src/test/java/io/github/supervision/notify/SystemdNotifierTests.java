package io.github.supervision.notify;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SystemdNotifier} against real AF_UNIX datagram sockets bound by the
 * test.
 *
 * @author Supervision contributors
 */
class SystemdNotifierTests {

	private static final long PID = ProcessHandle.current().pid();

	@TempDir
	Path temp;

	@Test
	void sendsToASocketPath() throws Exception {
		try (NotifySocket socket = NotifySocket.atPath(this.temp.resolve("notify"));
				SystemdNotifier notifier = notifier(socket.name())) {
			assertThat(notifier.isEnabled()).isTrue();
			assertThat(notifier.ready("Started in 1.2 s")).isTrue();
			assertThat(socket.receive(2000)).isEqualTo("READY=1\nSTATUS=Started in 1.2 s");
			assertThat(notifier.stopping("Stopping")).isTrue();
			assertThat(socket.receive(2000)).isEqualTo("STOPPING=1\nSTATUS=Stopping");
		}
	}

	@Test
	void sendsToAnAbstractSocket() throws Exception {
		try (NotifySocket socket = NotifySocket.abstractName(); SystemdNotifier notifier = notifier(socket.name())) {
			assertThat(socket.name()).startsWith("@");
			assertThat(notifier.watchdog()).isTrue();
			assertThat(socket.receive(2000)).isEqualTo("WATCHDOG=1");
			assertThat(notifier.extendTimeout(Duration.ofSeconds(30))).isTrue();
			assertThat(socket.receive(2000)).isEqualTo("EXTEND_TIMEOUT_USEC=30000000");
		}
	}

	@Test
	void keepsAStatusOnOneLine() throws Exception {
		try (NotifySocket socket = NotifySocket.atPath(this.temp.resolve("notify"));
				SystemdNotifier notifier = notifier(socket.name())) {
			notifier.status("two\nlines\u0000READY=1");
			assertThat(socket.receive(2000)).isEqualTo("STATUS=two lines READY=1");
		}
	}

	@Test
	void reconnectsWhenTheSocketIsBoundAgain() throws Exception {
		Path path = this.temp.resolve("notify");
		try (SystemdNotifier notifier = notifier(path.toString())) {
			try (NotifySocket socket = NotifySocket.atPath(path)) {
				notifier.status("first");
				assertThat(socket.receive(2000)).isEqualTo("STATUS=first");
			}
			Files.deleteIfExists(path);
			try (NotifySocket socket = NotifySocket.atPath(path)) {
				notifier.status("second");
				assertThat(socket.receive(2000)).isEqualTo("STATUS=second");
			}
		}
	}

	@Test
	void doesNothingWithoutNotifySocket() {
		try (SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of(), PID)) {
			assertThat(notifier.isEnabled()).isFalse();
			assertThat(notifier.ready("x")).isFalse();
			assertThat(notifier.watchdog()).isFalse();
			assertThat(notifier.getWatchdogInterval()).isEmpty();
		}
	}

	@Test
	void failsQuietlyWhenNobodyListens() {
		try (SystemdNotifier notifier = notifier(this.temp.resolve("nobody").toString())) {
			assertThat(notifier.isEnabled()).isTrue();
			assertThat(notifier.ready("x")).isFalse();
		}
	}

	@Test
	void ignoresARelativeSocketName() {
		assertThat(notifier("relative/path").isEnabled()).isFalse();
	}

	@Test
	void honoursWatchdogUsecAndWatchdogPid() {
		assertThat(SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", "/x", "WATCHDOG_USEC", "2000000"), PID)
			.getWatchdogInterval()).contains(Duration.ofSeconds(2));
		assertThat(SystemdNotifier
			.fromEnvironment(Map.of("NOTIFY_SOCKET", "/x", "WATCHDOG_USEC", "2000000", "WATCHDOG_PID", "" + PID), PID)
			.getWatchdogInterval()).contains(Duration.ofSeconds(2));
		assertThat(SystemdNotifier
			.fromEnvironment(Map.of("NOTIFY_SOCKET", "/x", "WATCHDOG_USEC", "2000000", "WATCHDOG_PID", "1"), PID)
			.getWatchdogInterval()).isEmpty();
		assertThat(SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", "/x", "WATCHDOG_USEC", "nonsense"), PID)
			.getWatchdogInterval()).isEmpty();
	}

	private static SystemdNotifier notifier(String socket) {
		return SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", socket), PID);
	}

}
