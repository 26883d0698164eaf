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
	void mapsAnUnknownUnitKeepingSystemdsWords() {
		SupervisionException refusal = SystemdErrors.refusal(SystemdErrors.NO_SUCH_UNIT, "Unit x.service not found.",
				"x.service", "start", SystemdErrors.MANAGE_UNITS);
		assertThat(refusal).isInstanceOf(UnknownServiceException.class)
			.hasMessageContaining("no unit named 'x.service'")
			.hasMessageContaining("Unit x.service not found.");
	}

	@Test
	void aMissingDependencyIsNotReportedAsTheUnitBeingUnknown() {
		assertThat(SystemdErrors.refusal(SystemdErrors.NO_SUCH_UNIT, "Unit sysinit.target not found.", "x.service",
				"start", SystemdErrors.MANAGE_UNITS))
			.isNull();
	}

	@Test
	void namesTheUnitSystemdsMessageIsAbout() {
		assertThat(SystemdErrors.unitNamed("Unit sysinit.target not found.")).isEqualTo("sysinit.target");
		assertThat(SystemdErrors.unitNamed("Unit my-app.service is masked.")).isEqualTo("my-app.service");
		assertThat(SystemdErrors.unitNamed("Unit x@a\\x2db.service has a bad unit file setting."))
			.isEqualTo("x@a\\x2db.service");
		assertThat(SystemdErrors.unitNamed("Job type reload is not applicable for unit long.service."))
			.isEqualTo("long.service");
		assertThat(SystemdErrors.unitNamed("Unit is not loaded.")).isNull();
		assertThat(SystemdErrors.unitNamed("Access denied")).isNull();
		assertThat(SystemdErrors.unitNamed(null)).isNull();
	}

	@Test
	void explainsARefusalCausedByAnotherUnitInSystemdsWordsNamingThatUnit() {
		assertThat(SystemdErrors.causedByAnotherUnit(SystemdErrors.NO_SUCH_UNIT, "Unit sysinit.target not found.",
				"app.service", "start"))
			.startsWith("systemd refused to start app.service: Unit sysinit.target not found.")
			.contains("sysinit.target, which app.service depends on, does not exist")
			.contains("systemctl list-dependencies app.service");
		assertThat(SystemdErrors.causedByAnotherUnit(SystemdErrors.UNIT_MASKED, "Unit db.service is masked.",
				"app.service", "restart"))
			.contains("Unit db.service is masked.")
			.contains("db.service, which app.service depends on, is masked")
			.contains("systemctl unmask db.service");
		for (String type : new String[] { SystemdErrors.LOAD_FAILED, SystemdErrors.BAD_UNIT_SETTING }) {
			assertThat(SystemdErrors.causedByAnotherUnit(type, "Unit db.service has a bad unit file setting.",
					"app.service", "start"))
				.contains("Unit db.service has a bad unit file setting.")
				.contains("db.service, which app.service depends on, failed to load")
				.contains("systemctl status db.service");
		}
		assertThat(SystemdErrors.causedByAnotherUnit(SystemdErrors.NO_SUCH_UNIT, "Unit app.service not found.",
				"app.service", "start"))
			.isNull();
		assertThat(SystemdErrors.causedByAnotherUnit(SystemdErrors.NO_SUCH_UNIT, null, "app.service", "start"))
			.isNull();
	}

	@Test
	void explainsHowToGrantARefusedActionForOneUnitAndOneUser() {
		for (String type : new String[] { SystemdErrors.ACCESS_DENIED,
				SystemdErrors.INTERACTIVE_AUTHORIZATION_REQUIRED }) {
			SupervisionException refusal = SystemdErrors.refusal(type, "Access denied", "web.service", "restart",
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
		assertThat(SystemdErrors.refusal("org.freedesktop.DBus.Error.NoReply", null, "x.service", "start",
				SystemdErrors.MANAGE_UNITS))
			.isInstanceOf(BackendUnavailableException.class);
		assertThat(SystemdErrors.refusal(SystemdErrors.UNIT_MASKED, "Unit x.service is masked.", "x.service", "start",
				SystemdErrors.MANAGE_UNITS))
			.isNull();
	}

}
