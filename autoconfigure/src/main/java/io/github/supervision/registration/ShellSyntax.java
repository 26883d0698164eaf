package io.github.supervision.registration;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes words for {@code /bin/sh}: every word single-quoted, where nothing is special,
 * and a single quote written as {@code '\''}.
 *
 * @author Supervision contributors
 */
public final class ShellSyntax {

	private ShellSyntax() {
	}

	/**
	 * Quote one word.
	 * @param property the property the word comes from, for error messages
	 * @param word the word
	 * @return the quoted word
	 */
	public static String word(String property, String word) {
		return "'" + Values.text(property, word).replace("'", "'\\''") + "'";
	}

	/**
	 * Quote a command line.
	 * @param property the property the words come from, for error messages
	 * @param words the words
	 * @return the quoted words, separated by spaces
	 */
	public static String words(String property, List<String> words) {
		return words.stream().map((word) -> word(property, word)).collect(Collectors.joining(" "));
	}

}
