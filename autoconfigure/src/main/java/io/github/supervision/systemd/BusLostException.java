package io.github.supervision.systemd;

/**
 * Fails the calls and job waits that were in flight when the bus connection dropped. It
 * carries no stack trace: it is expected, and thrown at every waiter at once.
 *
 * @author Supervision contributors
 */
final class BusLostException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	BusLostException() {
		super("The bus connection dropped", null, false, false);
	}

}
