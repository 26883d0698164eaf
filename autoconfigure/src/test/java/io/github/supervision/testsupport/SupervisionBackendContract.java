package io.github.supervision.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.github.supervision.ActionInProgressException;
import io.github.supervision.ActionResult;
import io.github.supervision.ActionResult.Outcome;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceSignal;
import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import io.github.supervision.SignalCapability;
import io.github.supervision.Subscription;
import io.github.supervision.SupervisionBackend;
import io.github.supervision.UnknownServiceException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The contract every {@link SupervisionBackend} passes against its real supervisor: each
 * case acts through the backend and checks the result against what the supervisor's own
 * tool reports ({@code systemctl show}, {@code sv status}, {@code supervisorctl}, or
 * {@code /proc} for child processes).
 * <p>
 * A backend's contract test is a subclass that starts the supervisor (usually with one of
 * the extensions in this package), builds the backend as its other tests do, and names
 * two services the supervisor runs, a long-running one and one that takes a second or
 * more to stop after TERM: <pre class="code">
 * &#64;RealDaemonTest
 * class RunitBackendContractTests extends SupervisionBackendContract {
 *
 *     &#64;RegisterExtension
 *     static final Runsvdir runsvdir = Runsvdir.withServices(...);
 *
 *     &#64;Override
 *     protected SupervisionBackend createBackend() { ... }
 *
 *     &#64;Override
 *     protected NativeStatus nativeStatus(String target) { ... parse sv status ... }
 *
 * }</pre> The test instance lives for the whole class ({@code PER_CLASS}), so the backend
 * is created after the class's extensions started the supervisor and closed before they
 * stop it.
 *
 * @author Supervision contributors
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SupervisionBackendContract {

	/**
	 * The deadline of the actions that are expected to complete: far above what they take
	 * (well under a second each, a few seconds for the embedded backend's eight queued
	 * concurrent actions), so that a machine busy with other builds does not fail them.
	 */
	protected static final Duration TIMEOUT = Duration.ofSeconds(20);

	/**
	 * The deadline of the action that cannot complete in time.
	 */
	protected static final Duration SHORT_DEADLINE = Duration.ofMillis(500);

	/**
	 * How late after its deadline a backend may answer: {@code ServiceCatalog} waits this
	 * much longer before it answers a status-less {@code TIMEOUT} of its own.
	 */
	protected static final Duration DEADLINE_SLACK = Duration.ofMillis(1000);

	private static final Set<Outcome> CONCURRENT_OUTCOMES = EnumSet.of(Outcome.DONE, Outcome.NO_CHANGE,
			Outcome.CANCELED);

	private static final int THREADS = 8;

	private @Nullable SupervisionBackend backend;

	/**
	 * Build the backend under test, once the supervisor runs.
	 * @return the backend
	 * @throws Exception on failure
	 */
	protected abstract SupervisionBackend createBackend() throws Exception;

	/**
	 * Return the target of a long-running service (the contract starts it when it does
	 * not run).
	 * @return the target
	 */
	protected abstract String longRunning();

	/**
	 * Return the target of a service that takes well over {@link #SHORT_DEADLINE} to stop
	 * after TERM, and stops by itself within a few seconds.
	 * @return the target
	 */
	protected abstract String slowToStop();

	/**
	 * Return a target that passes the backend's naming rules but names no service.
	 * @return the target
	 */
	protected abstract String unknown();

	/**
	 * Ask the supervisor's own tool what it reports about a service.
	 * @param target the target
	 * @return what the tool reports
	 * @throws Exception on failure
	 */
	protected abstract NativeStatus nativeStatus(String target) throws Exception;

	/**
	 * Whether the process with the given pid (as {@link #nativeStatus(String)} reports
	 * it) has a handler for a signal. A shell that gets TERM before it has set its trap
	 * dies at once, so the slow stop waits for it. The default reads the host's
	 * {@code /proc}.
	 * @param pid the pid
	 * @param signal the signal's number
	 * @return whether it catches the signal
	 * @throws Exception on failure
	 */
	protected boolean catchesSignal(long pid, int signal) throws Exception {
		return Commands.catchesSignal(Files.readString(Path.of("/proc/" + pid + "/status")), signal);
	}

	@BeforeAll
	void startBackend() throws Exception {
		this.backend = createBackend();
	}

	@AfterAll
	void closeBackend() {
		if (this.backend != null) {
			this.backend.close();
		}
	}

	/**
	 * Return the backend under test.
	 * @return the backend
	 */
	protected final SupervisionBackend backend() {
		SupervisionBackend backend = this.backend;
		assertThat(backend).as("the backend").isNotNull();
		return backend;
	}

	@Test
	void startOfARunningServiceChangesNothing() throws Exception {
		String target = longRunning();
		long pid = ensureRunning(target);
		ActionResult result = perform(target, ServiceAction.START);
		assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.NO_CHANGE);
		NativeStatus after = nativeStatus(target);
		assertThat(after.running()).as(after.report()).isTrue();
		assertThat(after.pid()).as(after.report()).isEqualTo(pid);
		assertThat(result.status()).isNotNull();
		assertThat(result.status().state()).isEqualTo(ServiceState.RUNNING);
		assertThat(result.status().pid()).isEqualTo(pid);
	}

	@Test
	void actionPastItsDeadlineAnswersTimeoutInTime() throws Exception {
		String target = slowToStop();
		long pid = ensureRunning(target);
		await(target + " to trap TERM").atMost(Duration.ofSeconds(5)).until(() -> catchesSignal(pid, 15));
		long start = System.nanoTime();
		CompletableFuture<ActionResult> future = backend().perform(target, ServiceAction.STOP, SHORT_DEADLINE);
		ActionResult result = future.get(SHORT_DEADLINE.plus(TIMEOUT).toMillis(), TimeUnit.MILLISECONDS);
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.TIMEOUT);
		// a backend may end its calls early to keep time for reading the state back
		assertThat(took).as("answer to a stop with a deadline of %s", SHORT_DEADLINE)
			.isGreaterThanOrEqualTo(SHORT_DEADLINE.dividedBy(2))
			.isLessThan(SHORT_DEADLINE.plus(DEADLINE_SLACK));
		// the stop was still going on when the deadline passed, and ends by itself
		await(target + " to stop").atMost(TIMEOUT).until(() -> !nativeStatus(target).running());
	}

	@Test
	void unknownServiceIsUnknownAndCannotBeActedOn() {
		String target = unknown();
		ServiceStatus status = backend().status(List.of(target), TIMEOUT).get(target);
		assertThat(status).isNotNull();
		assertThat(status.state()).isEqualTo(ServiceState.UNKNOWN);
		assertThat(status.target()).isEqualTo(target);
		assertThat(status.message()).isNotBlank();
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> backend().perform(target, ServiceAction.START, TIMEOUT)
				.get(TIMEOUT.plus(DEADLINE_SLACK).toMillis(), TimeUnit.MILLISECONDS))
			.withCauseInstanceOf(UnknownServiceException.class);
	}

	@Test
	void aSignalReachesTheRunningServiceWithoutChangingItsProcess() throws Exception {
		SignalCapability signals = backend().capability(SignalCapability.class).orElse(null);
		assumeThat(signals).as("the backend sends signals").isNotNull();
		String target = longRunning();
		long pid = ensureRunning(target);
		// CONT: every supervisor can send it, and it leaves a running process as it is
		ActionResult result = signals.signal(target, ServiceSignal.CONT, TIMEOUT)
			.get(TIMEOUT.plus(DEADLINE_SLACK).toMillis(), TimeUnit.MILLISECONDS);
		assertThat(result.action()).isEqualTo(ServiceAction.SIGNAL);
		assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.DONE);
		NativeStatus after = nativeStatus(target);
		assertThat(after.running()).as(after.report()).isTrue();
		assertThat(after.pid()).as(after.report()).isEqualTo(pid);
		assertThat(result.status()).isNotNull();
		assertThat(result.status().pid()).isEqualTo(pid);
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> signals.signal(unknown(), ServiceSignal.CONT, TIMEOUT)
				.get(TIMEOUT.plus(DEADLINE_SLACK).toMillis(), TimeUnit.MILLISECONDS))
			.withCauseInstanceOf(UnknownServiceException.class);
	}

	@Test
	void restartReadsBackTheNewProcessTheSupervisorReports() throws Exception {
		String target = longRunning();
		long before = ensureRunning(target);
		ActionResult result = perform(target, ServiceAction.RESTART);
		assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.DONE);
		NativeStatus after = nativeStatus(target);
		assertThat(after.running()).as(after.report()).isTrue();
		assertThat(after.pid()).as(after.report()).isNotNull().isNotEqualTo(before);
		assertThat(result.status()).isNotNull();
		assertThat(result.status().state()).isEqualTo(ServiceState.RUNNING);
		assertThat(result.status().pid()).isEqualTo(after.pid());
	}

	@Test
	void listenerHearsOfAStop() throws Exception {
		String target = longRunning();
		ensureRunning(target);
		List<ServiceStatus> seen = new CopyOnWriteArrayList<>();
		try (Subscription subscription = backend().watch(seen::add)) {
			ActionResult stopped = perform(target, ServiceAction.STOP);
			assertThat(stopped.outcome()).as(stopped.message()).isEqualTo(Outcome.DONE);
			NativeStatus after = nativeStatus(target);
			assertThat(after.running()).as(after.report()).isFalse();
			await("a STOPPED event for " + target).atMost(Duration.ofSeconds(5))
				.until(() -> seen.stream()
					.anyMatch((status) -> status.target().equals(target) && status.state() == ServiceState.STOPPED));
		}
		finally {
			perform(target, ServiceAction.START);
		}
	}

	@Test
	void concurrentActionsOnOneServiceAllCompleteInTime() throws Exception {
		String target = longRunning();
		ensureRunning(target);
		List<ServiceAction> actions = List.of(ServiceAction.RESTART, ServiceAction.STOP, ServiceAction.START);
		ExecutorService threads = Executors.newFixedThreadPool(THREADS);
		try {
			CountDownLatch go = new CountDownLatch(1);
			List<CompletableFuture<Answer>> answers = new ArrayList<>();
			for (int i = 0; i < THREADS; i++) {
				ServiceAction action = actions.get(i % actions.size());
				answers.add(CompletableFuture.supplyAsync(() -> answer(go, target, action), threads));
			}
			go.countDown();
			CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
				.get(TIMEOUT.plus(DEADLINE_SLACK).toMillis() + 5000, TimeUnit.MILLISECONDS);
			for (CompletableFuture<Answer> future : answers) {
				Answer answer = future.join();
				assertThat(answer.took()).as(answer.toString()).isLessThan(TIMEOUT.plus(DEADLINE_SLACK));
				if (answer.failure() != null) {
					assertThat(answer.failure()).as(answer.toString()).isInstanceOf(ActionInProgressException.class);
				}
				else {
					assertConcurrentResult(answer);
				}
			}
		}
		finally {
			threads.shutdownNow();
		}
		ActionResult started = perform(target, ServiceAction.START);
		assertThat(started.isSuccessful()).as(started.message()).isTrue();
		NativeStatus after = nativeStatus(target);
		assertThat(after.running()).as(after.report()).isTrue();
		assertThat(started.status()).isNotNull();
		assertThat(started.status().state()).isEqualTo(ServiceState.RUNNING);
		assertThat(started.status().pid()).isEqualTo(after.pid());
	}

	// An action that a later one overtook answers CANCELED, or NO_CHANGE when it found
	// the work done. systemd also answers FAILED for a start or restart whose job ended
	// 'done' when a later stop job had already taken the unit down by the read-back
	// (JobOutcomes: "inactive/dead after the start job"): allowed, as long as the status
	// read back shows what the failure says. A supervisord stop that a concurrent start
	// revives never completes inside supervisord (stopProcess waits for a stopped state),
	// so it answers TIMEOUT at its deadline, which the bound on 'took' holds. Through the
	// catalog none of this is met: it keeps one action at a time per service
	// (ActionPolicy).
	private static void assertConcurrentResult(Answer answer) {
		ActionResult result = answer.result();
		assertThat(result).as(answer.toString()).isNotNull();
		if (result.outcome() == Outcome.TIMEOUT) {
			return;
		}
		if (result.outcome() == Outcome.FAILED) {
			assertThat(answer.action()).as(answer.toString()).isIn(ServiceAction.START, ServiceAction.RESTART);
			assertThat(result.status()).as(answer.toString()).isNotNull();
			assertThat(result.status().state().isUp()).as(answer.toString()).isFalse();
			return;
		}
		assertThat(result.outcome()).as(answer.toString()).isIn(CONCURRENT_OUTCOMES);
	}

	private Answer answer(CountDownLatch go, String target, ServiceAction action) {
		try {
			go.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		long start = System.nanoTime();
		try {
			ActionResult result = backend().perform(target, action, TIMEOUT)
				.get(TIMEOUT.plus(DEADLINE_SLACK).toMillis() + 5000, TimeUnit.MILLISECONDS);
			return new Answer(action, result, null, Duration.ofNanos(System.nanoTime() - start));
		}
		catch (ExecutionException ex) {
			return new Answer(action, null, ex.getCause(), Duration.ofNanos(System.nanoTime() - start));
		}
		catch (Exception ex) {
			return new Answer(action, null, ex, Duration.ofNanos(System.nanoTime() - start));
		}
	}

	/**
	 * Start a service through the backend unless the supervisor reports it running, and
	 * return the pid the supervisor reports.
	 * @param target the target
	 * @return the pid
	 * @throws Exception on failure
	 */
	private long ensureRunning(String target) throws Exception {
		if (!nativeStatus(target).running()) {
			ActionResult result = perform(target, ServiceAction.START);
			assertThat(result.isSuccessful()).as(result.message()).isTrue();
		}
		return awaitRunning(target);
	}

	private long awaitRunning(String target) {
		NativeStatus running = await(target + " to run").atMost(TIMEOUT)
			.until(() -> nativeStatus(target), (status) -> status.running() && status.pid() != null);
		assertThat(running.pid()).isNotNull();
		return running.pid();
	}

	private ActionResult perform(String target, ServiceAction action) throws Exception {
		return backend().perform(target, action, TIMEOUT)
			.get(TIMEOUT.plus(DEADLINE_SLACK).toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * What a supervisor's own tool reports about a service.
	 *
	 * @param running whether the tool reports it running
	 * @param pid its main process as the tool reports it, or {@code null}
	 * @param report the tool's own words, for failure messages
	 */
	public record NativeStatus(boolean running, @Nullable Long pid, String report) {

	}

	private record Answer(ServiceAction action, @Nullable ActionResult result, @Nullable Throwable failure,
			Duration took) {

	}

}
