package io.github.supervision.supervisord;

/**
 * The fixed table of supervisord XML-RPC methods this client calls. A method name is only
 * ever taken from this table, never from request data (supervisord's CVE-2017-11610 let a
 * crafted method name reach {@code os.system}).
 */
public enum SupervisordMethod {

	/**
	 * {@code supervisor.getAPIVersion()}: the RPC API version, such as {@code 3.0}.
	 */
	GET_API_VERSION("supervisor.getAPIVersion", true),

	/**
	 * {@code supervisor.getState()}: supervisord's own state.
	 */
	GET_STATE("supervisor.getState", true),

	/**
	 * {@code supervisor.getAllProcessInfo()}: every process in one call.
	 */
	GET_ALL_PROCESS_INFO("supervisor.getAllProcessInfo", true),

	/**
	 * {@code supervisor.getProcessInfo(name)}: one process.
	 */
	GET_PROCESS_INFO("supervisor.getProcessInfo", true),

	/**
	 * {@code supervisor.startProcess(name, wait)}.
	 */
	START_PROCESS("supervisor.startProcess", false),

	/**
	 * {@code supervisor.stopProcess(name, wait)}.
	 */
	STOP_PROCESS("supervisor.stopProcess", false),

	/**
	 * {@code supervisor.stopProcessGroup(name, wait)}.
	 */
	STOP_PROCESS_GROUP("supervisor.stopProcessGroup", false),

	/**
	 * {@code supervisor.startProcessGroup(name, wait)}.
	 */
	START_PROCESS_GROUP("supervisor.startProcessGroup", false),

	/**
	 * {@code supervisor.signalProcessGroup(name, signal)}.
	 */
	SIGNAL_PROCESS_GROUP("supervisor.signalProcessGroup", false),

	/**
	 * {@code supervisor.signalProcess(name, signal)}.
	 */
	SIGNAL_PROCESS("supervisor.signalProcess", false),

	/**
	 * {@code supervisor.tailProcessStdoutLog(name, offset, length)}.
	 */
	TAIL_PROCESS_STDOUT_LOG("supervisor.tailProcessStdoutLog", true),

	/**
	 * {@code supervisor.tailProcessStderrLog(name, offset, length)}.
	 */
	TAIL_PROCESS_STDERR_LOG("supervisor.tailProcessStderrLog", true),

	/**
	 * {@code supervisor.reloadConfig()}: re-read the configuration and report the added,
	 * changed and removed groups.
	 */
	RELOAD_CONFIG("supervisor.reloadConfig", false),

	/**
	 * {@code supervisor.addProcessGroup(name)}.
	 */
	ADD_PROCESS_GROUP("supervisor.addProcessGroup", false),

	/**
	 * {@code supervisor.removeProcessGroup(name)}.
	 */
	REMOVE_PROCESS_GROUP("supervisor.removeProcessGroup", false);

	private final String methodName;

	private final boolean read;

	SupervisordMethod(String methodName, boolean read) {
		this.methodName = methodName;
		this.read = read;
	}

	/**
	 * Return the method's name on the wire.
	 * @return the name, such as {@code supervisor.getAllProcessInfo}
	 */
	public String methodName() {
		return this.methodName;
	}

	/**
	 * Return whether this method only reads, so that it never waits behind actions.
	 * @return {@code true} for a read, {@code false} for an action
	 */
	public boolean isRead() {
		return this.read;
	}

}
