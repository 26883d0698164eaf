package io.github.supervision.systemd;

import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PendingCalls}.
 *
 * @author Supervision contributors
 */
class PendingCallsTests {

	@Test
	void losingTheConnectionFailsEveryCallInFlightAndEveryLaterOne() {
		PendingCalls calls = new PendingCalls();
		CompletableFuture<String> answered = calls.track(new CompletableFuture<>());
		CompletableFuture<String> inFlight = calls.track(new CompletableFuture<>());
		answered.complete("reply");
		assertThat(calls.size()).isOne();
		IllegalStateException lost = new IllegalStateException("bus lost");
		calls.failAll(lost);
		assertThat(inFlight).isCompletedExceptionally();
		assertThat(answered).isCompletedWithValue("reply");
		assertThat(calls.size()).isZero();
		assertThat(calls.isLost()).isTrue();
		CompletableFuture<String> later = calls.track(new CompletableFuture<>());
		assertThat(later).isCompletedExceptionally();
		assertThat(later.handle((reply, ex) -> ex).join()).isSameAs(lost);
		assertThat(calls.size()).isZero();
	}

}
