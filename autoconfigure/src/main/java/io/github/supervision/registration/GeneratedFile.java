package io.github.supervision.registration;

/**
 * One file of a generated registration.
 *
 * @param path path relative to the supervisor's configuration directory, with {@code /}
 * separators, such as {@code app.service} or {@code app/log/run}
 * @param content the file's text
 * @param mode the POSIX permission bits, such as {@code 0644}
 * @author Supervision contributors
 */
public record GeneratedFile(String path, String content, int mode) {

	/**
	 * Mode of a configuration file: {@code rw-r--r--}.
	 */
	public static final int CONFIGURATION = 0644;

	/**
	 * Mode of a script: {@code rwxr-xr-x}.
	 */
	public static final int SCRIPT = 0755;

	/**
	 * Mode of a file holding environment values: {@code rw-------}, readable by its owner
	 * (root, who starts the service) only.
	 */
	public static final int PRIVATE = 0600;

	/**
	 * Check the path.
	 * @param path relative path
	 * @param content the text
	 * @param mode the permission bits
	 */
	public GeneratedFile {
		if (path.isEmpty() || path.startsWith("/") || path.contains("..") || path.contains("//")) {
			throw new IllegalArgumentException("A generated file's path is relative and plain: " + path);
		}
	}

	/**
	 * Whether only the file's owner may read it.
	 * @return {@code true} when the mode gives group and others nothing
	 */
	public boolean isPrivate() {
		return (this.mode & 077) == 0;
	}

}
