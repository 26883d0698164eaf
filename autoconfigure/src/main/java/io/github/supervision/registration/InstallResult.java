package io.github.supervision.registration;

import java.nio.file.Path;
import java.util.List;

/**
 * What an install or uninstall did, and what is left for a person to do.
 *
 * @param supervisor the supervisor
 * @param name the service name
 * @param before steps done before the files were written or removed (a service stopped
 * and disabled before an uninstall)
 * @param files the files written, or removed
 * @param done steps done after that (a link made, a daemon told)
 * @param remaining commands a person still has to run, empty when nothing is left
 * @author Supervision contributors
 */
public record InstallResult(String supervisor, String name, List<String> before, List<Path> files, List<String> done,
		List<String> remaining) {

	/**
	 * Copy the lists.
	 * @param supervisor the supervisor
	 * @param name the service name
	 * @param before steps done before the files changed
	 * @param files the files
	 * @param done steps done after
	 * @param remaining commands left
	 */
	public InstallResult {
		before = List.copyOf(before);
		files = List.copyOf(files);
		done = List.copyOf(done);
		remaining = List.copyOf(remaining);
	}

	/**
	 * Create a result with no step before the files changed.
	 * @param supervisor the supervisor
	 * @param name the service name
	 * @param files the files
	 * @param done steps done after
	 * @param remaining commands left
	 */
	public InstallResult(String supervisor, String name, List<Path> files, List<String> done, List<String> remaining) {
		this(supervisor, name, List.of(), files, done, remaining);
	}

	/**
	 * Describe the result for a person, in the order things were done.
	 * @param verb what happened to the files, such as {@code Wrote} or {@code Removed}
	 * @return the description, one line per item
	 */
	public String describe(String verb) {
		StringBuilder text = new StringBuilder();
		this.before.forEach((step) -> text.append(step).append('\n'));
		this.files.forEach((file) -> text.append(verb).append(' ').append(file).append('\n'));
		this.done.forEach((step) -> text.append(step).append('\n'));
		if (!this.remaining.isEmpty()) {
			text.append("Still to do, for ").append(this.supervisor).append(":\n");
			this.remaining.forEach((step) -> text.append("  ").append(step).append('\n'));
		}
		return text.toString();
	}

}
