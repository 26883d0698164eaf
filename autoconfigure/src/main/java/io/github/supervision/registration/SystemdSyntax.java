package io.github.supervision.registration;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes values in systemd unit-file syntax (systemd.syntax(7), systemd.service(5)
 * "Command lines"). Every command-line word is double-quoted, with {@code \} and
 * {@code "} backslash-escaped (systemd C-unescapes quoted words), {@code %} doubled
 * (specifiers are resolved in each word after unquoting) and {@code $} doubled
 * (environment variables are substituted in each word at execution). A quoted {@code ";"}
 * is a word, not a command separator.
 *
 * @author Supervision contributors
 */
public final class SystemdSyntax {

	private SystemdSyntax() {
	}

	/**
	 * Write a command line for {@code ExecStart=} and its siblings.
	 * @param property the property the command line comes from, for error messages
	 * @param arguments the arguments, the first an absolute executable
	 * @return the value
	 */
	public static String commandLine(String property, List<String> arguments) {
		if (arguments.isEmpty() || !arguments.get(0).startsWith("/")) {
			throw new RegistrationException(property, "the executable must be an absolute path");
		}
		return arguments.stream().map((argument) -> word(property, argument, true)).collect(Collectors.joining(" "));
	}

	/**
	 * Write one {@code Environment=} assignment.
	 * @param property the property the variable comes from, for error messages
	 * @param name the variable name
	 * @param value the value
	 * @return the quoted assignment
	 */
	public static String environment(String property, String name, String value) {
		return word(property, Values.environmentName(property, name) + "=" + value, false);
	}

	/**
	 * Write a plain value (description, path, user): only {@code %} is special.
	 * @param property the property the value comes from, for error messages
	 * @param value the value
	 * @return the escaped value
	 */
	public static String value(String property, String value) {
		String text = Values.text(property, value);
		if (!text.equals(text.strip())) {
			throw new RegistrationException(property, "leading or trailing white space is dropped by systemd");
		}
		if (text.endsWith("\\")) {
			throw new RegistrationException(property, "a value must not end in a backslash");
		}
		return text.replace("%", "%%");
	}

	/**
	 * Write a time span.
	 * @param duration the time span
	 * @return the value, such as {@code 90s} or {@code 1500ms}
	 */
	public static String timeSpan(Duration duration) {
		long millis = duration.toMillis();
		if (millis % 1000 == 0) {
			return (millis / 1000) + "s";
		}
		return millis + "ms";
	}

	private static String word(String property, String word, boolean commandLine) {
		Values.text(property, word);
		StringBuilder quoted = new StringBuilder(word.length() + 2).append('"');
		for (int i = 0; i < word.length(); i++) {
			char c = word.charAt(i);
			switch (c) {
				case '\\' -> quoted.append("\\\\");
				case '"' -> quoted.append("\\\"");
				case '%' -> quoted.append("%%");
				case '$' -> quoted.append(commandLine ? "$$" : "$");
				default -> quoted.append(c);
			}
		}
		return quoted.append('"').toString();
	}

}
