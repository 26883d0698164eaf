package io.github.supervision.systemd;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import io.github.supervision.InvalidServiceNameException;

/**
 * systemd's rules for unit names, checked before a name reaches the bus, and the escaping
 * of a unit name into its D-Bus object path.
 *
 * @author Supervision contributors
 */
public final class UnitNames {

	/**
	 * The longest unit name systemd accepts.
	 */
	public static final int MAX_LENGTH = 255;

	private static final String UNIT_PATH_PREFIX = "/org/freedesktop/systemd1/unit/";

	private static final Set<String> TYPES = Set.of("service", "socket", "target", "device", "mount", "automount",
			"swap", "timer", "path", "slice", "scope");

	private static final Pattern VALID = Pattern
		.compile("(?:[A-Za-z0-9:_\\-]|\\\\x[0-9a-fA-F]{2})(?:[A-Za-z0-9:_.\\-]|\\\\x[0-9a-fA-F]{2})*"
				+ "(?:@(?:[A-Za-z0-9:_.\\-]|\\\\x[0-9a-fA-F]{2})+)?\\.[a-z]+");

	private UnitNames() {
	}

	/**
	 * Whether a name is a valid unit name that can be acted on: a plain unit
	 * ({@code nginx.service}) or a template instance ({@code getty@tty1.service}), with a
	 * known type suffix. A bare template ({@code getty@.service}) is not.
	 * @param name the name
	 * @return {@code true} if it is valid
	 */
	public static boolean isValid(String name) {
		if (name == null || name.isEmpty() || name.length() > MAX_LENGTH || !VALID.matcher(name).matches()) {
			return false;
		}
		String type = name.substring(name.lastIndexOf('.') + 1);
		return TYPES.contains(type) && !name.contains("..");
	}

	/**
	 * Check a unit name.
	 * @param name the name
	 * @return the name
	 * @throws InvalidServiceNameException if it is not a valid unit name
	 */
	public static String validate(String name) {
		if (!isValid(name)) {
			throw new InvalidServiceNameException("Invalid systemd unit name: use a name such as 'nginx.service' or "
					+ "'getty@tty1.service': up to " + MAX_LENGTH + " characters of letters, digits and : _ . - "
					+ "(\\xNN escapes allowed), an optional @instance, and a type suffix such as .service");
		}
		return name;
	}

	/**
	 * Whether a pattern is a valid unit glob for discovery: a unit name in which
	 * {@code *}, {@code ?} and {@code [} {@code ]} may appear.
	 * @param pattern the pattern
	 * @return {@code true} if it is valid
	 */
	public static boolean isValidPattern(String pattern) {
		return pattern != null && !pattern.isEmpty() && pattern.length() <= MAX_LENGTH
				&& pattern.matches("[A-Za-z0-9:_.@\\\\\\-*?\\[\\]]+");
	}

	/**
	 * Return the D-Bus object path of a unit, escaping as systemd does: every byte other
	 * than an ASCII letter, or a digit not in first place, becomes {@code _xx}.
	 * @param name a valid unit name
	 * @return the object path such as
	 * {@code /org/freedesktop/systemd1/unit/foo_2eservice}
	 */
	public static String objectPath(String name) {
		return UNIT_PATH_PREFIX + escape(name);
	}

	/**
	 * Escape a name into a D-Bus object path label, as systemd's
	 * {@code bus_label_escape}.
	 * @param name the name
	 * @return the label
	 */
	static String escape(String name) {
		if (name.isEmpty()) {
			return "_";
		}
		StringBuilder label = new StringBuilder(name.length() * 2);
		byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
		for (int i = 0; i < bytes.length; i++) {
			int c = bytes[i] & 0xff;
			boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
			boolean digit = c >= '0' && c <= '9';
			if (letter || (digit && i > 0)) {
				label.append((char) c);
			}
			else {
				label.append('_').append(String.format(Locale.ROOT, "%02x", c));
			}
		}
		return label.toString();
	}

}
