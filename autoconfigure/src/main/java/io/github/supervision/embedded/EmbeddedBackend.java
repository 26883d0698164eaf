package io.github.supervision.embedded;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.supervision.ActionResult;
import io.github.supervision.ActionResult.Outcome;
import io.github.supervision.BackendAvailability;
import io.github.supervision.BackendUnavailableException;
import io.github.supervision.InvalidServiceNameException;
import io.github.supervision.LogTailCapability;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceCapability;
import io.github.supervision.ServiceLog;
import io.github.supervision.ServiceSignal;
import io.github.supervision.ServiceStatus;
import io.github.supervision.ServiceStatusListener;
import io.github.supervision.SignalCapability;
import io.github.supervision.Subscription;
import io.github.supervision.SupervisionBackend;
import io.github.supervision.UnknownServiceException;
import io.github.supervision.support.Listeners;
import org.jspecify.annotations.Nullable;

/**
 * {@link SupervisionBackend} that runs declared commands as child processes of the JVM,
 * with a supervisord-like state machine per service: raw states {@code STOPPED},
 * {@code STARTING}, {@code RUNNING}, {@code BACKOFF}, {@code STOPPING}, {@code EXITED}
 * and {@code FATAL}.
 * <p>
 * This class is the backend's face: it validates names, answers status from memory, and
 * posts actions, starts and the shutdown to the services. Each service's state machine
 * ({@link SupervisedService}) is owned by one thread ({@code embedded-supervisor-1}, see
 * {@link SupervisorThreads}): process exits, timers and actions are posted to it, so a
 * service is never spawned twice. Blocking work (waiting for a process tree to stop,
 * reading a process's output, see {@link ProcessLauncher}) runs on pooled worker threads,
 * so that a spawn starts no thread of its own; listeners run on a notifier thread.
 * {@code START}, {@code STOP} and {@code RESTART} on one service run one after the other.
 *
 * @author Supervision contributors
 */
public final class EmbeddedBackend implements SupervisionBackend, LogTailCapability, SignalCapability {

	/**
	 * The backend's id.
	 */
	public static final String ID = "embedded";

	private static final Set<ServiceAction> SUPPORTED_ACTIONS = Set.copyOf(EnumSet.of(ServiceAction.START,
			ServiceAction.STOP, ServiceAction.RESTART, ServiceAction.RELOAD, ServiceAction.KILL));

	private static final System.Logger logger = System.getLogger(EmbeddedBackend.class.getName());

	private final Map<String, SupervisedService> services;

	private final SupervisorThreads threads;

	private final ProcessLauncher launcher;

	private final Listeners<ServiceStatusListener> listeners = new Listeners<>();

	private final Set<CompletableFuture<ActionResult>> pending = ConcurrentHashMap.newKeySet();

	private final AtomicBoolean started = new AtomicBoolean();

	private final AtomicBoolean closed = new AtomicBoolean();

	private final CompletableFuture<Void> terminated = new CompletableFuture<>();

	private final Thread shutdownHook;

	/**
	 * Create a backend for the given services.
	 * @param specs the services
	 */
	public EmbeddedBackend(Collection<EmbeddedServiceSpec> specs) {
		this(specs, Clock.systemUTC());
	}

	/**
	 * Create a backend for the given services.
	 * @param specs the services
	 * @param clock the clock that stamps state changes
	 */
	public EmbeddedBackend(Collection<EmbeddedServiceSpec> specs, Clock clock) {
		this(specs, clock, new ProcessTree());
	}

	EmbeddedBackend(Collection<EmbeddedServiceSpec> specs, Clock clock, ProcessTree tree) {
		this.threads = new SupervisorThreads();
		this.launcher = new ProcessLauncher(tree, this.threads);
		Map<String, SupervisedService> services = new LinkedHashMap<>();
		for (EmbeddedServiceSpec spec : specs) {
			SupervisedService service = new SupervisedService(spec, this.threads, this.launcher, clock,
					this::statusChanged, this.closed::get);
			if (services.putIfAbsent(spec.name(), service) != null) {
				throw new IllegalArgumentException("Embedded service '" + spec.name() + "' is declared twice");
			}
		}
		this.services = Map.copyOf(services);
		this.shutdownHook = new Thread(this::close, "embedded-shutdown");
	}

	@Override
	public String id() {
		return ID;
	}

	@Override
	public BackendAvailability availability() {
		if (this.closed.get()) {
			return BackendAvailability.down("The embedded supervisor has shut down with the application");
		}
		return BackendAvailability.up();
	}

