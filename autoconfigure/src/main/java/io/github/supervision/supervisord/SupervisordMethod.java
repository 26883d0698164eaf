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
	GET_API_VERSION("supervisor.getAPIVersion"),

	/**
	 * {@code supervisor.getState()}: supervisord's own state.
	 */
	GET_STATE("supervisor.getState"),

	/**
	 * {@code supervisor.getAllProcessInfo()}: every process in one call.
	 */
	GET_ALL_PROCESS_INFO("supervisor.getAllProcessInfo"),

	/**
	 * {@code supervisor.getProcessInfo(name)}: one process.
	 */
	GET_PROCESS_INFO("supervisor.getProcessInfo"),

	/**
	 * {@code supervisor.startProcess(name, wait)}.
	 */
	START_PROCESS("supervisor.startProcess"),

	/**
	 * {@code supervisor.stopProcess(name, wait)}.
	 */
	STOP_PROCESS("supervisor.stopProcess"),

	/**
	 * {@code supervisor.stopProcessGroup(name, wait)}.
	 */
	STOP_PROCESS_GROUP("supervisor.stopProcessGroup"),

	/**
	 * {@code supervisor.signalProcess(name, signal)}.
	 */
	SIGNAL_PROCESS("supervisor.signalProcess"),

	/**
	 * {@code supervisor.tailProcessStdoutLog(name, offset, length)}.
	 */
	TAIL_PROCESS_STDOUT_LOG("supervisor.tailProcessStdoutLog"),

	/**
	 * {@code supervisor.tailProcessStderrLog(name, offset, length)}.
	 */
	TAIL_PROCESS_STDERR_LOG("supervisor.tailProcessStderrLog"),

	/**
	 * {@code supervisor.reloadConfig()}: re-read the configuration and report the added,
	 * changed and removed groups.
	 */
	RELOAD_CONFIG("supervisor.reloadConfig"),

	/**
	 * {@code supervisor.addProcessGroup(name)}.
	 */
	ADD_PROCESS_GROUP("supervisor.addProcessGroup"),

	/**
	 * {@code supervisor.removeProcessGroup(name)}.
	 */
	REMOVE_PROCESS_GROUP("supervisor.removeProcessGroup");

	private final String methodName;

	SupervisordMethod(String methodName) {
		this.methodName = methodName;
	}

	/**
	 * Return the method's name on the wire.
	 * @return the name, such as {@code supervisor.getAllProcessInfo}
	 */
	public String methodName() {
		return this.methodName;
	}

}
