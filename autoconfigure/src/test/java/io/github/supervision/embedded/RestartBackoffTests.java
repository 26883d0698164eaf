package io.github.supervision.embedded;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RestartBackoff}.
 *
 * @author Supervision contributors
 */
class RestartBackoffTests {

	// healthy run: the larger of start-seconds (1 s) and restart-delay-max (8 s)
	private final RestartBackoff backoff = new RestartBackoff(new EmbeddedServiceSpec("web", List.of("/bin/true"), null,
			Map.of(), RestartPolicy.ALWAYS, Duration.ofSeconds(1), 3, Duration.ofSeconds(1), Duration.ofSeconds(8),
			Duration.ofSeconds(2), true, null, 1024));

	@Test
	void doublesTheDelayForEachQuickFailureInARowUpToTheMost() {
		assertThat(this.backoff.next(Duration.ofMillis(10)))
			.isEqualTo(new RestartBackoff.Next(Duration.ofSeconds(1), "retry 1 of 3 in 1 s"));
		assertThat(this.backoff.next(Duration.ofMillis(10)).delay()).isEqualTo(Duration.ofSeconds(2));
		assertThat(this.backoff.next(Duration.ofMillis(10)).delay()).isEqualTo(Duration.ofSeconds(4));
	}

	@Test
	void givesUpAfterTheRetriesOfQuickFailures() {
		for (int i = 0; i < 3; i++) {
			this.backoff.next(Duration.ofMillis(10));
		}
		assertThat(this.backoff.next(Duration.ofMillis(10))).isEqualTo(new RestartBackoff.Next(null,
				"exited 4 times in a row within 8 s of its start; giving up until it is started again"));
	}

	@Test
	void countsASpawnThatFailedAsAFailureToStart() {
		for (int i = 0; i < 3; i++) {
			this.backoff.next(null);
		}
		assertThat(this.backoff.next(null).reason())
			.isEqualTo("failed to start 4 times in a row; giving up until it is started again");
	}

	@Test
	void aHealthyRunRestartsAfterTheFirstDelay() {
		this.backoff.next(Duration.ofMillis(10));
		this.backoff.next(Duration.ofMillis(10));
		assertThat(this.backoff.next(Duration.ofSeconds(30)))
			.isEqualTo(new RestartBackoff.Next(Duration.ofSeconds(1), "restart in 1 s"));
	}

	@Test
	void aResetStartsANewSeriesOfAttempts() {
		for (int i = 0; i < 3; i++) {
			this.backoff.next(Duration.ofMillis(10));
		}
		this.backoff.reset();
		assertThat(this.backoff.next(Duration.ofMillis(10)))
			.isEqualTo(new RestartBackoff.Next(Duration.ofSeconds(1), "retry 1 of 3 in 1 s"));
	}

}
