package io.github.supervision.benchmarks.scale;

import java.util.List;
import java.util.Map;

/**
 * One backend set up with a number of services under its real daemon, for the scale
 * curve: what the sample application declares, our status calls in this JVM, and the
 * native tool that reads the same services.
 *
 * @author Supervision contributors
 */
interface ScaleTarget {

	/**
	 * Return the backend's id, as in {@code supervision.services.<name>.backend}.
	 * @return the id
	 */
	String backend();

	/**
	 * Start the daemon with the services, and wait (bounded) until those meant to run do.
	 * @param services how many services
	 * @param up how many of them run
	 * @throws Exception if the daemon does not start or the services do not run in time
	 */
	void start(int services, int up) throws Exception;

	/**
	 * Return the properties that declare the services (and configure the backend) in the
	 * application under test.
	 * @return the properties
	 */
	Map<String, String> properties();

	/**
	 * Return our status reads of every service, made in this JVM with the backend's own
	 * objects; the first is the backend's default configuration.
	 * @return the operations, empty when the backend's status lives only in the
	 * application
	 */
	List<Operation> statusOperations();

	/**
	 * Return the native tools that read the same services, each a whole process; the
	 * first is the reference of the ratios.
	 * @param owner the process whose children the services are (embedded services)
	 * @return the operations
	 */
	List<Operation> nativeOperations(ProcessHandle owner);

	/**
	 * Say what was set up, for the report.
	 * @return one line
	 */
	String describe();

	/**
	 * Stop everything {@link #start(int, int)} started, by pid, and delete its folders.
	 * @throws Exception if something does not stop
	 */
	void stop() throws Exception;

	/**
	 * Whether the service at an index is one of those that run: the running ones are
	 * spread evenly over the indexes.
	 * @param index the index
	 * @param services how many services
	 * @param up how many run
	 * @return whether it runs
	 */
	static boolean runs(int index, int services, int up) {
		return ((long) index * up) / services != ((long) (index + 1) * up) / services;
	}

}
