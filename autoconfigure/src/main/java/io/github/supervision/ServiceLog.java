package io.github.supervision;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The latest lines a service wrote, as its backend read them.
 *
 * @param lines the lines, oldest first, without their line ends, verbatim (a runit log
 * keeps {@code svlogd}'s time stamps)
 * @author Supervision contributors
 * @see LogTailCapability
 */
public record ServiceLog(List<String> lines) {

	/**
	 * Create a new log tail.
	 */
	public ServiceLog {
		Assert.notNull(lines, "'lines' must not be null");
		lines = List.copyOf(lines);
	}

	/**
	 * Return the last lines of a text that is the end of a longer log.
	 * @param text the end of the log
	 * @param cut whether the text may start in the middle of a line (older bytes were
	 * left out), in which case its first line is dropped
	 * @param lines the most lines to keep
	 * @return the last lines
	 */
	public static ServiceLog ofText(String text, boolean cut, int lines) {
		Assert.notNull(text, "'text' must not be null");
		List<String> all = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
		if (all.get(all.size() - 1).isEmpty()) {
			all.remove(all.size() - 1);
		}
		if (cut && !all.isEmpty()) {
			all.remove(0);
		}
		return new ServiceLog(all.subList(Math.max(0, all.size() - Math.max(0, lines)), all.size()));
	}

}