	/**
	 * Accept only the names of declared services.
	 * @param target the service's name
	 * @throws InvalidServiceNameException if no embedded service has that name
	 */
	@Override
	public void validateTarget(String target) {
		if (target == null || !this.services.containsKey(target)) {
			throw new InvalidServiceNameException(
					"No embedded service is declared under this name: declare it with a 'command'");
		}
	}

	/**
	 * Return the names of the services this backend runs.
	 * @return the names
	 */
	public Set<String> serviceNames() {
		return this.services.keySet();
	}

	@Override
	public Map<String, ServiceStatus> status(Collection<String> targets, Duration timeout) {
		Map<String, ServiceStatus> result = new LinkedHashMap<>();
		for (String target : targets) {
			SupervisedService service = this.services.get(target);
			result.put(target, (service != null) ? service.status()
					: ServiceStatus.unknown(target, ID, target, "No embedded service is declared under this name"));
		}
		return result;
	}

	/**
	 * Return the status of one service, from memory.
	 * @param name the service's name
	 * @return its status
	 * @throws UnknownServiceException if no embedded service has that name
	 */
	public ServiceStatus status(String name) {
		return service(name).status();
	}

	/**
	 * Return the latest output (stdout and stderr merged) of a service, at most its
	 * {@code tailBytes}, decoded as UTF-8.
	 * @param name the service's name
	 * @return the output's tail, empty when nothing was written
	 * @throws UnknownServiceException if no embedded service has that name
	 */
	public String tail(String name) {
		return service(name).tail().text();
	}

	@Override
	public ServiceLog tailLog(String target, int lines, Duration timeout) {
		OutputTail tail = service(target).tail();
		return ServiceLog.ofText(tail.text(), tail.written() > tail.capacity(), lines);
	}

	@Override
	public CompletableFuture<ActionResult> perform(String target, ServiceAction action, Duration timeout) {
		return act(target, action, null, timeout);
	}

	/**
	 * Send a signal to a service's process group (its main process and every process it
	 * started, as {@code kill -SIG -pgid}; the main process only where process groups are
	 * not used). The restart policy applies as usual to a process the signal ends.
	 * @param target the service
	 * @param signal the signal
	 * @param timeout the deadline
	 * @return the result
	 */
	@Override
	public CompletableFuture<ActionResult> signal(String target, ServiceSignal signal, Duration timeout) {
		Objects.requireNonNull(signal, "'signal' must not be null");
		return act(target, ServiceAction.SIGNAL, signal, timeout);
	}

	/**
	 * Say why the embedded supervisor has no enable, disable or reset-failed.
	 * @param capability a capability this backend does not offer
	 * @return the reason, or {@code null}
	 */
	@Override
	public @Nullable String unsupportedReason(ServiceCapability<?> capability) {
		if (capability == ServiceCapability.ENABLE) {
			return "an embedded service starts with the application when its 'autostart' property says so; "
					+ "change the property instead";
		}
		if (capability == ServiceCapability.RESET_FAILED) {
			return "a start clears an embedded service's FATAL state; start it instead";
		}
		return null;
	}

	private CompletableFuture<ActionResult> act(String target, ServiceAction action, @Nullable ServiceSignal signal,
			Duration timeout) {
		SupervisedService service = this.services.get(target);
		if (service == null) {
			return CompletableFuture.failedFuture(unknown(target));
		}
		if (this.closed.get()) {
			return CompletableFuture.failedFuture(new BackendUnavailableException(
					"The embedded supervisor has shut down with the application; no action is possible"));
		}
		if ((signal != null) ? action != ServiceAction.SIGNAL : !SUPPORTED_ACTIONS.contains(action)) {
			throw new IllegalArgumentException("The embedded supervisor has no '" + action.id() + "' action");
		}
		CompletableFuture<ActionResult> result = new CompletableFuture<>();
		this.pending.add(result);
		ScheduledFuture<?> deadline = this.threads
			.schedule(() -> this.threads.complete(result, new ActionResult(action, Outcome.TIMEOUT,
					"The " + action.id() + " of '" + target + "' did not complete within "
							+ SupervisedService.describe(timeout) + "; it may still complete",
					null, service.status())), timeout);
		result.whenComplete((r, ex) -> {
			if (deadline != null) {
				deadline.cancel(false);
			}
			this.pending.remove(result);
		});
		if (deadline == null || !this.threads.post(() -> service.perform(action, signal, result))) {
			result.completeExceptionally(new BackendUnavailableException(
					"The embedded supervisor has shut down with the application; no action is possible"));
		}
		return result;
	}

