package io.github.supervision.runit;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import io.github.supervision.ActionResult;
import io.github.supervision.ActionResult.Outcome;
import io.github.supervision.PermissionDeniedException;
import io.github.supervision.ServiceAction;
import io.github.supervision.UnknownServiceException;

/**
 * Enables and disables services at boot the way runit, daemontools and s6 all read it: a
 * file named {@code down} in the service directory makes the supervisor leave the service
 * down when it starts, so disabling creates it and enabling removes it. The running
 * service is left as it is.
 *
 * @author Supervision contributors
 */
final class DownFiles {

	private final SuperviseReader reader;

	private final StatusWatcher watcher;

	DownFiles(SuperviseReader reader, StatusWatcher watcher) {
		this.reader = reader;
		this.watcher = watcher;
	}

	/**
	 * Remove or create a service's {@code down} file.
	 * @param target the target
	 * @param enable whether to enable the service (remove the file)
	 * @return the result, with the status read back
	 * @throws UnknownServiceException if there is no such service directory
	 * @throws PermissionDeniedException if this process may not change the directory
	 */
	ActionResult enable(String target, boolean enable) {
		ServiceDirectories.validate(target);
		ServiceAction action = enable ? ServiceAction.ENABLE : ServiceAction.DISABLE;
		Path directory = this.reader.serviceDirectory(target);
		if (!Files.isDirectory(directory)) {
			throw new UnknownServiceException(target, "No service directory at " + directory);
		}
		Path down = directory.resolve("down");
		boolean changed;
		try {
			if (enable) {
				changed = Files.deleteIfExists(down);
			}
			else {
				Files.createFile(down);
				changed = true;
			}
		}
		catch (FileAlreadyExistsException ex) {
			changed = false;
		}
		catch (AccessDeniedException ex) {
			throw new PermissionDeniedException("Permission denied on " + down,
					"the service directory must be writable by the application's user");
		}
		catch (NoSuchFileException ex) {
			throw new UnknownServiceException(target, "No service directory at " + directory);
		}
		catch (IOException ex) {
			return new ActionResult(action, Outcome.FAILED,
					"Could not " + (enable ? "remove " : "create ") + down + ": " + ex.getClass().getSimpleName(), null,
					this.watcher.read(target, LockTable.read()));
		}
		String now = enable ? "enabled: " + down + " is absent, so the supervisor starts it when it starts"
				: "disabled: " + down + " exists, so the supervisor leaves it down when it starts";
		return new ActionResult(action, changed ? Outcome.DONE : Outcome.NO_CHANGE,
				"The service is " + (changed ? "now " : "already ") + now, null,
				this.watcher.read(target, LockTable.read()));
	}

}
