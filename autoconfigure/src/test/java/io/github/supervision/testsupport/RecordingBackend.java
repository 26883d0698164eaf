package io.github.supervision.testsupport;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.supervision.ActionResult;
import io.github.supervision.BackendAvailability;
import io.github.supervision.BackendUnavailableException;
import io.github.supervision.InvalidServiceNameException;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import io.github.supervision.ServiceStatusListener;
import io.github.supervision.Subscription;
import io.github.supervision.SupervisionBackend;
import io.github.supervision.SupervisionException;
import org.jspecify.annotations.Nullable;

/**
 * A backend for unit tests of the catalog and the endpoint's mapping: it answers from
 * memory and records every call, so that tests can prove which calls were (not) made.
 * Real backends are proven against their real daemons elsewhere.
 *
 * @author Supervision contributors
 */
public class RecordingBackend implements SupervisionBackend {

	private final String id;

	private final List<String> calls = Collections.synchronizedList(new ArrayList<>());

	private volatile BackendAvailability availability = BackendAvailability.up();

	private volatile ServiceState state = ServiceState.RUNNING;

	private volatile Duration actionDelay = Duration.ZERO;

	private volatile @Nullable SupervisionException actionFailure;

	private volatile List<String> discovered = List.of();

	private volatile String statusThread = "";

	private volatile Instant since;

	/**
	 * Create a backend with the given id.
	 * @param id the id
	 */
	public RecordingBackend(String id) {
		this.id = id;
	}

	@Override
	public String id() {
		return this.id;
	}

	/**
	 * Return the calls made so far, such as {@code status[a, b]} or
	 * {@code perform a restart}.
	 * @return the calls
	 */
	public List<String> calls() {
		synchronized (this.calls) {
			return List.copyOf(this.calls);
		}
	}

	/**
	 * Make the backend unreachable.
	 * @param reason why
	 */
	public void goDown(String reason) {
		this.availability = BackendAvailability.down(reason);
	}

	/**
	 * Make the backend reachable again.
	 */
	public void goUp() {
		this.availability = BackendAvailability.up();
	}

	/**
	 * Forget the calls recorded so far.
	 */
	public void clearCalls() {
		this.calls.clear();
	}

	/**
	 * Set the state every service reports.
	 * @param state the state
	 */
	public void setState(ServiceState state) {
		this.state = state;
	}

	/**
	 * Make actions fail with this exception, as a backend that cannot try them does.
	 * @param failure the exception, or {@code null} to let actions complete
	 */
	public void setActionFailure(@Nullable SupervisionException failure) {
		this.actionFailure = failure;
	}

	/**
	 * Make actions take this long to complete.
	 * @param delay the delay
	 */
	public void setActionDelay(Duration delay) {
		this.actionDelay = delay;
	}

	/**
	 * Set the instant every service reports as {@code since}.
	 * @param since the instant, or {@code null}
	 */
	public void setSince(Instant since) {
		this.since = since;
	}

	/**
	 * Make the backend discover services with the given targets.
	 * @param targets the targets it discovers
	 */
	public void setDiscovered(List<String> targets) {
		this.discovered = List.copyOf(targets);
	}

	/**
	 * Return the name of the thread the last status call ran on.
	 * @return the thread's name
	 */
	public String statusThread() {
		return this.statusThread;
	}

	@Override
	public boolean isDiscovering() {
		return !this.discovered.isEmpty();
	}

	@Override
	public List<ServiceStatus> discover(Duration timeout) {
		this.calls.add("discover");
		return this.discovered.stream().map(this::statusOf).toList();
	}

	@Override
	public BackendAvailability availability() {
		return this.availability;
	}

	@Override
	public void validateTarget(String target) {
		if (target.contains("/")) {
			throw new InvalidServiceNameException("no slashes");
		}
	}

	@Override
	public Map<String, ServiceStatus> status(Collection<String> targets, Duration timeout) {
		this.calls.add("status" + targets);
		this.statusThread = Thread.currentThread().getName();
		Map<String, ServiceStatus> result = new LinkedHashMap<>();
		for (String target : targets) {
			result.put(target, (this.availability.available()) ? statusOf(target)
					: ServiceStatus.unknown(target, this.id, target, this.availability.reason()));
		}
		return result;
	}

	@Override
	public CompletableFuture<ActionResult> perform(String target, ServiceAction action, Duration timeout) {
		if (!this.availability.available()) {
			return CompletableFuture.failedFuture(new BackendUnavailableException(
					"The " + this.id + " backend is not available: " + this.availability.reason()));
		}
		this.calls.add("perform " + target + " " + action.id());
		SupervisionException failure = this.actionFailure;
		if (failure != null) {
			return CompletableFuture.failedFuture(failure);
		}
		CompletableFuture<ActionResult> future = new CompletableFuture<>();
		CompletableFuture.delayedExecutor(this.actionDelay.toMillis(), TimeUnit.MILLISECONDS)
			.execute(() -> future
				.complete(new ActionResult(action, ActionResult.Outcome.DONE, "done", "done", statusOf(target))));
		return future;
	}

	@Override
	public Subscription watch(ServiceStatusListener listener) {
		return () -> {
		};
	}

	@Override
	public void close() {
	}

	private ServiceStatus statusOf(String target) {
		return new ServiceStatus(target, this.id, target, this.state, this.state.name(), 42L, this.since, 0, null, null,
				null, Map.of());
	}

}
