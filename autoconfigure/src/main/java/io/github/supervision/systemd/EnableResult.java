package io.github.supervision.systemd;

import java.util.List;

/**
 * What enabling units did.
 *
 * @param carriesInstallInfo whether the units have an {@code [Install]} section; when
 * {@code false} enabling them does nothing
 * @param changes the symlinks created or removed
 * @author Supervision contributors
 */
public record EnableResult(boolean carriesInstallInfo, List<UnitFileChange> changes) {

	/**
	 * Create a new result.
	 */
	public EnableResult {
		changes = List.copyOf(changes);
	}

}
