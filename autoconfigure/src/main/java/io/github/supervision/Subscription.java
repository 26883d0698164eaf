package io.github.supervision;

/**
 * Handle to a listener registration; closing it stops the notifications.
 *
 * @author Supervision contributors
 */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

	/**
	 * Stop the notifications. Closing twice does nothing.
	 */
	@Override
	void close();

}
