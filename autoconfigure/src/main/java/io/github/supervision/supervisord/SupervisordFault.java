package io.github.supervision.supervisord;

/**
 * supervisord's XML-RPC fault codes ({@code supervisor.xmlrpc.Faults}).
 */
public enum SupervisordFault {

	/**
	 * The method does not exist.
	 */
	UNKNOWN_METHOD(1),

	/**
	 * Wrong number of parameters.
	 */
	INCORRECT_PARAMETERS(2),

	/**
	 * A parameter has a wrong value.
	 */
	BAD_ARGUMENTS(3),

	/**
	 * The signature does not match.
	 */
	SIGNATURE_UNSUPPORTED(4),

	/**
	 * supervisord is shutting down.
	 */
	SHUTDOWN_STATE(6),

	/**
	 * No process or group has that name.
	 */
	BAD_NAME(10),

	/**
	 * The signal is not known.
	 */
	BAD_SIGNAL(11),

	/**
	 * The program's command does not exist.
	 */
	NO_FILE(20),

	/**
	 * The program's command is not executable.
	 */
	NOT_EXECUTABLE(21),

	/**
	 * The operation failed.
	 */
	FAILED(30),

	/**
	 * The process ended abnormally while it was stopped.
	 */
	ABNORMAL_TERMINATION(40),

	/**
	 * The process could not be spawned or exited too quickly.
	 */
	SPAWN_ERROR(50),

	/**
	 * The process already runs.
	 */
	ALREADY_STARTED(60),

	/**
	 * The process does not run.
	 */
	NOT_RUNNING(70),

	/**
	 * The process ended while it was being started.
	 */
	SUCCESS(80),

	/**
	 * The group is already added.
	 */
	ALREADY_ADDED(90),

	/**
	 * The group still has running processes.
	 */
	STILL_RUNNING(91),

	/**
	 * The configuration could not be re-read.
	 */
	CANT_REREAD(92),

	/**
	 * A fault code this client does not know.
	 */
	OTHER(-1);

	private final int code;

	SupervisordFault(int code) {
		this.code = code;
	}

	/**
	 * Return the fault's numeric code.
	 * @return the code, or {@code -1} for {@link #OTHER}
	 */
	public int code() {
		return this.code;
	}

	/**
	 * Return the fault with the given code.
	 * @param code the numeric code
	 * @return the fault, or {@link #OTHER} when the code is not known
	 */
	public static SupervisordFault of(int code) {
		for (SupervisordFault fault : values()) {
			if (fault.code == code) {
				return fault;
			}
		}
		return OTHER;
	}

}
