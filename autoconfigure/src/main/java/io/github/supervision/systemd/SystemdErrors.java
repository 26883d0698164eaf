package io.github.supervision.systemd;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

	/**
	 * How systemd names a unit in its error messages: "Unit sysinit.target not found.",
	 * "Job type reload is not applicable for unit x.service.".
	 */
	private static final Pattern UNIT_IN_MESSAGE = Pattern.compile("\\b[Uu]nit (\\S+?)\\.?(?=\\s|$)");

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
	 * Return the unit that systemd's error message is about.
	 * @param message the message of systemd's error reply
	 * @return the unit, such as {@code sysinit.target} for "Unit sysinit.target not
	 * found.", or {@code null} when the message names none
	 */
	static @Nullable String unitNamed(@Nullable String message) {
		if (message == null) {
			return null;
		}
		Matcher matcher = UNIT_IN_MESSAGE.matcher(message);
		return (matcher.find() && UnitNames.isValid(matcher.group(1))) ? matcher.group(1) : null;
	}

	/**
	 * Return the exception for a D-Bus error that means an operation could not be tried,
	 * or {@code null} when the error is a result of the operation itself. A
	 * {@code NoSuchUnit} error is about the unit only when systemd's message names that
	 * unit (or none): a start whose dependency is missing fails with {@code NoSuchUnit}
	 * too, naming the dependency.
	 * @param type the D-Bus error name
	 * @param message the message of systemd's error reply
	 * @param unit the unit, or {@code null} for manager-wide operations
	 * @param verb what was asked, such as {@code start}
	 * @param polkitAction the polkit action that guards the operation
	 * @return the exception, or {@code null}
	 */
	static @Nullable SupervisionException refusal(@Nullable String type, @Nullable String message,
			@Nullable String unit, String verb, String polkitAction) {
		String named = unitNamed(message);
		if (NO_SUCH_UNIT.equals(type) && unit != null && (named == null || named.equals(unit))) {
			return new UnknownServiceException(unit, "systemd has no unit named '" + unit + "'" + quoted(message));
		}
		if (isPermission(type)) {
			return permissionDenied(unit, verb, polkitAction);
		}
		if (isConnectionLoss(type)) {
			return new BackendUnavailableException("The systemd manager did not answer on the bus");
		}
		return null;
	}

	/**
	 * Return what to report when systemd refused an operation on a unit because of
	 * another unit that its message names: a dependency that does not exist, is masked or
	 * failed to load.
	 * @param type the D-Bus error name
	 * @param message the message of systemd's error reply
	 * @param unit the unit the operation was for
	 * @param verb what was asked, such as {@code start}
	 * @return systemd's message with the unit it names and what to do, or {@code null}
	 * when the error is about the unit itself or about no unit
	 */
	static @Nullable String causedByAnotherUnit(@Nullable String type, @Nullable String message, String unit,
			String verb) {
		String other = unitNamed(message);
		if (other == null || other.equals(unit)) {
			return null;
		}
		String why;
		if (NO_SUCH_UNIT.equals(type)) {
			why = "does not exist (no unit file)";
		}
		else if (UNIT_MASKED.equals(type)) {
			why = "is masked ('systemctl unmask " + other + "')";
		}
		else if (LOAD_FAILED.equals(type) || BAD_UNIT_SETTING.equals(type)) {
			why = "failed to load; fix its unit file and run daemon-reload ('systemctl status " + other + "')";
		}
		else {
			return null;
		}
		return "systemd refused to " + verb + " " + unit + ": " + message + " " + other + ", which " + unit
				+ " depends on, " + why + "; see 'systemctl list-dependencies " + unit + "'";
	}

	/**
	 * Return systemd's own message, to append to ours.
	 * @param message the message of systemd's error reply
	 * @return the message in parentheses after a space, or an empty string
	 */
	static String quoted(@Nullable String message) {
		return (message != null && !message.isBlank()) ? " (systemd: " + message + ")" : "";
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
