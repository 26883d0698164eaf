package io.github.supervision.systemd;

import io.github.supervision.BackendUnavailableException;
import io.github.supervision.PermissionDeniedException;
import io.github.supervision.SupervisionException;
import io.github.supervision.UnknownServiceException;
import org.freedesktop.dbus.errors.AccessDenied;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.systemd1.NoSuchUnit;
import org.freedesktop.systemd1.UnitMasked;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SystemdErrors}.
 *
 * @author Supervision contributors
 */
class SystemdErrorsTests {

	@Test
	void recognisesErrorNamesFromTheClassesDbusJavaRaises() {
		assertThat(SystemdErrors.name(new NoSuchUnit("Unit x.service not found.")))
			.isEqualTo("org.freedesktop.systemd1.NoSuchUnit");
		assertThat(SystemdErrors.name(new UnitMasked("Unit x.service is masked.")))
			.isEqualTo("org.freedesktop.systemd1.UnitMasked");
		assertThat(SystemdErrors.name(new AccessDenied("Access denied")))
			.isEqualTo("org.freedesktop.DBus.Error.AccessDenied");
		assertThat(SystemdErrors.name(new DBusExecutionException("Interactive authentication required.")))
			.isEqualTo("org.freedesktop.DBus.Error.InteractiveAuthorizationRequired");
		assertThat(SystemdErrors.name(new DBusExecutionException("Something else"))).isNull();
		assertThat(SystemdErrors.name(new IllegalStateException())).isNull();
	}

	@Test
	void mapsAnUnknownUnit() {
		SupervisionException refusal = SystemdErrors.refusal(SystemdErrors.NO_SUCH_UNIT, "x.service", "start",
				SystemdErrors.MANAGE_UNITS);
		assertThat(refusal).isInstanceOf(UnknownServiceException.class).hasMessageContaining("x.service");
	}

	@Test
	void explainsHowToGrantARefusedActionForOneUnitAndOneUser() {
		for (String type : new String[] { SystemdErrors.ACCESS_DENIED,
				SystemdErrors.INTERACTIVE_AUTHORIZATION_REQUIRED }) {
			SupervisionException refusal = SystemdErrors.refusal(type, "web.service", "restart",
					SystemdErrors.MANAGE_UNITS);
			assertThat(refusal).isInstanceOf(PermissionDeniedException.class);
			PermissionDeniedException denied = (PermissionDeniedException) refusal;
			assertThat(denied.getMessage()).contains("'restart' on web.service");
			assertThat(denied.getHint()).contains("org.freedesktop.systemd1.manage-units")
				.contains("/etc/polkit-1/rules.d/")
				.contains("action.lookup(\"unit\") == \"web.service\"")
				.contains("subject.user == \"" + System.getProperty("user.name") + "\"")
				.contains("polkit.Result.YES");
		}
	}

	@Test
	void mapsALostBusToUnavailable() {
		assertThat(SystemdErrors.refusal("org.freedesktop.DBus.Error.NoReply", "x.service", "start",
				SystemdErrors.MANAGE_UNITS))
			.isInstanceOf(BackendUnavailableException.class);
		assertThat(SystemdErrors.refusal(SystemdErrors.UNIT_MASKED, "x.service", "start", SystemdErrors.MANAGE_UNITS))
			.isNull();
	}

}
