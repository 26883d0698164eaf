package io.github.supervision;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.supervision.testsupport.RecordingBackend;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the read sharing of {@link ServiceCatalog}: concurrent readers of a backend
 * share the read in flight, and nothing else.
 *
 * @author Supervision contributors
 */
class ServiceCatalogSharedReadTests {

	private static final int READERS = 32;

	private final GatedBackend backend = new GatedBackend("alpha");

	private final ExecutorService readers = Executors.newFixedThreadPool(READERS);

	private ServiceCatalog catalog = catalog(Duration.ofSeconds(5));

	@AfterEach
	void close() {
		this.backend.open();
		this.readers.shutdownNow();
		this.catalog.close();
	}

	@Test
	void concurrentReadersShareOneBackendRead() throws Exception {
		this.backend.shut();
		List<Future<List<ServiceStatus>>> answers = startReaders(READERS, false);
		awaitBlockedReaders(READERS);
		this.backend.open();
		for (Future<List<ServiceStatus>> answer : answers) {
			assertThat(answer.get(10, TimeUnit.SECONDS)).extracting(ServiceStatus::state)
				.containsExactly(ServiceState.RUNNING, ServiceState.RUNNING);
		}
		assertThat(this.backend.statusCalls()).isEqualTo(1);
		assertThat(this.catalog.sharedReadsStarted("alpha")).isEqualTo(1);
	}

	@Test
	void listAndListDeclaredShareTheReadOfTheDeclaredServices() throws Exception {
		this.backend.shut();
		List<Future<List<ServiceStatus>>> answers = new ArrayList<>(startReaders(READERS / 2, false));
		answers.addAll(startReaders(READERS / 2, true));
		awaitBlockedReaders(READERS);
		this.backend.open();
		for (Future<List<ServiceStatus>> answer : answers) {
			assertThat(answer.get(10, TimeUnit.SECONDS)).hasSize(2);
		}
		assertThat(this.backend.statusCalls()).isEqualTo(1);
	}

	@Test
	void anAnsweredReadIsNotKept() {
		this.catalog.list();
		this.catalog.listDeclared();
		this.catalog.list();
		assertThat(this.backend.statusCalls()).isEqualTo(3);
	}

	@Test
	void aFailedReadReleasesEveryReaderWithTheReasonAndIsNotKept() throws Exception {
		this.backend.shut();
		this.backend.failWith(new BackendUnavailableException("alpha is gone"));
		List<Future<List<ServiceStatus>>> answers = startReaders(8, false);
		awaitBlockedReaders(8);
		this.backend.open();
		for (Future<List<ServiceStatus>> answer : answers) {
			assertThat(answer.get(10, TimeUnit.SECONDS)).allSatisfy((status) -> {
				assertThat(status.state()).isEqualTo(ServiceState.UNKNOWN);
				assertThat(status.message()).isEqualTo("alpha is gone");
			});
		}
		this.backend.failWith(null);
		assertThat(this.catalog.list()).extracting(ServiceStatus::state).containsOnly(ServiceState.RUNNING);
		assertThat(this.backend.statusCalls()).isEqualTo(2);
	}

