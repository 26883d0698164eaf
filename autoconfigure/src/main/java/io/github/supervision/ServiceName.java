package io.github.supervision;

import java.util.Optional;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The name of a service as it appears in configuration keys and request paths, checked
 * once: an instance exists only for a name that follows the rule, so code that receives
 * one need not check it again. The rule admits what systemd, runit and supervisord names
 * contain (letters, digits, {@code _ . @ : - \\}, the last for systemd's escapes) and
 * nothing that could act as a path, a shell word or a control sequence. Backends check
 * their own, stricter rules for targets.
 *
 * @author Supervision contributors
 */
public final class ServiceName {

	/**
	 * The longest name accepted.
	 */
	public static final int MAX_LENGTH = 255;

	private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_@][A-Za-z0-9_.@:\\\\-]*");

	private final String value;

	private ServiceName(String value) {
		this.value = value;
	}

	/**
	 * Return the name for a string that follows the rule.
	 * @param name the name
	 * @return the name
	 * @throws InvalidServiceNameException if it does not follow the rule
	 */
	public static ServiceName of(@Nullable String name) {
		return parse(name)
			.orElseThrow(() -> new InvalidServiceNameException("Invalid service name: names are 1 to " + MAX_LENGTH
					+ " characters of letters, digits and _ . @ : - \\ that do not start with . : - \\ or contain .."));
	}

	/**
	 * Return the name for a string, or nothing when it does not follow the rule.
	 * @param name the name
	 * @return the name, or empty
	 */
	public static Optional<ServiceName> parse(@Nullable String name) {
		return (name != null && isValid(name)) ? Optional.of(new ServiceName(name)) : Optional.empty();
	}

	/**
	 * Whether a string follows the rule.
	 * @param name the name
	 * @return {@code true} if the name is valid
	 */
	public static boolean isValid(@Nullable String name) {
		return name != null && !name.isEmpty() && name.length() <= MAX_LENGTH && VALID.matcher(name).matches()
				&& !name.contains("..");
	}

	/**
	 * Return the name as a string.
	 * @return the name
	 */
	public String value() {
		return this.value;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return this == other || (other instanceof ServiceName name && this.value.equals(name.value));
	}

	@Override
	public int hashCode() {
		return this.value.hashCode();
	}

	@Override
	public String toString() {
		return this.value;
	}

}
