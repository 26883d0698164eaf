package io.github.supervision.systemd;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;

import io.github.supervision.PermissionDeniedException;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceState;
import io.github.supervision.testsupport.RealDaemonTest;
import io.github.supervision.testsupport.SystemdSandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for how {@link SystemdBackend} reports a refused operation, against a real
 * systemd whose bus denies root {@code StartUnit} and {@code EnableUnitFiles}: the same
 * {@code AccessDenied} error that systemd answers when polkit refuses a caller.
 *
 * @author Supervision contributors
 */
@RealDaemonTest
class SystemdPermissionTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@RegisterExtension
	static final SystemdSandbox sandbox = SystemdSandbox.create().unit("app.service", """
			[Unit]
			DefaultDependencies=no

			[Service]
			ExecStart=/bin/sleep infinity

			[Install]
			WantedBy=multi-user.target
			""").busPolicy("""
			<policy user="root">
			  <deny send_destination="org.freedesktop.systemd1"
			        send_interface="org.freedesktop.systemd1.Manager" send_member="StartUnit"/>
			  <deny send_destination="org.freedesktop.systemd1"
			        send_interface="org.freedesktop.systemd1.Manager" send_member="EnableUnitFiles"/>
			</policy>
			""");

	private static SystemdBackend backend;

	@BeforeAll
	static void connect() {
		backend = new SystemdBackend(SystemdOptions.forAddress(sandbox.busAddress()));
	}

	@AfterAll
	static void disconnect() {
		if (backend != null) {
			backend.close();
		}
	}

	@Test
	void refusedActionNamesThePolkitActionAndHowToGrantItForOneUnitAndUser() {
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> backend.perform("app.service", ServiceAction.START, TIMEOUT).get())
			.havingCause()
			.isInstanceOfSatisfying(PermissionDeniedException.class, (ex) -> {
				assertThat(ex.getMessage()).contains("systemd refused 'start' on app.service");
				assertThat(ex.getHint()).contains("org.freedesktop.systemd1.manage-units")
					.contains("action.lookup(\"unit\") == \"app.service\"")
					.contains("subject.user == \"root\"");
			});
		assertThat(sandbox.show("app.service", "ActiveState")).containsEntry("ActiveState", "inactive");
		assertThat(backend.status(List.of("app.service"), TIMEOUT).get("app.service").state())
			.isEqualTo(ServiceState.STOPPED);
	}

	@Test
	void refusedEnableNamesTheUnitFilesPolkitAction() {
		assertThatExceptionOfType(PermissionDeniedException.class)
			.isThrownBy(() -> backend.enable(List.of("app.service"), false, false, TIMEOUT))
			.satisfies((ex) -> assertThat(ex.getHint()).contains("org.freedesktop.systemd1.manage-unit-files"));
		assertThat(sandbox.configDirectory().resolve("multi-user.target.wants/app.service")).doesNotExist();
	}

}
