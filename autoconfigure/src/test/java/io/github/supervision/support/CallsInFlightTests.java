package io.github.supervision.support;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link CallsInFlight}.
 *
 * @author Supervision contributors
 */
class CallsInFlightTests {

	private final CallsInFlight<String, String, String> calls = new CallsInFlight<>();

	private final AtomicInteger started = new AtomicInteger();

	@Test
	void aCallerAskingForTheCallInFlightSharesItsResult() {
		CompletableFuture<String> running = new CompletableFuture<>();
		CompletableFuture<String> first = this.calls.call("web", "restart", () -> start(running), this::refuse);
		CompletableFuture<String> second = this.calls.call("web", "restart", () -> start(new CompletableFuture<>()),
				this::refuse);
		assertThat(this.started).hasValue(1);
		running.complete("done");
		assertThat(first).isCompletedWithValue("done");
		assertThat(second).isCompletedWithValue("done");
	}

	@Test
	void aCallerAskingForAnotherCallIsRefusedWithTheCallInFlight() {
		this.calls.call("web", "restart", () -> start(new CompletableFuture<>()), this::refuse);
		CompletableFuture<String> stop = this.calls.call("web", "stop", () -> start(new CompletableFuture<>()),
				this::refuse);
		assertThat(stop).failsWithin(Duration.ZERO)
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(IllegalStateException.class)
			.withMessage("restart in flight");
		assertThat(this.started).hasValue(1);
	}

	@Test
	void callsOnOtherKeysRunAtTheSameTime() {
		this.calls.call("web", "restart", () -> start(new CompletableFuture<>()), this::refuse);
		this.calls.call("db", "stop", () -> start(new CompletableFuture<>()), this::refuse);
		assertThat(this.started).hasValue(2);
	}

	@Test
	void aCallStartsAgainOnceTheOneInFlightIsDone() {
		this.calls.call("web", "restart", () -> start(CompletableFuture.completedFuture("one")), this::refuse);
		CompletableFuture<String> next = this.calls.call("web", "stop",
				() -> start(CompletableFuture.completedFuture("two")), this::refuse);
		assertThat(next).isCompletedWithValue("two");
		assertThat(this.started).hasValue(2);
	}

	@Test
	void aCallThatFailsToStartThrowsAndLeavesTheKeyFree() {
		assertThatIllegalStateException().isThrownBy(() -> this.calls.call("web", "restart", () -> {
			throw new IllegalStateException("rejected");
		}, this::refuse)).withMessage("rejected");
		CompletableFuture<String> next = this.calls.call("web", "stop",
				() -> start(CompletableFuture.completedFuture("stopped")), this::refuse);
		assertThat(next).isCompletedWithValue("stopped");
	}

	private CompletableFuture<String> start(CompletableFuture<String> result) {
		this.started.incrementAndGet();
		return result;
	}

	private IllegalStateException refuse(String inFlight) {
		return new IllegalStateException(inFlight + " in flight");
	}

}
