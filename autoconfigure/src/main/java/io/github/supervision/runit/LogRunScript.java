package io.github.supervision.runit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Finds where a log service's logger writes, and with which stamps, from the
 * {@code svlogd}, {@code multilog} or {@code s6-log} line of its {@code log/run} script.
 * The script is parsed conservatively: anything it cannot be sure of (shell expansions,
 * redirections, unknown options) leaves the logger unknown.
 *
 * @author Supervision contributors
 */
final class LogRunScript {

	/**
	 * The most bytes of {@code log/run} read.
	 */
	static final int MAX_BYTES = 8192;

	private static final String SPECIAL = "$`;|&<>(){}*?[]~\\";

	private LogRunScript() {
	}

	/**
	 * Read the logger of a log service from its {@code run} script.
	 * @param logService the log service's directory (a service's {@code log/})
	 * @return the logger, or {@code null} when the script is absent, not a regular file,
	 * unreadable, or names no logger this class can read for sure
	 */
	static @Nullable Logger read(Path logService) {
		Path run = logService.resolve("run");
		if (!Files.isRegularFile(run)) {
			return null;
		}
		byte[] bytes;
		try (InputStream in = Files.newInputStream(run)) {
			bytes = in.readNBytes(MAX_BYTES);
		}
		catch (IOException | SecurityException ex) {
			return null;
		}
		return parse(new String(bytes, StandardCharsets.UTF_8), logService);
	}

	/**
	 * Parse a log service's {@code run} script.
	 * @param script the script
	 * @param logService the log service's directory, relative logger directories are
	 * resolved in
	 * @return the logger of the first line that runs one, or {@code null}
	 */
	static @Nullable Logger parse(String script, Path logService) {
		for (String line : script.replace("\\\n", " ").split("\n")) {
			String trimmed = line.strip();
			if (trimmed.isEmpty() || trimmed.startsWith("#")) {
				continue;
			}
			List<String> words = words(trimmed);
			int at = loggerAt(words, trimmed);
			if (at < 0) {
				continue;
			}
			if (words == null) {
				return null;
			}
			String program = baseName(words.get(at));
			List<String> args = words.subList(at + 1, words.size());
			Parsed parsed = switch (program) {
				case "svlogd" -> svlogd(args);
				case "multilog" -> multilog(args);
				default -> s6Log(args);
			};
			return (parsed != null) ? resolve(parsed, logService) : null;
		}
		return null;
	}

	private static int loggerAt(@Nullable List<String> words, String line) {
		if (words == null) {
			// a line that cannot be split for sure, but may run a logger: the logger is
			// unknown
			for (String word : line.split("\\s+")) {
				if (isLogger(baseName(word))) {
					return 0;
				}
			}
			return -1;
		}
		for (int i = 0; i < words.size(); i++) {
			if (isLogger(baseName(words.get(i)))) {
				return i;
			}
		}
		return -1;
	}

	private static boolean isLogger(String program) {
		return program.equals("svlogd") || program.equals("multilog") || program.equals("s6-log");
	}

	private static String baseName(String word) {
		return word.substring(word.lastIndexOf('/') + 1);
	}

	// Split a line into words: plain words, '...' and "..." without expansions; null
	// when the line uses anything else (variables, redirections, globs, escapes)
	private static @Nullable List<String> words(String line) {
		List<String> words = new ArrayList<>();
		StringBuilder word = null;
		int i = 0;
		while (i < line.length()) {
			char c = line.charAt(i);
			if (c == ' ' || c == '\t') {
				if (word != null) {
					words.add(word.toString());
					word = null;
				}
				i++;
				continue;
			}
			if (c == '#' && word == null) {
				break;
			}
			if (word == null) {
				word = new StringBuilder();
			}
			if (c == '\'' || c == '"') {
				int end = line.indexOf(c, i + 1);
				if (end < 0) {
					return null;
				}
				String quoted = line.substring(i + 1, end);
				if (c == '"' && (quoted.indexOf('$') >= 0 || quoted.indexOf('`') >= 0 || quoted.indexOf('\\') >= 0)) {
					return null;
				}
				word.append(quoted);
				i = end + 1;
				continue;
			}
			if (SPECIAL.indexOf(c) >= 0 || c < 0x20) {
				return null;
			}
			word.append(c);
			i++;
		}
		if (word != null) {
			words.add(word.toString());
		}
		return words;
	}

