package io.github.supervision.support;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link ThreadFactory} of daemon threads named after what they do, so that a thread dump
 * says whose thread it is and no thread of ours keeps the JVM from exiting.
 *
 * @author Supervision contributors
 */
public final class DaemonThreadFactory implements ThreadFactory {

	private final String prefix;

	private final AtomicInteger count = new AtomicInteger();

	/**
	 * Create a new factory.
	 * @param prefix the start of each thread's name, such as
	 * {@code supervision-catalog-}; a number follows it
	 */
	public DaemonThreadFactory(String prefix) {
		this.prefix = prefix;
	}

	@Override
	public Thread newThread(Runnable runnable) {
		Thread thread = new Thread(runnable, this.prefix + this.count.incrementAndGet());
		thread.setDaemon(true);
		return thread;
	}

}
