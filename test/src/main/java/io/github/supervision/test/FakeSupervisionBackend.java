package io.github.supervision.test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.supervision.ActionResult;
import io.github.supervision.BackendAvailability;
import io.github.supervision.BackendUnavailableException;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import io.github.supervision.ServiceStatusListener;
import io.github.supervision.Subscription;
import io.github.supervision.SupervisionBackend;
import io.github.supervision.SupervisionException;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A {@link SupervisionBackend} that keeps its services in memory, for an application's
 * own tests: a test sets a service's state, makes an action fail, and reads the actions
 * that were asked for. It stands in for one real backend (its {@link #id() id} is that
 * backend's, such as {@code systemd}), so the application's declarations stay as they
 * are. Every service is {@code running} until a test or an action says otherwise; an
 * action changes the state as a supervisor would ({@code stop} leaves it {@code stopped},
 * {@code start} and {@code restart} leave it {@code running}).
 * <p>
 * Thread-safe; watchers are told of every change on the calling thread.
 *
 * @author Supervision contributors
 */
public class FakeSupervisionBackend implements SupervisionBackend {

	private final String id;

	private final Map<String, ServiceStatus> services = new ConcurrentHashMap<>();

	private final Map<String, Failure> failures = new ConcurrentHashMap<>();

	private final List<RecordedAction> actions = new CopyOnWriteArrayList<>();

	private final List<ServiceStatusListener> listeners = new CopyOnWriteArrayList<>();

	private volatile BackendAvailability availability = BackendAvailability.up();

	/**
	 * Create a fake backend that stands in for the backend with the given id.
	 * @param id the id of the backend it replaces: {@code systemd}, {@code runit},
	 * {@code supervisord}, {@code embedded}, or one of the application's own
	 */
	public FakeSupervisionBackend(String id) {
		Assert.hasText(id, "'id' must not be empty");
		this.id = id;
	}

	@Override
	public String id() {
		return this.id;
	}

	/**
	 * Set the state of a service, and tell the watchers.
	 * @param target the backend's name for the service (its {@code unit},
	 * {@code directory}, {@code program}, or the declared name of an embedded service)
	 * @param state the state it reports from now on
	 */
	public void setState(String target, ServiceState state) {
		Assert.notNull(state, "'state' must not be null");
		update(target, state);
	}

	/**
	 * Return the state a service reports now.
	 * @param target the backend's name for the service
	 * @return the state
	 */
	public ServiceState getState(String target) {
		return statusOf(target).state();
	}

	/**
	 * Make every following {@code action} on a service fail as a supervisor that tried it
	 * does: outcome {@code failed} with the given message (HTTP 502), the state
	 * unchanged.
	 * @param target the backend's name for the service
	 * @param action the action that fails
	 * @param message what the supervisor answered
	 */
	public void failAction(String target, ServiceAction action, String message) {
		this.failures.put(key(target, action), new Failure(message, null));
	}

	/**
	 * Make every following {@code action} on a service fail with the given exception, as
	 * a supervisor that could not be asked does (a {@link BackendUnavailableException} is
	 * HTTP 503, a {@code PermissionDeniedException} 500).
	 * @param target the backend's name for the service
	 * @param action the action that fails
	 * @param exception the exception the action completes with
	 */
	public void failAction(String target, ServiceAction action, SupervisionException exception) {
		Assert.notNull(exception, "'exception' must not be null");
		this.failures.put(key(target, action), new Failure(String.valueOf(exception.getMessage()), exception));
	}

	/**
	 * Make the backend unreachable: its services report {@code unknown} with the reason
	 * and actions fail with {@link BackendUnavailableException}.
	 * @param reason why
	 */
	public void setUnavailable(String reason) {
		this.availability = BackendAvailability.down(reason);
	}

	/**
	 * Return the actions asked of this backend so far, oldest first, including those that
	 * failed.
	 * @return the actions
	 */
	public List<RecordedAction> getActions() {
		return List.copyOf(this.actions);
	}

	/**
	 * Forget the states, failures and actions, and make the backend reachable again.
	 */
	public void reset() {
		this.services.clear();
		this.failures.clear();
		this.actions.clear();
		this.availability = BackendAvailability.up();
	}

	@Override
	public BackendAvailability availability() {
		return this.availability;
	}

	@Override
	public void validateTarget(String target) {
	}

	@Override
	public Map<String, ServiceStatus> status(Collection<String> targets, Duration timeout) {
		Map<String, ServiceStatus> result = new LinkedHashMap<>();
		BackendAvailability availability = this.availability;
		for (String target : targets) {
			result.put(target, availability.available() ? statusOf(target)
					: ServiceStatus.unknown(target, this.id, target, String.valueOf(availability.reason())));
		}
		return result;
	}

	@Override
	public CompletableFuture<ActionResult> perform(String target, ServiceAction action, Duration timeout) {
		this.actions.add(new RecordedAction(target, action));
		BackendAvailability availability = this.availability;
		if (!availability.available()) {
			return CompletableFuture.failedFuture(new BackendUnavailableException(
					"The " + this.id + " backend is not available: " + availability.reason()));
		}
		Failure failure = this.failures.get(key(target, action));
		if (failure != null) {
			SupervisionException exception = failure.exception();
			return (exception != null) ? CompletableFuture.failedFuture(exception)
					: CompletableFuture.completedFuture(new ActionResult(action, ActionResult.Outcome.FAILED,
							failure.message(), "failed", statusOf(target)));
		}
		ServiceState before = statusOf(target).state();
		ServiceState after = stateAfter(action, before);
		ServiceStatus status = (after != before) ? update(target, after) : statusOf(target);
		boolean changed = after != before || action == ServiceAction.RESTART || action == ServiceAction.RELOAD;
		ActionResult.Outcome outcome = changed ? ActionResult.Outcome.DONE : ActionResult.Outcome.NO_CHANGE;
		return CompletableFuture
			.completedFuture(new ActionResult(action, outcome, action.id() + ": " + outcome, "ok", status));
	}

	@Override
	public Subscription watch(ServiceStatusListener listener) {
		this.listeners.add(listener);
		return () -> this.listeners.remove(listener);
	}

	@Override
	public void close() {
		this.listeners.clear();
	}

	private static ServiceState stateAfter(ServiceAction action, ServiceState before) {
		return switch (action) {
			case START, RESTART, ONCE, CONTINUE -> ServiceState.RUNNING;
			case STOP, KILL -> ServiceState.STOPPED;
			default -> before;
		};
	}

	private ServiceStatus update(String target, ServiceState state) {
		ServiceStatus status = new ServiceStatus(target, this.id, target, state, state.name().toLowerCase(Locale.ROOT),
				(state == ServiceState.RUNNING) ? 1L : null, Instant.now(), 0, null, null, null, Map.of());
		this.services.put(target, status);
		List<ServiceStatusListener> listeners = new ArrayList<>(this.listeners);
		listeners.forEach((listener) -> listener.statusChanged(status));
		return status;
	}

	private ServiceStatus statusOf(String target) {
		ServiceStatus status = this.services.get(target);
		return (status != null) ? status : this.services.computeIfAbsent(target, (name) -> new ServiceStatus(name,
				this.id, name, ServiceState.RUNNING, "running", 1L, Instant.now(), 0, null, null, null, Map.of()));
	}

	private static String key(String target, ServiceAction action) {
		return target + "\n" + action.id();
	}

	/**
	 * An action asked of the backend.
	 *
	 * @param target the backend's name for the service
	 * @param action the action
	 */
	public record RecordedAction(String target, ServiceAction action) {

	}

	private record Failure(String message, @Nullable SupervisionException exception) {

	}

}
