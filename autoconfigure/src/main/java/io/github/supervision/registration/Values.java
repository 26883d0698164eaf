package io.github.supervision.registration;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Checks shared by the generators: values that no target syntax can carry are rejected
 * before anything is generated, naming the property.
 *
 * @author Supervision contributors
 */
final class Values {

	private static final Pattern ENVIRONMENT_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

	private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}");

	private Values() {
	}

	/**
	 * Reject a value with a newline or another control character.
	 * @param property the property the value comes from
	 * @param value the value
	 * @return the value
	 */
	static String text(String property, String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (Character.getType(c) == Character.CONTROL || c == '\u2028' || c == '\u2029') {
				throw new RegistrationException(property, "newlines and other control characters cannot be "
						+ "written to a service definition; remove them");
			}
		}
		return value;
	}

	static Path absolute(String property, Path path) {
		text(property, path.toString());
		if (!path.isAbsolute()) {
			throw new RegistrationException(property, "must be an absolute path");
		}
		return path.normalize();
	}

	static String environmentName(String property, String name) {
		if (!ENVIRONMENT_NAME.matcher(name).matches()) {
			throw new RegistrationException(property,
					"environment variable names are letters, digits and _, not starting with a digit");
		}
		return name;
	}

	static String userName(String property, String name) {
		text(property, name);
		if (!USER_NAME.matcher(name).matches()) {
			throw new RegistrationException(property,
					"user and group names are 1 to 32 letters, digits and _ . -, not starting with . or -");
		}
		return name;
	}

}
