package io.github.supervision.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.github.supervision.LogTailCapability;
import io.github.supervision.ServiceLog;

/**
 * A {@link RecordingBackend} that also offers the {@link LogTailCapability}: it answers
 * from a log kept in memory and records every tail it is asked for.
 *
 * @author Supervision contributors
 */
public class LogTailingBackend extends RecordingBackend implements LogTailCapability {

	private final List<String> tailCalls = Collections.synchronizedList(new ArrayList<>());

	private volatile List<String> log = List.of();

	private volatile Duration tailDelay = Duration.ZERO;

	/**
	 * Create a backend with the given id.
	 * @param id the id
	 */
	public LogTailingBackend(String id) {
		super(id);
	}

	/**
	 * Set the lines every service's log holds.
	 * @param lines the lines, oldest first
	 */
	public void setLog(List<String> lines) {
		this.log = List.copyOf(lines);
	}

	/**
	 * Make each tail take this long, ignoring its deadline as a broken backend would.
	 * @param delay the delay
	 */
	public void setTailDelay(Duration delay) {
		this.tailDelay = delay;
	}

	/**
	 * Return the tails asked for so far, such as {@code tailLog t1 10 2000ms}.
	 * @return the calls
	 */
	public List<String> tailCalls() {
		synchronized (this.tailCalls) {
			return List.copyOf(this.tailCalls);
		}
	}

	/**
	 * Forget the tails asked for so far.
	 */
	public void clearTailCalls() {
		this.tailCalls.clear();
	}

	@Override
	public ServiceLog tailLog(String target, int lines, Duration timeout) {
		this.tailCalls.add("tailLog " + target + " " + lines + " " + timeout.toMillis() + "ms");
		if (!this.tailDelay.isZero()) {
			try {
				Thread.sleep(this.tailDelay.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		List<String> all = this.log;
		return ServiceLog.ofText(String.join("\n", all), false, lines);
	}

}
