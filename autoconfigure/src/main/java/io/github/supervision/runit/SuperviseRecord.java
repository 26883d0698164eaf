package io.github.supervision.runit;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One {@code supervise/status} record, decoded. The three supervisors write different
 * layouts; this record holds what they have in common, in runit's terms.
 *
 * @param flavour the supervisor that wrote the record
 * @param since when the service entered its current state
 * @param pid the process id ({@code ./run}, or {@code ./finish} while finishing), or 0
 * when none runs
 * @param paused whether the process was paused (SIGSTOP)
 * @param want {@code 'u'} (want up), {@code 'd'} (want down) or 0 (no wish, daemontools
 * after {@code o})
 * @param termSent whether TERM was sent and the process has not exited yet (runit only)
 * @param state {@link #DOWN}, {@link #RUN} or {@link #FINISH}
 * @param ready whether the service said it is ready (s6 only), or {@code null}
 * @param waitStatus the wait status of the last process that ended (s6 only), or
 * {@code null}
 * @author Supervision contributors
 */
public record SuperviseRecord(SuperviseFlavour flavour, Instant since, long pid, boolean paused, char want,
		boolean termSent, int state, @Nullable Boolean ready, @Nullable Integer waitStatus) {

	/**
	 * No process runs.
	 */
	public static final int DOWN = 0;

	/**
	 * The {@code ./run} process runs.
	 */
	public static final int RUN = 1;

	/**
	 * The {@code ./finish} process runs.
	 */
	public static final int FINISH = 2;

	/**
	 * Size of runit's record.
	 */
	static final int RUNIT_SIZE = 20;

	/**
	 * Size of daemontools' record.
	 */
	static final int DAEMONTOOLS_SIZE = 18;

	/**
	 * Size of s6 2.11's record.
	 */
	static final int S6_SIZE = 35;

	/**
	 * Size of the record of s6 versions that add the process group.
	 */
	static final int S6_PGID_SIZE = 43;

	/**
	 * The TAI64 label of the second 1970-01-01 00:00:00 TAI: 2^62.
	 */
	static final long TAI64_BASE = 0x4000000000000000L;

	/**
	 * TAI - UTC as runit and daemontools (libtai, no leap seconds) assume it: label =
	 * 2^62 + 10 + unix time.
	 */
	static final long TAI_OFFSET = 10;

	/**
	 * TAI - UTC as s6 (skalibs) computes it with its leap second table: 37 s since 2017.
	 */
	static final long S6_TAI_OFFSET = 37;

	private static final int S6_PAUSED = 0x01;

	private static final int S6_FINISHING = 0x02;

	private static final int S6_WANT_UP = 0x04;

	private static final int S6_READY = 0x08;

	/**
	 * Decode a status record, telling the supervisor from its size.
	 * @param bytes the content of {@code supervise/status}
	 * @return the record
	 * @throws IllegalArgumentException if no known supervisor writes records of that size
	 */
	public static SuperviseRecord parse(byte[] bytes) {
		return switch (bytes.length) {
			case RUNIT_SIZE -> runit(bytes);
			case DAEMONTOOLS_SIZE -> daemontools(bytes);
			case S6_SIZE, S6_PGID_SIZE -> s6(bytes);
			default -> throw new IllegalArgumentException("A status record of " + bytes.length
					+ " bytes was written by no known supervisor (runit 20, daemontools 18, s6 35 or 43)");
		};
	}

	private static SuperviseRecord runit(byte[] bytes) {
		long pid = littleEndian(bytes, 12);
		return new SuperviseRecord(SuperviseFlavour.RUNIT, stamp(bytes, 0, TAI_OFFSET), pid, bytes[16] != 0,
				want(bytes[17]), bytes[18] != 0, bytes[19] & 0xff, null, null);
	}

	private static SuperviseRecord daemontools(byte[] bytes) {
		long pid = littleEndian(bytes, 12);
		return new SuperviseRecord(SuperviseFlavour.DAEMONTOOLS, stamp(bytes, 0, TAI_OFFSET), pid,
				pid != 0 && bytes[16] != 0, want(bytes[17]), false, (pid != 0) ? RUN : DOWN, null, null);
	}

	private static SuperviseRecord s6(byte[] bytes) {
		long pid = bigEndian(bytes, 24, 8);
		int offset = (bytes.length == S6_PGID_SIZE) ? 40 : 32;
		int waitStatus = (int) bigEndian(bytes, offset, 2);
		int flags = bytes[offset + 2] & 0xff;
		int state = (pid == 0) ? DOWN : (((flags & S6_FINISHING) != 0) ? FINISH : RUN);
		return new SuperviseRecord(SuperviseFlavour.S6, stamp(bytes, 0, S6_TAI_OFFSET), pid, (flags & S6_PAUSED) != 0,
				((flags & S6_WANT_UP) != 0) ? 'u' : 'd', false, state, (flags & S6_READY) != 0, waitStatus);
	}

	private static Instant stamp(byte[] bytes, int offset, long taiOffset) {
		return instant(bigEndian(bytes, offset, 8), bigEndian(bytes, offset + 8, 4), taiOffset);
	}

	/**
	 * Return the instant of a TAI64N stamp.
	 * @param label the TAI64 label (2^62 + TAI seconds)
	 * @param nanos the nanoseconds
	 * @param taiOffset the difference TAI - UTC the writer assumed, in seconds
	 * @return the instant
	 */
	static Instant instant(long label, long nanos, long taiOffset) {
		return Instant.ofEpochSecond(label - TAI64_BASE - taiOffset, Math.min(nanos, 999_999_999L));
	}

	private static char want(byte value) {
		return (value == 'u' || value == 'd') ? (char) value : 0;
	}

	private static long bigEndian(byte[] bytes, int offset, int length) {
		long value = 0;
		for (int i = 0; i < length; i++) {
			value = (value << 8) | (bytes[offset + i] & 0xff);
		}
		return value;
	}

	private static long littleEndian(byte[] bytes, int offset) {
		return (bytes[offset] & 0xffL) | (bytes[offset + 1] & 0xffL) << 8 | (bytes[offset + 2] & 0xffL) << 16
				| (bytes[offset + 3] & 0xffL) << 24;
	}

	/**
	 * Whether a process runs ({@code ./run} or {@code ./finish}).
	 * @return {@code true} if there is a pid
	 */
	public boolean hasProcess() {
		return this.pid != 0;
	}

	/**
	 * Return the exit code of the last process that ended, while no process runs, when it
	 * exited rather than was killed and the supervisor records it.
	 * @return the exit code, or {@code null}
	 */
	public @Nullable Integer exitCode() {
		if (this.pid != 0 || this.waitStatus == null || (this.waitStatus & 0x7f) != 0) {
			return null;
		}
		return (this.waitStatus >> 8) & 0xff;
	}

	/**
	 * Return the signal that killed the last process that ended, while no process runs,
	 * when the supervisor records it.
	 * @return the signal number, or {@code null}
	 */
	public @Nullable Integer termSignal() {
		if (this.pid != 0 || this.waitStatus == null) {
			return null;
		}
		int signal = this.waitStatus & 0x7f;
		return (signal != 0 && signal != 0x7f) ? signal : null;
	}

}
