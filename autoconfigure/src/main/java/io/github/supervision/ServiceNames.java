package io.github.supervision;

import java.util.regex.Pattern;

/**
 * The naming rule for service names as they appear in configuration keys and request
 * paths. It admits what systemd, runit and supervisord names contain (letters, digits,
 * {@code _ . @ : - \\}, the last for systemd's escapes) and nothing that could act as a
 * path, a shell word or a control sequence. Backends check their own, stricter rules for
 * targets.
 *
 * @author Supervision contributors
 */
public final class ServiceNames {

	/**
	 * The longest name accepted.
	 */
	public static final int MAX_LENGTH = 255;

	private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_@][A-Za-z0-9_.@:\\\\-]*");

	private ServiceNames() {
	}

	/**
	 * Whether a name follows the rule.
	 * @param name the name
	 * @return {@code true} if the name is valid
	 */
	public static boolean isValid(String name) {
		return name != null && !name.isEmpty() && name.length() <= MAX_LENGTH && VALID.matcher(name).matches()
				&& !name.contains("..");
	}

	/**
	 * Check that a name follows the rule.
	 * @param name the name
	 * @return the name
	 * @throws InvalidServiceNameException if it does not
	 */
	public static String validate(String name) {
		if (!isValid(name)) {
			throw new InvalidServiceNameException("Invalid service name: names are 1 to " + MAX_LENGTH
					+ " characters of letters, digits and _ . @ : - \\ that do not start with . : - \\ or contain ..");
		}
		return name;
	}

}
