package io.github.supervision.embedded;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Decides what follows the end of an embedded service's run that is to run again: a
 * back-off delay, or giving the service up. The delay is the service's
 * {@code restartDelay}, doubled for each quick failure in a row (a run shorter than
 * {@link EmbeddedServiceSpec#healthyRun()}) up to {@code restartDelayMax}; after
 * {@code startRetries} retries of quick failures the service is given up. A healthy run
 * or a {@code START} ({@link #reset()}) clears the count. Used on the supervisor thread
 * only.
 *
 * @author Supervision contributors
 */
final class RestartBackoff {

	private final EmbeddedServiceSpec spec;

	private int failures;

	private Duration delay = Duration.ZERO;

	RestartBackoff(EmbeddedServiceSpec spec) {
		this.spec = spec;
	}

	/**
	 * Start counting quick failures again.
	 */
	void reset() {
		this.failures = 0;
	}

	/**
	 * Decide what follows a run. Every run shorter than a healthy run counts, also one
	 * that passed start-seconds: with start-seconds of zero every run does.
	 * @param ran how long the process ran, or {@code null} when it could not be spawned
	 * @return the delay before the next run, or none when the service is given up
	 */
	Next next(@Nullable Duration ran) {
		Duration healthyRun = this.spec.healthyRun();
		this.failures = (ran == null || ran.compareTo(healthyRun) < 0) ? this.failures + 1 : 0;
		int retries = this.spec.startRetries();
		if (this.failures > retries) {
			String times = this.failures + " times in a row";
			String count = (ran != null)
					? "exited " + times + " within " + SupervisedService.describe(healthyRun) + " of its start"
					: "failed to start " + times;
			return new Next(null, count + "; giving up until it is started again");
		}
		this.delay = (this.failures <= 1) ? this.spec.restartDelay() : doubled(this.delay, this.spec.restartDelayMax());
		String next = (this.failures == 0) ? "restart" : "retry " + this.failures + " of " + retries;
		return new Next(this.delay, next + " in " + SupervisedService.describe(this.delay));
	}

	private static Duration doubled(Duration delay, Duration max) {
		return (delay.compareTo(max.dividedBy(2)) >= 0) ? max : delay.multipliedBy(2);
	}

	/**
	 * What follows a run.
	 *
	 * @param delay the wait before the next run, or {@code null} when the service is
	 * given up
	 * @param reason what follows, for a person
	 */
	record Next(@Nullable Duration delay, String reason) {

	}

}