	@Test
	void aReadThatBreaksItsDeadlineReleasesItsReadersAndIsNotJoinedLater() throws Exception {
		this.catalog.close();
		// long enough for the four readers to join the first one's read on a loaded
		// machine
		this.catalog = catalog(Duration.ofSeconds(1));
		this.backend.shut();
		List<Future<List<ServiceStatus>>> answers = startReaders(4, false);
		awaitBlockedReaders(4);
		assertThat(this.backend.statusCalls()).as("the four readers share one read").isEqualTo(1);
		// The leader is held by its backend; the others wait at most the read deadline
		// and a second of grace
		await().atMost(Duration.ofSeconds(5)).until(() -> answers.stream().filter(Future::isDone).count() == 3);
		for (Future<List<ServiceStatus>> answer : answers) {
			if (answer.isDone()) {
				assertThat(answer.get()).extracting(ServiceStatus::state).containsOnly(ServiceState.UNKNOWN);
			}
		}
		// The stuck read is older than the deadline: a new reader does not join it
		Future<List<ServiceStatus>> later = startReaders(1, false).get(0);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.backend.statusCalls() == 2);
		this.backend.open();
		assertThat(later.get(10, TimeUnit.SECONDS)).extracting(ServiceStatus::state).containsOnly(ServiceState.RUNNING);
	}

	@Test
	void aReaderAfterAnActionDoesNotJoinAReadThatStartedBeforeIt() throws Exception {
		this.backend.shut();
		Future<List<ServiceStatus>> before = startReaders(1, false).get(0);
		awaitBlockedReaders(1);
		ActionResult result = this.catalog.perform(ServiceName.of("one"), ServiceAction.RESTART);
		assertThat(result.outcome()).isEqualTo(ActionResult.Outcome.DONE);
		Future<List<ServiceStatus>> after = startReaders(1, false).get(0);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.backend.statusCalls() == 2);
		this.backend.open();
		assertThat(before.get(10, TimeUnit.SECONDS)).hasSize(2);
		assertThat(after.get(10, TimeUnit.SECONDS)).hasSize(2);
	}

	@Test
	void readersOfDifferentBackendsDoNotWaitForEachOther() throws Exception {
		RecordingBackend beta = new RecordingBackend("beta");
		this.catalog.close();
		this.catalog = new ServiceCatalog(
				List.of(definition("one", "alpha", "t1"), definition("two", "beta", "t2"),
						definition("three", "beta", "t3")),
				List.of(this.backend, beta), Duration.ofSeconds(5), Duration.ofSeconds(5));
		this.backend.shut();
		Future<List<ServiceStatus>> blocked = startReaders(1, false).get(0);
		awaitBlockedReaders(1);
		// A read of beta alone (one service) is not held by alpha's read in flight
		assertThat(this.catalog.status(ServiceName.of("two")).state()).isEqualTo(ServiceState.RUNNING);
		this.backend.open();
		assertThat(blocked.get(10, TimeUnit.SECONDS)).hasSize(3);
	}

	private List<Future<List<ServiceStatus>>> startReaders(int count, boolean declaredOnly) {
		List<Future<List<ServiceStatus>>> answers = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			answers.add(this.readers.submit(() -> declaredOnly ? this.catalog.listDeclared() : this.catalog.list()));
		}
		return answers;
	}

	// Every reader is either in the backend (the leader) or waiting for the leader's
	// answer
	private void awaitBlockedReaders(int count) {
		await().atMost(Duration.ofSeconds(10)).until(() -> this.backend.statusCalls() >= 1);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> Thread.getAllStackTraces()
				.keySet()
				.stream()
				.filter((thread) -> thread.getName().startsWith("pool-"))
				.filter((thread) -> thread.getState() == Thread.State.WAITING
						|| thread.getState() == Thread.State.TIMED_WAITING)
				.filter((thread) -> isReading(thread.getStackTrace()))
				.count() >= count);
	}

	private static boolean isReading(StackTraceElement[] stack) {
		for (StackTraceElement element : stack) {
			if (element.getClassName().equals(ServiceCatalog.class.getName())) {
				return true;
			}
		}
		return false;
	}

	private ServiceCatalog catalog(Duration readTimeout) {
		return new ServiceCatalog(List.of(definition("one", "alpha", "t1"), definition("two", "alpha", "t2")),
				List.of(this.backend), readTimeout, Duration.ofSeconds(5));
	}

	private static ServiceDefinition definition(String name, String backend, String target) {
		return new ServiceDefinition(ServiceName.of(name), backend, target,
				Set.of(ServiceAction.START, ServiceAction.STOP, ServiceAction.RESTART), false, null);
	}

	/**
	 * A backend whose status reads wait at a gate, so that tests hold a read in flight.
	 */
	static final class GatedBackend extends RecordingBackend {

		private final AtomicInteger statusCalls = new AtomicInteger();

		private volatile CountDownLatch gate = new CountDownLatch(0);

		private volatile @Nullable RuntimeException failure;

		GatedBackend(String id) {
			super(id);
		}

		void shut() {
			this.gate = new CountDownLatch(1);
		}

		void open() {
			this.gate.countDown();
		}

		void failWith(@Nullable RuntimeException failure) {
			this.failure = failure;
		}

		int statusCalls() {
			return this.statusCalls.get();
		}

		@Override
		public Map<String, ServiceStatus> status(Collection<String> targets, Duration timeout) {
			this.statusCalls.incrementAndGet();
			try {
				if (!this.gate.await(30, TimeUnit.SECONDS)) {
					throw new IllegalStateException("The gate stayed closed");
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			RuntimeException failure = this.failure;
			if (failure != null) {
				throw failure;
			}
			return super.status(targets, timeout);
		}

	}

}
