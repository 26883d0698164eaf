package io.github.supervision.runit;

import java.nio.file.Path;

import io.github.supervision.InvalidServiceNameException;

/**
 * Validates targets and turns them into service directories. A target is an absolute path
 * or a bare name resolved in the scan directory. Bare names follow runit's rule
 * ({@code sv} treats an argument that starts with {@code .} or {@code /} as a path): a
 * name is never a path.
 *
 * @author Supervision contributors
 */
final class ServiceDirectories {

	static final int MAX_NAME_LENGTH = 255;

	static final int MAX_PATH_LENGTH = 4095;

	private ServiceDirectories() {
	}

	/**
	 * Check a target without touching the file system.
	 * @param target the target
	 * @throws InvalidServiceNameException if the target is neither a valid name nor a
	 * clean absolute path
	 */
	static void validate(String target) {
		if (target == null || target.isEmpty()) {
			throw new InvalidServiceNameException("A runit service directory must not be empty");
		}
		if (hasControlCharacter(target)) {
			throw new InvalidServiceNameException("A runit service directory must not contain control characters");
		}
		if (target.charAt(0) == '/') {
			validatePath(target);
		}
		else {
			validateName(target);
		}
	}

	/**
	 * Whether a target is valid, for the places that leave invalid ones out rather than
	 * report them.
	 * @param target the target
	 * @return whether {@link #validate(String)} accepts it
	 */
	static boolean isValid(String target) {
		try {
			validate(target);
			return true;
		}
		catch (InvalidServiceNameException ex) {
			return false;
		}
	}

	/**
	 * Check a bare service name.
	 * @param name the name
	 * @throws InvalidServiceNameException if the name could act as a path
	 */
	static void validateName(String name) {
		if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
			throw new InvalidServiceNameException(
					"A runit service name must be 1 to " + MAX_NAME_LENGTH + " characters long");
		}
		if (hasControlCharacter(name)) {
			throw new InvalidServiceNameException("A runit service name must not contain control characters");
		}
		if (name.charAt(0) == '.' || name.indexOf('/') >= 0) {
			throw new InvalidServiceNameException("A runit service name must not start with '.' or contain '/'; "
					+ "give an absolute path to name a directory outside the scan directory");
		}
	}

	private static void validatePath(String path) {
		if (path.length() > MAX_PATH_LENGTH) {
			throw new InvalidServiceNameException(
					"A runit service directory must be at most " + MAX_PATH_LENGTH + " characters long");
		}
		if (path.length() == 1) {
			throw new InvalidServiceNameException("The root directory is not a runit service directory");
		}
		String[] segments = path.substring(1).split("/", -1);
		for (String segment : segments) {
			if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
				throw new InvalidServiceNameException("A runit service directory must be a clean absolute path "
						+ "without '.', '..', '//' or a trailing '/'");
			}
		}
	}

	private static boolean hasControlCharacter(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < 0x20 || c == 0x7f) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Return the service directory of a target.
	 * @param scanDirectory the scan directory bare names are resolved in
	 * @param target the target, valid
	 * @return the service directory
	 */
	static Path resolve(Path scanDirectory, String target) {
		validate(target);
		return (target.charAt(0) == '/') ? Path.of(target) : scanDirectory.resolve(target);
	}

}