	// svlogd [-tttv] [-r c] [-R abc] [-l len] [-b buflen] dir ...
	private static @Nullable Parsed svlogd(List<String> args) {
		int stamps = 0;
		int i = 0;
		while (i < args.size() && args.get(i).startsWith("-") && args.get(i).length() > 1) {
			String option = args.get(i++);
			if (option.equals("--")) {
				break;
			}
			for (int j = 1; j < option.length(); j++) {
				char letter = option.charAt(j);
				if (letter == 't') {
					stamps++;
				}
				else if (letter == 'r' || letter == 'R' || letter == 'l' || letter == 'b') {
					if (j == option.length() - 1) {
						if (i >= args.size()) {
							return null;
						}
						i++;
					}
					break;
				}
				else if (letter != 'v') {
					return null;
				}
			}
		}
		if (i >= args.size()) {
			return null;
		}
		LogFormat format = switch (Math.min(stamps, 3)) {
			case 0 -> LogFormat.PLAIN;
			case 1 -> LogFormat.TAI64N;
			case 2 -> LogFormat.SVLOGD_TT;
			default -> LogFormat.SVLOGD_TTT;
		};
		return new Parsed(args.get(i), format);
	}

	// multilog [t] script: t first, then actions; a directory starts with . or /
	private static @Nullable Parsed multilog(List<String> args) {
		boolean stamped = !args.isEmpty() && args.get(0).equals("t");
		for (int i = stamped ? 1 : 0; i < args.size(); i++) {
			String action = args.get(i);
			if (action.isEmpty()) {
				return null;
			}
			char first = action.charAt(0);
			if (first == '.' || first == '/') {
				return new Parsed(action, stamped ? LogFormat.TAI64N : LogFormat.PLAIN);
			}
			if ("sn!+-=eE".indexOf(first) < 0) {
				return null;
			}
		}
		return null;
	}

	// s6-log [-d notif] [-q | -p] [-b] [-l linelimit] [-t lastlinetimeout] script:
	// t and T stamp the next action only
	private static @Nullable Parsed s6Log(List<String> args) {
		int i = 0;
		// s6-log takes every word before its script that starts with - as options
		while (i < args.size() && args.get(i).startsWith("-") && args.get(i).length() > 1) {
			if (!isS6LogOption(args.get(i))) {
				return null;
			}
			String option = args.get(i++);
			if (option.equals("--")) {
				break;
			}
			char last = option.charAt(option.length() - 1);
			if (option.length() == 2 && (last == 'd' || last == 'l' || last == 't')) {
				i++;
			}
		}
		boolean tai64n = false;
		boolean iso = false;
		for (; i < args.size(); i++) {
			String directive = args.get(i);
			if (directive.isEmpty()) {
				return null;
			}
			char first = directive.charAt(0);
			if (first == '.' || first == '/') {
				LogFormat format = (tai64n && iso) ? LogFormat.S6_TAI64N_ISO
						: tai64n ? LogFormat.S6_TAI64N : iso ? LogFormat.S6_ISO : LogFormat.PLAIN;
				return new Parsed(directive, format);
			}
			if (directive.equals("t")) {
				tai64n = true;
			}
			else if (directive.equals("T")) {
				iso = true;
			}
			else if (directive.equals("1") || directive.equals("2") || first == '=' || first == '^') {
				tai64n = false;
				iso = false;
			}
			else if ("nsSlr+-f!E".indexOf(first) < 0) {
				return null;
			}
		}
		return null;
	}

	// options: -q -p -b, -d n, -l n, -t n (the value attached or next), or --
	private static boolean isS6LogOption(String word) {
		if (word.equals("--")) {
			return true;
		}
		char letter = word.charAt(1);
		if (letter == 'd' || letter == 'l' || letter == 't') {
			return word.length() == 2 || word.substring(2).chars().allMatch(Character::isDigit);
		}
		return word.substring(1).chars().allMatch((c) -> c == 'q' || c == 'p' || c == 'b');
	}

	private static @Nullable Logger resolve(Parsed parsed, Path logService) {
		try {
			Path directory = logService.resolve(parsed.directory()).normalize();
			return new Logger(directory, parsed.format());
		}
		catch (InvalidPathException ex) {
			return null;
		}
	}

	private record Parsed(String directory, LogFormat format) {

	}

	/**
	 * Where a logger writes and how it stamps lines.
	 *
	 * @param directory the directory its {@code current} file is in, absolute
	 * @param format the stamps of its lines
	 */
	record Logger(Path directory, LogFormat format) {

	}

}
