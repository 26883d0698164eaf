package io.github.supervision.supervisord;

/**
 * The end of a program's log, as {@code tailProcessStdoutLog} returns it.
 *
 * @param text the last bytes of the log, decoded as supervisord sent them
 * @param offset the log's length in bytes, to continue reading from
 * @param overflow whether the log had more bytes before {@code text} than were asked for
 */
public record LogTail(String text, int offset, boolean overflow) {

	/**
	 * Which of a program's logs to read.
	 */
	public enum Stream {

		/**
		 * The program's standard output (and standard error when
		 * {@code redirect_stderr=true}).
		 */
		STDOUT,

		/**
		 * The program's standard error.
		 */
		STDERR

	}

}
