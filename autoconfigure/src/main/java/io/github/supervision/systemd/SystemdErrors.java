package io.github.supervision.systemd;

import io.github.supervision.BackendUnavailableException;
import io.github.supervision.PermissionDeniedException;
import io.github.supervision.SupervisionException;
import io.github.supervision.UnknownServiceException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * Maps the D-Bus errors systemd answers with to the API's exceptions, with a message and
 * a hint a person can act on.
 *
 * @author Supervision contributors
 */
final class SystemdErrors {

	static final String NO_SUCH_UNIT = "org.freedesktop.systemd1.NoSuchUnit";

	static final String UNIT_MASKED = "org.freedesktop.systemd1.UnitMasked";

	static final String LOAD_FAILED = "org.freedesktop.systemd1.LoadFailed";

	static final String BAD_UNIT_SETTING = "org.freedesktop.systemd1.BadUnitSetting";

	static final String JOB_TYPE_NOT_APPLICABLE = "org.freedesktop.systemd1.JobTypeNotApplicable";

	static final String ONLY_BY_DEPENDENCY = "org.freedesktop.systemd1.OnlyByDependency";

	static final String UNIT_INACTIVE = "org.freedesktop.systemd1.UnitInactive";

	static final String NO_SUCH_PROCESS = "org.freedesktop.systemd1.NoSuchProcess";

	static final String ACCESS_DENIED = "org.freedesktop.DBus.Error.AccessDenied";

	static final String INTERACTIVE_AUTHORIZATION_REQUIRED = "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired";

	static final String MANAGE_UNITS = "org.freedesktop.systemd1.manage-units";

	static final String MANAGE_UNIT_FILES = "org.freedesktop.systemd1.manage-unit-files";

	static final String RELOAD_DAEMON = "org.freedesktop.systemd1.reload-daemon";

	private static final String DBUS_ERRORS_PACKAGE = "org.freedesktop.dbus.errors.";

	private SystemdErrors() {
	}

	/**
	 * Return the D-Bus error name of a failed call. dbus-java keeps the name only as the
	 * class of the exception it raises (see the {@code org.freedesktop.systemd1} package
	 * and {@code org.freedesktop.dbus.errors}); for the errors it has no class for, the
	 * message systemd sends is recognised.
	 * @param ex the exception dbus-java raised for the error reply
	 * @return the error name such as {@code org.freedesktop.systemd1.NoSuchUnit}, or
	 * {@code null}
	 */
	static @Nullable String name(Throwable ex) {
		if (!(ex instanceof DBusExecutionException dbus)) {
			return null;
		}
		String type = dbus.getClass().getName();
		if (type.startsWith(DBUS_ERRORS_PACKAGE)) {
			return "org.freedesktop.DBus.Error." + type.substring(DBUS_ERRORS_PACKAGE.length());
		}
		if (!type.equals(DBusExecutionException.class.getName())) {
			return type;
		}
		String message = dbus.getMessage();
		if (message != null && message.startsWith("Interactive authentication required")) {
			return INTERACTIVE_AUTHORIZATION_REQUIRED;
		}
		return null;
	}

	static boolean isPermission(@Nullable String type) {
		return ACCESS_DENIED.equals(type) || INTERACTIVE_AUTHORIZATION_REQUIRED.equals(type);
	}

	static boolean isConnectionLoss(@Nullable String type) {
		return type != null && (type.equals("org.freedesktop.DBus.Error.Disconnected")
				|| type.equals("org.freedesktop.DBus.Error.NoReply")
				|| type.equals("org.freedesktop.DBus.Error.ServiceUnknown")
				|| type.equals("org.freedesktop.DBus.Error.NameHasNoOwner")
				|| type.equals("org.freedesktop.DBus.Error.Timeout")
				|| type.equals("org.freedesktop.dbus.exceptions.NotConnected"));
	}

	/**
	 * Return the exception for a D-Bus error that means an operation could not be tried,
	 * or {@code null} when the error is a result of the operation itself.
	 * @param type the D-Bus error name
	 * @param unit the unit, or {@code null} for manager-wide operations
	 * @param verb what was asked, such as {@code start}
	 * @param polkitAction the polkit action that guards the operation
	 * @return the exception, or {@code null}
	 */
	static @Nullable SupervisionException refusal(@Nullable String type, @Nullable String unit, String verb,
			String polkitAction) {
		if (NO_SUCH_UNIT.equals(type) && unit != null) {
			return new UnknownServiceException(unit, "systemd has no unit named '" + unit + "'");
		}
		if (isPermission(type)) {
			return permissionDenied(unit, verb, polkitAction);
		}
		if (isConnectionLoss(type)) {
			return new BackendUnavailableException("The systemd manager did not answer on the bus");
		}
		return null;
	}

	static PermissionDeniedException permissionDenied(@Nullable String unit, String verb, String polkitAction) {
		String user = System.getProperty("user.name", "app");
		String target = (unit != null) ? "'" + verb + "' on " + unit : "'" + verb + "'";
		String unitCondition = (unit != null) ? " && action.lookup(\"unit\") == \"" + unit + "\"" : "";
		String hint = "polkit denied the action " + polkitAction + " to user '" + user + "'. Grant it"
				+ ((unit != null) ? " for this unit only" : "") + " with a rule file such as "
				+ "/etc/polkit-1/rules.d/50-supervision.rules containing: polkit.addRule(function(action, subject) "
				+ "{ if (action.id == \"" + polkitAction + "\"" + unitCondition + " && subject.user == \"" + user
				+ "\") { return polkit.Result.YES; } });";
		return new PermissionDeniedException("systemd refused " + target, hint);
	}

}
