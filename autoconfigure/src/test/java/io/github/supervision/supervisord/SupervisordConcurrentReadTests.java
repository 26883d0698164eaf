package io.github.supervision.supervisord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.supervision.ActionResult;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceDefinition;
import io.github.supervision.ServiceName;
import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import io.github.supervision.testsupport.RealDaemonTest;
import io.github.supervision.testsupport.SupervisordDaemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for concurrent reads of a {@link ServiceCatalog} over a
 * {@link SupervisordBackend} and a real supervisord: 32 readers cost at most one
 * {@code getAllProcessInfo} per poll interval, counted by the client as it sends them,
 * and an action's effect is seen by the first read after it.
 *
 * @author Supervision contributors
 */
@RealDaemonTest
class SupervisordConcurrentReadTests {

	private static final int READERS = 32;

	private static final int PROGRAMS = 20;

	@RegisterExtension
	static final SupervisordDaemon daemon = SupervisordDaemon.withPrograms(programs());

	private final ExecutorService readers = Executors.newFixedThreadPool(READERS);

	private final AtomicBoolean reading = new AtomicBoolean(true);

	private SupervisordClient client;

	private ServiceCatalog catalog;

	@AfterEach
	void close() {
		this.reading.set(false);
		this.readers.shutdownNow();
		if (this.catalog != null) {
			this.catalog.close();
		}
	}

	@Test
	void thirtyTwoReadersCostAtMostOneGetAllProcessInfoPerPollInterval() throws Exception {
		Duration pollInterval = Duration.ofMillis(500);
		start(pollInterval);
		awaitAllRunning();
		long before = this.client.callsSent(SupervisordMethod.GET_ALL_PROCESS_INFO);
		long start = System.nanoTime();
		List<Future<Integer>> counts = startReaders(Duration.ofSeconds(3));
		int lists = 0;
		for (Future<Integer> count : counts) {
			lists += count.get(30, TimeUnit.SECONDS);
		}
		double periods = (System.nanoTime() - start) / (double) pollInterval.toNanos();
		long calls = this.client.callsSent(SupervisordMethod.GET_ALL_PROCESS_INFO) - before;
		assertThat(lists).isGreaterThan(READERS * 10);
		// One read per period, and one more for the period the readers started in
		assertThat((double) calls).isLessThanOrEqualTo(Math.ceil(periods) + 1);
	}

	@Test
	void concurrentReadersWithoutACacheShareTheCallInFlight() throws Exception {
		start(Duration.ZERO);
		awaitAllRunning();
		long before = this.client.callsSent(SupervisordMethod.GET_ALL_PROCESS_INFO);
		List<Future<Integer>> counts = startReaders(Duration.ofSeconds(2));
		int lists = 0;
		for (Future<Integer> count : counts) {
			lists += count.get(30, TimeUnit.SECONDS);
		}
		long calls = this.client.callsSent(SupervisordMethod.GET_ALL_PROCESS_INFO) - before;
		// Without a cache every reader needs an answer newer than its own arrival; one
		// call answers every reader that arrived while it was out
		assertThat(calls).isPositive().isLessThan(lists / 4);
	}

	@Test
	void aReadAfterAnActionSeesItsEffectWhileOthersRead() throws Exception {
		start(Duration.ofSeconds(1));
		awaitAllRunning();
		List<Future<Integer>> counts = startReaders(Duration.ofSeconds(60));
		for (int round = 0; round < 3; round++) {
			ActionResult stopped = this.catalog.perform(ServiceName.of("p0"), ServiceAction.STOP);
			assertThat(stopped.isSuccessful()).isTrue();
			assertThat(this.catalog.list().get(0).state()).isEqualTo(ServiceState.STOPPED);
			assertThat(this.catalog.listDeclared().get(0).state()).isEqualTo(ServiceState.STOPPED);
			ActionResult started = this.catalog.perform(ServiceName.of("p0"), ServiceAction.START);
			assertThat(started.isSuccessful()).isTrue();
			assertThat(this.catalog.list().get(0).state()).isEqualTo(ServiceState.RUNNING);
			assertThat(this.catalog.listDeclared().get(0).state()).isEqualTo(ServiceState.RUNNING);
		}
		this.reading.set(false);
		for (Future<Integer> count : counts) {
			assertThat(count.get(30, TimeUnit.SECONDS)).isPositive();
		}
	}

	private void start(Duration pollInterval) {
		this.client = new SupervisordClient(daemon.unixUrl(), SupervisordDaemon.USERNAME, SupervisordDaemon.PASSWORD,
				Duration.ofSeconds(2), 2, 4 * 1024 * 1024);
		SupervisordBackend backend = new SupervisordBackend(this.client, Duration.ofSeconds(5), pollInterval, false);
		List<ServiceDefinition> definitions = new ArrayList<>();
		for (int i = 0; i < PROGRAMS; i++) {
			definitions.add(new ServiceDefinition(ServiceName.of("p" + i), SupervisordBackend.ID, "p" + i,
					Set.of(ServiceAction.START, ServiceAction.STOP), false, null));
		}
		this.catalog = new ServiceCatalog(definitions, List.of(backend), Duration.ofSeconds(5), Duration.ofSeconds(10));
	}

	private void awaitAllRunning() {
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.catalog.list().stream().allMatch((status) -> status.state() == ServiceState.RUNNING));
	}

	// Each reader lists until the time is up (or reading stops) and counts its lists
	private List<Future<Integer>> startReaders(Duration time) {
		long end = System.nanoTime() + time.toNanos();
		List<Future<Integer>> counts = new ArrayList<>();
		for (int i = 0; i < READERS; i++) {
			boolean declaredOnly = i % 2 == 1;
			counts.add(this.readers.submit(() -> {
				int lists = 0;
				while (this.reading.get() && System.nanoTime() - end < 0) {
					List<ServiceStatus> statuses = declaredOnly ? this.catalog.listDeclared() : this.catalog.list();
					assertThat(statuses).hasSize(PROGRAMS);
					lists++;
				}
				return lists;
			}));
		}
		return counts;
	}

	private static String programs() {
		StringBuilder programs = new StringBuilder();
		for (int i = 0; i < PROGRAMS; i++) {
			programs.append("[program:p").append(i).append("]\ncommand=/bin/sleep 100000\nstartsecs=0\n\n");
		}
		return programs.toString();
	}

}
