package io.github.supervision.systemd;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.supervision.BackendUnavailableException;
import io.github.supervision.SupervisionException;
import io.github.supervision.SupervisionTimeoutException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * Waits for bus calls within the caller's deadline, and says what went wrong when they
 * fail. A deadline is a {@link System#nanoTime()} value.
 *
 * @author Supervision contributors
 */
final class Futures {

	private Futures() {
	}

	/**
	 * Return the deadline of a call that may take a timeout from now.
	 * @param timeout the timeout
	 * @return the deadline
	 */
	static long deadline(Duration timeout) {
		return System.nanoTime() + Math.max(0, timeout.toNanos());
	}

	/**
	 * Return a copy of a future that fails with a {@link TimeoutException} at the
	 * deadline; the original is left alone, as others may wait for it too.
	 * @param <T> the type of the result
	 * @param future the future
	 * @param deadline the deadline
	 * @return the bounded copy
	 */
	static <T> CompletableFuture<T> bounded(CompletableFuture<T> future, long deadline) {
		long remaining = deadline - System.nanoTime();
		return future.copy().orTimeout(Math.max(0, remaining), TimeUnit.NANOSECONDS);
	}

	/**
	 * Wait for a future until the deadline.
	 * @param <T> the type of the result
	 * @param future the future
	 * @param deadline the deadline
	 * @param what what is waited for, for the messages
	 * @return the result
	 * @throws SupervisionTimeoutException when the deadline passes
	 * @throws CallFailedException when systemd answered with an error
	 * @throws BackendUnavailableException when the bus failed
	 */
	static <T> T await(CompletableFuture<T> future, long deadline, String what) {
		long remaining = deadline - System.nanoTime();
		try {
			return future.get(Math.max(0, remaining), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			throw new SupervisionTimeoutException(what, Duration.ofNanos(Math.max(0, remaining)));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new BackendUnavailableException(what + " was interrupted");
		}
		catch (ExecutionException ex) {
			Throwable cause = unwrap(ex);
			if (cause instanceof SupervisionException supervision) {
				throw supervision;
			}
			if (cause instanceof DBusExecutionException dbus
					&& !SystemdErrors.isConnectionLoss(SystemdErrors.name(dbus))) {
				throw new CallFailedException(dbus);
			}
			throw new BackendUnavailableException(what + " failed: " + describe(cause));
		}
	}

	/**
	 * Return the cause of a failed future's exception.
	 * @param ex what the future failed with
	 * @return the cause, never {@code null}
	 */
	static Throwable unwrap(@Nullable Throwable ex) {
		Throwable current = ex;
		while ((current instanceof CompletionException || current instanceof ExecutionException)
				&& current.getCause() != null) {
			current = current.getCause();
		}
		return (current != null) ? current : new IllegalStateException("unknown failure");
	}

	/**
	 * Return an exception's message, or its type when it has none.
	 * @param ex the exception
	 * @return the words
	 */
	static String describe(Throwable ex) {
		String message = ex.getMessage();
		return (message != null && !message.isBlank()) ? message : ex.getClass().getSimpleName();
	}

}
