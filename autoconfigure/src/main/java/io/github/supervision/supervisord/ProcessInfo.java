package io.github.supervision.supervisord;

/**
 * One process as supervisord's {@code getProcessInfo} and {@code getAllProcessInfo}
 * describe it. A field supervisord left out is empty, or {@code 0} for a number.
 *
 * @param name the program's name within its group, such as {@code web-1}
 * @param group the group's name, the program's own name when it has no group
 * @param description supervisord's text, such as {@code pid 42, uptime 0:01:00}
 * @param start when the process last started, in seconds since the epoch, {@code 0} if
 * never
 * @param stop when the process last stopped, in seconds since the epoch, {@code 0} if
 * never
 * @param now supervisord's clock when it answered, in seconds since the epoch
 * @param state the state's code, such as {@code 20} for {@code RUNNING}
 * @param statename the state's name, such as {@code RUNNING}
 * @param spawnerr why the last spawn failed, empty if it did not
 * @param exitstatus the exit status of the last run
 * @param logfile the program's standard output log (supervisord's older name)
 * @param stdoutLogfile the program's standard output log
 * @param stderrLogfile the program's standard error log
 * @param pid the process id, {@code 0} when not running
 */
public record ProcessInfo(String name, String group, String description, int start, int stop, int now, int state,
		String statename, String spawnerr, int exitstatus, String logfile, String stdoutLogfile, String stderrLogfile,
		int pid) {

	/**
	 * Return the name supervisord's other calls take: {@code group:name}.
	 * @return the full name
	 */
	public String fullName() {
		return this.group + ":" + this.name;
	}

}
