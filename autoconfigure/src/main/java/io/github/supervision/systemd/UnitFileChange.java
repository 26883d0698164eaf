package io.github.supervision.systemd;

/**
 * A change that enabling or disabling a unit made on disk.
 *
 * @param type {@code symlink} or {@code unlink}
 * @param file the symlink created or removed
 * @param destination what a created symlink points to, or an empty string
 * @author Supervision contributors
 */
public record UnitFileChange(String type, String file, String destination) {

}
