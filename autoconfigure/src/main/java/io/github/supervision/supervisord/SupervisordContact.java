package io.github.supervision.supervisord;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.supervision.BackendAvailability;
import io.github.supervision.BackendUnavailableException;
import io.github.supervision.PermissionDeniedException;
import io.github.supervision.SupervisionTimeoutException;

/**
 * Makes the backend's calls to supervisord and keeps what they showed of its
 * availability. Every call assumes supervisord's API 3.0, which supervisord 3.x and 4.x
 * report; it is checked on first contact and again after each loss of contact, as another
 * server may answer then.
 */
final class SupervisordContact {

	private static final String API_VERSION = "3.0";

	private final SupervisordClient client;

	private volatile BackendAvailability availability;

	private volatile long observedAt = System.nanoTime() - TimeUnit.DAYS.toNanos(1);

	private volatile boolean verified;

	SupervisordContact(SupervisordClient client) {
		this.client = client;
		this.availability = BackendAvailability
			.down("supervisord at " + client.description() + " has not been contacted yet");
	}

	String description() {
		return this.client.description();
	}

	BackendAvailability availability() {
		return this.availability;
	}

	long observedAt() {
		return this.observedAt;
	}

	/**
	 * Make one typed call of the client.
	 * @param <T> the type of answer
	 * @param method the method the call makes, which tells whether it only reads
	 * @param timeout the most the call, with the version check before it, may take
	 * @param call the call
	 * @return the answer
	 */
	<T> T call(SupervisordMethod method, Duration timeout, Call<T> call) {
		long started = System.nanoTime();
		try {
			if (!this.verified) {
				checkApiVersion(timeout);
			}
			T answer = call.call(this.client, timeout.minusNanos(System.nanoTime() - started));
			answered();
			return answer;
		}
		catch (AnswerLostException ex) {
			// an action whose answer was lost is judged by reading the process back
			if (method.isRead()) {
				down(ex.getMessage());
			}
			throw ex;
		}
		catch (MalformedAnswerException ex) {
			// supervisord did answer; the caller reports the answer's shape
			answered();
			throw ex;
		}
		catch (BackendUnavailableException | PermissionDeniedException ex) {
			down(ex.getMessage());
			throw ex;
		}
		catch (SupervisordFaultException ex) {
			this.observedAt = System.nanoTime();
			if (ex.getFault() == SupervisordFault.SHUTDOWN_STATE) {
				this.availability = BackendAvailability
					.down("supervisord at " + this.client.description() + " is shutting down");
			}
			else {
				this.availability = BackendAvailability.up();
			}
			throw ex;
		}
	}

	/**
	 * Make one typed call of the client that answers nothing of use.
	 * @param method the method the call makes, which tells whether it only reads
	 * @param timeout the most the call, with the version check before it, may take
	 * @param call the call
	 */
	void run(SupervisordMethod method, Duration timeout, Action call) {
		call(method, timeout, (client, left) -> {
			call.run(client, left);
			// such an answer carries nothing, so any non-null value stands for it
			return method;
		});
	}

	/**
	 * Record that supervisord did not answer in time, so that it reads as unavailable
	 * until it answers again.
	 * @param reason why
	 */
	void notAnswering(String reason) {
		this.availability = BackendAvailability.down(reason);
		this.observedAt = System.nanoTime();
	}

	private void answered() {
		this.availability = BackendAvailability.up();
		this.observedAt = System.nanoTime();
	}

	private void down(String reason) {
		this.verified = false;
		notAnswering(reason);
	}

	private void checkApiVersion(Duration timeout) {
		String version;
		try {
			version = this.client.getAPIVersion(timeout);
		}
		catch (ConnectionLostException ex) {
			throw new BackendUnavailableException(ex.getMessage(), ex);
		}
		catch (AnswerLostException ex) {
			throw notSupervisord(ex.getMessage());
		}
		catch (MalformedAnswerException ex) {
			throw notSupervisord(ex.getMessage());
		}
		catch (SupervisordFaultException ex) {
			throw notSupervisord("it answered getAPIVersion with fault " + ex.getFaultName());
		}
		if (!API_VERSION.equals(version)) {
			throw notSupervisord("API version '" + version + "'");
		}
		this.verified = true;
	}

	private BackendUnavailableException notSupervisord(String why) {
		return new BackendUnavailableException(
				"The server at " + this.client.description() + " is not supervisord 3.x/4.x (" + why + ")");
	}

	/**
	 * Return the time left before a deadline.
	 * @param deadline the deadline, in {@link System#nanoTime()}
	 * @return the time left
	 * @throws SupervisionTimeoutException if none is left
	 */
	static Duration remaining(long deadline) {
		long nanos = deadline - System.nanoTime();
		if (nanos <= 0) {
			throw new SupervisionTimeoutException("The supervisord operation", Duration.ZERO);
		}
		return Duration.ofNanos(nanos);
	}

	static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

	/**
	 * A typed call of the client.
	 *
	 * @param <T> the type of answer
	 */
	@FunctionalInterface
	interface Call<T> {

		T call(SupervisordClient client, Duration timeout);

	}

	/**
	 * A typed call of the client that answers nothing of use.
	 */
	@FunctionalInterface
	interface Action {

		void run(SupervisordClient client, Duration timeout);

	}

}
