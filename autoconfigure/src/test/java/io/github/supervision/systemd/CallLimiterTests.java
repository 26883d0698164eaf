package io.github.supervision.systemd;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link CallLimiter}.
 *
 * @author Supervision contributors
 */
class CallLimiterTests {

	@Test
	void startsQueuedCallsAsEarlierOnesCompleteWithoutExceedingTheLimit() {
		CallLimiter limiter = new CallLimiter(2, Runnable::run);
		AtomicInteger inFlight = new AtomicInteger();
		AtomicInteger highest = new AtomicInteger();
		List<CompletableFuture<Integer>> calls = new ArrayList<>();
		List<CompletableFuture<Integer>> results = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			int value = i;
			results.add(limiter.submit(() -> {
				highest.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
				CompletableFuture<Integer> call = new CompletableFuture<>();
				calls.add(call);
				return call.thenApply((ignored) -> {
					inFlight.decrementAndGet();
					return value;
				});
			}));
		}
		assertThat(calls).hasSize(2);
		assertThat(limiter.queued()).isEqualTo(3);
		for (int i = 0; i < 5; i++) {
			calls.get(i).complete(0);
		}
		assertThat(results).allSatisfy((result) -> assertThat(result).isDone());
		assertThat(results.get(4).join()).isEqualTo(4);
		assertThat(highest.get()).isEqualTo(2);
		assertThat(limiter.queued()).isZero();
	}

	@Test
	void aLongQueueOfCallsThatFailAtOnceDrainsWithoutOverflowingTheStack() {
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			CallLimiter limiter = new CallLimiter(1, executor);
			CompletableFuture<Object> first = new CompletableFuture<>();
			limiter.submit(() -> first);
			List<CompletableFuture<Object>> queued = new ArrayList<>();
			for (int i = 0; i < 20_000; i++) {
				queued.add(limiter.submit(() -> CompletableFuture.failedFuture(new IllegalStateException("bus lost"))));
			}
			first.completeExceptionally(new IllegalStateException("bus lost"));
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(
						() -> assertThat(queued).allSatisfy((call) -> assertThat(call).isCompletedExceptionally()));
			assertThat(limiter.pending()).isZero();
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void aFailedCallReleasesItsSlot() {
		CallLimiter limiter = new CallLimiter(1, Runnable::run);
		CompletableFuture<Object> failed = limiter.submit(() -> {
			throw new IllegalStateException("boom");
		});
		CompletableFuture<String> next = limiter.submit(() -> CompletableFuture.completedFuture("ok"));
		assertThat(failed).isCompletedExceptionally();
		assertThat(next.join()).isEqualTo("ok");
	}

}
