package io.github.supervision.systemd;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link JobTracker}; the race with real jobs is exercised in
 * {@link SystemdBackendTests}.
 *
 * @author Supervision contributors
 */
class JobTrackerTests {

	private final JobTracker tracker = new JobTracker();

	@Test
	void completesAJobThatEndsAfterItIsAwaited() throws Exception {
		CompletableFuture<String> result = this.tracker.await("/job/1");
		assertThat(result).isNotDone();
		this.tracker.jobRemoved("/job/1", "done");
		assertThat(result.get(1, TimeUnit.SECONDS)).isEqualTo("done");
		assertThat(this.tracker.pending()).isZero();
	}

	@Test
	void completesAJobThatEndedBeforeItsPathWasKnown() throws Exception {
		this.tracker.jobRemoved("/job/2", "failed");
		assertThat(this.tracker.await("/job/2").get(1, TimeUnit.SECONDS)).isEqualTo("failed");
		assertThat(this.tracker.pending()).isZero();
	}

	@Test
	void givesEveryCallerOfAMergedJobTheSameResult() throws Exception {
		CompletableFuture<String> first = this.tracker.await("/job/3");
		CompletableFuture<String> second = this.tracker.await("/job/3");
		this.tracker.jobRemoved("/job/3", "done");
		CompletableFuture<String> late = this.tracker.await("/job/3");
		assertThat(first.get(1, TimeUnit.SECONDS)).isEqualTo("done");
		assertThat(second.get(1, TimeUnit.SECONDS)).isEqualTo("done");
		assertThat(late.get(1, TimeUnit.SECONDS)).isEqualTo("done");
		assertThat(this.tracker.pending()).isZero();
	}

	@Test
	void aCallersTimeoutDoesNotAffectOthers() throws Exception {
		CompletableFuture<String> impatient = this.tracker.await("/job/4").orTimeout(1, TimeUnit.MILLISECONDS);
		CompletableFuture<String> patient = this.tracker.await("/job/4");
		assertThat(impatient).failsWithin(1, TimeUnit.SECONDS);
		this.tracker.jobRemoved("/job/4", "done");
		assertThat(patient.get(1, TimeUnit.SECONDS)).isEqualTo("done");
	}

	@Test
	void failsEveryWaitWhenTheBusDrops() {
		CompletableFuture<String> result = this.tracker.await("/job/5");
		this.tracker.failAll(new IllegalStateException("bus dropped"));
		assertThat(result).isCompletedExceptionally();
		assertThat(this.tracker.pending()).isZero();
	}

}
