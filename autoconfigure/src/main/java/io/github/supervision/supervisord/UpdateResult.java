package io.github.supervision.supervisord;

import java.util.List;

/**
 * What {@link SupervisordBackend#update(java.time.Duration)} changed, as
 * {@code supervisorctl update} reports it.
 *
 * @param added groups that were added and started as their configuration says
 * @param changed groups whose configuration changed: stopped, removed and added again
 * @param removed groups that were stopped and removed
 */
public record UpdateResult(List<String> added, List<String> changed, List<String> removed) {

	/**
	 * Create a new result.
	 */
	public UpdateResult {
		added = List.copyOf(added);
		changed = List.copyOf(changed);
		removed = List.copyOf(removed);
	}

	/**
	 * Whether the configuration had no changes to apply.
	 * @return {@code true} if nothing was added, changed or removed
	 */
	public boolean isEmpty() {
		return this.added.isEmpty() && this.changed.isEmpty() && this.removed.isEmpty();
	}

}
