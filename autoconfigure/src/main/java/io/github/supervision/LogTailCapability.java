package io.github.supervision;

import java.time.Duration;

/**
 * {@link ServiceCapability Capability} of a backend that can read the latest lines a
 * service wrote: the embedded supervisor's in-memory tail of a child's output, the log
 * file a runit log service writes, the log supervisord keeps of a program's standard
 * output. Callers go through {@link ServiceCatalog#tailLog(ServiceName, int)}, which
 * checks the name, the line count and the deadline before a backend is called.
 *
 * @author Supervision contributors
 * @see ServiceCapability#LOG_TAIL
 */
public interface LogTailCapability {

	/**
	 * The most lines one call may ask for.
	 */
	int MAX_LINES = 10_000;

	/**
	 * Return the latest lines a service wrote, read within the deadline. A service that
	 * wrote nothing yet, or whose log does not exist yet, has an empty tail. Each backend
	 * reads a bounded number of bytes from the end of the log, so very long lines give
	 * fewer lines than asked for.
	 * @param target the backend's name for the service, already validated
	 * @param lines the most lines to return, 1 to {@link #MAX_LINES}
	 * @param timeout the most the read may take
	 * @return the lines, oldest first
	 * @throws UnknownServiceException if the backend has no such service
	 * @throws BackendUnavailableException if the backend cannot be reached
	 * @throws PermissionDeniedException if the log cannot be read by this process
	 * @throws SupervisionTimeoutException if the deadline passes
	 */
	ServiceLog tailLog(String target, int lines, Duration timeout);

}
