package io.github.supervision.registration;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes values for a supervisord configuration file. supervisord reads it with Python's
 * {@code RawConfigParser}, where {@code ;} or {@code #} after white space starts a
 * comment even inside quotes, then expands {@code %(name)s} (so {@code %} is written
 * {@code %%}), then splits {@code command} with {@code shlex.split} (POSIX rules) and
 * {@code environment} with a non-POSIX {@code shlex} that keeps quotes and has no
 * escapes.
 *
 * @author Supervision contributors
 */
public final class SupervisordSyntax {

	private SupervisordSyntax() {
	}

	/**
	 * Write a {@code command=} value. Each word is single-quoted ({@code '} written as
	 * {@code '"'"'}), and a {@code ;} or {@code #} that would follow white space gets an
	 * empty {@code ''} in between, which {@code shlex} joins away.
	 * @param property the property the command line comes from, for error messages
	 * @param arguments the arguments, the first an absolute executable
	 * @return the value
	 */
	public static String command(String property, List<String> arguments) {
		if (arguments.isEmpty() || !arguments.get(0).startsWith("/")) {
			throw new RegistrationException(property, "the executable must be an absolute path");
		}
		return arguments.stream().map((argument) -> word(property, argument)).collect(Collectors.joining(" "));
	}

	/**
	 * Write an {@code environment=} value.
	 * @param property the property the variables come from, for error messages
	 * @param environment the variables
	 * @return the value, such as {@code A="1",B="x y"}
	 */
	public static String environment(String property, Map<String, String> environment) {
		return environment.entrySet()
			.stream()
			.map((entry) -> environmentEntry(property + "." + entry.getKey(), entry.getKey(), entry.getValue()))
			.collect(Collectors.joining(","));
	}

	/**
	 * Write a plain value (path, user, signal): only {@code %} is escaped; a value that
	 * the parser would cut at a comment is rejected.
	 * @param property the property the value comes from, for error messages
	 * @param value the value
	 * @return the escaped value
	 */
	public static String value(String property, String value) {
		Values.text(property, value);
		if (!value.equals(value.strip()) || value.isEmpty()) {
			throw new RegistrationException(property, "supervisord drops leading and trailing white space");
		}
		if (hasCommentHazard(value)) {
			throw new RegistrationException(property,
					"supervisord reads ';' or '#' after white space as a comment; rename the path");
		}
		return value.replace("%", "%%");
	}

	private static String word(String property, String word) {
		Values.text(property, word);
		StringBuilder quoted = new StringBuilder(word.length() + 2).append('\'');
		char previous = '\'';
		for (int i = 0; i < word.length(); i++) {
			char c = word.charAt(i);
			if ((c == ';' || c == '#') && isPythonSpace(previous)) {
				quoted.append("''");
			}
			switch (c) {
				case '\'' -> quoted.append("'\"'\"'");
				case '%' -> quoted.append("%%");
				default -> quoted.append(c);
			}
			previous = c;
		}
		return quoted.append('\'').toString();
	}

	private static String environmentEntry(String property, String name, String value) {
		Values.environmentName(property, name);
		Values.text(property, value);
		if (value.startsWith("\"") || value.startsWith("'") || value.endsWith("\"") || value.endsWith("'")) {
			throw new RegistrationException(property,
					"supervisord strips quotes at the start and end of an environment value");
		}
		char quote = value.contains("\"") ? '\'' : '"';
		if (value.indexOf(quote) >= 0) {
			throw new RegistrationException(property,
					"supervisord cannot read an environment value with both kinds of quotes");
		}
		if (hasCommentHazard(value)) {
			throw new RegistrationException(property,
					"supervisord reads ';' or '#' after white space as a comment, even in an environment value");
		}
		return name + "=" + quote + value.replace("%", "%%") + quote;
	}

	private static boolean hasCommentHazard(String value) {
		for (int i = 1; i < value.length(); i++) {
			char c = value.charAt(i);
			if ((c == ';' || c == '#') && isPythonSpace(value.charAt(i - 1))) {
				return true;
			}
		}
		return false;
	}

	// Whether Python's str.isspace() may be true: erring on the side of yes only costs
	// an extra pair of quotes.
	private static boolean isPythonSpace(char c) {
		return Character.isWhitespace(c) || Character.isSpaceChar(c) || (c >= '\u001c' && c <= '\u001f')
				|| c == '\u0085';
	}

}