	@Override
	public Set<ServiceAction> supportedActions() {
		return SUPPORTED_ACTIONS;
	}

	@Override
	public Subscription watch(ServiceStatusListener listener) {
		return this.listeners.add(listener)::run;
	}

	/**
	 * Start the services marked {@code autostart}, without waiting for them. Calling it
	 * again does nothing.
	 */
	@Override
	public void start() {
		if (this.closed.get() || !this.started.compareAndSet(false, true)) {
			return;
		}
		try {
			Runtime.getRuntime().addShutdownHook(this.shutdownHook);
		}
		catch (IllegalStateException ex) {
			// the JVM is already shutting down
		}
		Deque<SupervisedService> autostart = new ArrayDeque<>();
		this.services.values().stream().filter((service) -> service.spec().autostart()).forEach(autostart::add);
		this.threads.post(() -> startNext(autostart));
	}

	// on the supervisor thread: one service per turn, so that the timers, exits and
	// actions that come due meanwhile are not queued behind every autostart
	private void startNext(Deque<SupervisedService> autostart) {
		SupervisedService service = autostart.poll();
		if (service == null || this.closed.get()) {
			return;
		}
		service.perform(ServiceAction.START, new CompletableFuture<>());
		if (!autostart.isEmpty()) {
			this.threads.post(() -> startNext(autostart));
		}
	}

	/**
	 * Stop every service's process tree (SIGTERM, then SIGKILL after its stop timeout,
	 * all services at once), wait for them within the longest stop timeout plus a grace
	 * period, and end the backend's threads. Pending actions complete as
	 * {@code CANCELED}. Calling it again waits for the first call to finish.
	 */
	@Override
	public void close() {
		Duration bound = this.services.values()
			.stream()
			.map((service) -> service.spec().stopTimeout())
			.max(Duration::compareTo)
			.orElse(Duration.ZERO)
			.plus(ProcessLauncher.KILL_GRACE)
			.plusSeconds(3);
		if (!this.closed.compareAndSet(false, true)) {
			await(this.terminated, bound);
			return;
		}
		try {
			Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
		}
		catch (IllegalStateException ex) {
			// the JVM is shutting down, perhaps in this very hook
		}
		long deadline = System.nanoTime() + SupervisorThreads.nanos(bound);
		CompletableFuture<Void> stopped = new CompletableFuture<>();
		if (this.threads.post(() -> this.threads.forward(stopAll(), stopped))) {
			await(stopped, bound);
		}
		await(this.launcher.cleanedUp(), Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
		for (CompletableFuture<ActionResult> result : List.copyOf(this.pending)) {
			result.complete(new ActionResult(ServiceAction.STOP, Outcome.CANCELED,
					"The embedded supervisor shut down with the application before the action completed", null, null));
		}
		this.threads.shutdown();
		this.terminated.complete(null);
	}

	/**
	 * Return the full path of a command's executable as the process would find it, to
	 * check a configuration before anything runs.
	 * @param spec the service
	 * @return the executable, or {@code null} when it does not exist or cannot be run
	 */
	public static @Nullable Path findExecutable(EmbeddedServiceSpec spec) {
		return ProcessLauncher.findExecutable(spec);
	}

	// on the supervisor thread
	private CompletableFuture<Void> stopAll() {
		return CompletableFuture.allOf(this.services.values()
			.stream()
			.map(SupervisedService::stopWithApplication)
			.toArray(CompletableFuture[]::new));
	}

	// on the supervisor thread
	private void statusChanged(ServiceStatus status) {
		this.threads.notify(() -> this.listeners.forEach((listener) -> {
			try {
				listener.statusChanged(status);
			}
			catch (RuntimeException ex) {
				logger.log(System.Logger.Level.WARNING, "A service status listener failed: {0}",
						ex.getClass().getName());
			}
		}));
	}

	private SupervisedService service(String name) {
		SupervisedService service = this.services.get(name);
		if (service == null) {
			throw unknown(name);
		}
		return service;
	}

	private static UnknownServiceException unknown(String name) {
		return new UnknownServiceException(name, "No embedded service is declared under this name");
	}

	private static void await(CompletableFuture<?> future, Duration bound) {
		try {
			future.get(bound.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			logger.log(System.Logger.Level.WARNING, "The embedded supervisor did not stop every service within {0}",
					SupervisedService.describe(bound));
		}
	}

}
