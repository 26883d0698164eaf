package io.github.supervision.embedded;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.github.supervision.ActionResult;
import io.github.supervision.ActionResult.Outcome;
import io.github.supervision.BackendAvailability;
import io.github.supervision.BackendUnavailableException;
import io.github.supervision.InvalidServiceNameException;
import io.github.supervision.LogTailCapability;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceLog;
import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import io.github.supervision.ServiceStatusListener;
import io.github.supervision.Subscription;
import io.github.supervision.SupervisionBackend;
import io.github.supervision.UnknownServiceException;
import org.jspecify.annotations.Nullable;

/**
 * {@link SupervisionBackend} that runs declared commands as child processes of the JVM,
 * with a supervisord-like state machine per service: raw states {@code STOPPED},
 * {@code STARTING}, {@code RUNNING}, {@code BACKOFF}, {@code STOPPING}, {@code EXITED}
 * and {@code FATAL}.
 * <p>
 * All state is owned by one thread ({@code embedded-supervisor}): process exits, timers
 * and actions are posted to it, so a service is never spawned twice. Blocking work
 * (waiting for a process tree to stop, reading a process's output) runs on pooled worker
 * threads, so that a spawn starts no thread of its own; listeners run on a notifier
 * thread. {@code START}, {@code STOP} and {@code RESTART} on one service run one after
 * the other.
 * <p>
 * A process that exits and is to run again waits a back-off delay first: the service's
 * {@code restartDelay}, doubled for each quick failure in a row (a run shorter than
 * {@link EmbeddedServiceSpec#healthyRun()}) up to {@code restartDelayMax}. After
 * {@code startRetries} retries of quick failures the service is given up ({@code FATAL});
 * a healthy run or a {@code START} clears the count.
 *
 * @author Supervision contributors
 */
public final class EmbeddedBackend implements SupervisionBackend, LogTailCapability {

	/**
	 * The backend's id.
	 */
	public static final String ID = "embedded";

	private static final Set<ServiceAction> SUPPORTED_ACTIONS = Set.copyOf(EnumSet.of(ServiceAction.START,
			ServiceAction.STOP, ServiceAction.RESTART, ServiceAction.RELOAD, ServiceAction.KILL));

	private static final System.Logger logger = System.getLogger(EmbeddedBackend.class.getName());

	private static final Duration KILL_GRACE = Duration.ofSeconds(2);

	private static final Set<State> STARTED_OR_GIVEN_UP = EnumSet.of(State.RUNNING, State.FATAL, State.STOPPED);

	private final Map<String, Service> services;

	private final Clock clock;

	private final ProcessTree tree;

	private final ScheduledThreadPoolExecutor supervisor;

	private final ThreadPoolExecutor workers;

	private final ThreadPoolExecutor notifier;

	private final List<Registration> listeners = new CopyOnWriteArrayList<>();

	private final Set<CompletableFuture<ActionResult>> pending = ConcurrentHashMap.newKeySet();

	private final Set<CompletableFuture<Void>> cleanups = ConcurrentHashMap.newKeySet();

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
		this.clock = clock;
		this.tree = tree;
		Map<String, Service> services = new LinkedHashMap<>();
		for (EmbeddedServiceSpec spec : specs) {
			if (services.putIfAbsent(spec.name(), new Service(spec)) != null) {
				throw new IllegalArgumentException("Embedded service '" + spec.name() + "' is declared twice");
			}
		}
		this.services = Map.copyOf(services);
		Instant now = clock.instant();
		for (Service service : this.services.values()) {
			service.since = now;
			publish(service);
		}
		this.supervisor = new ScheduledThreadPoolExecutor(1, threads("embedded-supervisor"));
		this.supervisor.setRemoveOnCancelPolicy(true);
		this.workers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
				threads("embedded-worker-"));
		this.notifier = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
				threads("embedded-notifier"));
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
			Service service = this.services.get(target);
			result.put(target, (service != null) ? service.status
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
		return service(name).status;
	}

	/**
	 * Return the latest output (stdout and stderr merged) of a service, at most its
	 * {@code tailBytes}, decoded as UTF-8.
	 * @param name the service's name
	 * @return the output's tail, empty when nothing was written
	 * @throws UnknownServiceException if no embedded service has that name
	 */
	public String tail(String name) {
		return service(name).tail.text();
	}

	@Override
	public ServiceLog tailLog(String target, int lines, Duration timeout) {
		OutputTail tail = service(target).tail;
		return ServiceLog.ofText(tail.text(), tail.written() > tail.capacity(), lines);
	}

	@Override
	public CompletableFuture<ActionResult> perform(String target, ServiceAction action, Duration timeout) {
		Service service = this.services.get(target);
		if (service == null) {
			return CompletableFuture.failedFuture(unknown(target));
		}
		if (this.closed.get()) {
			return CompletableFuture.failedFuture(new BackendUnavailableException(
					"The embedded supervisor has shut down with the application; no action is possible"));
		}
		if (!SUPPORTED_ACTIONS.contains(action)) {
			throw new IllegalArgumentException("The embedded supervisor has no '" + action.id() + "' action");
		}
		CompletableFuture<ActionResult> result = new CompletableFuture<>();
		this.pending.add(result);
		try {
			ScheduledFuture<?> deadline = this.supervisor.schedule(
					() -> complete(result,
							new ActionResult(action, Outcome.TIMEOUT,
									"The " + action.id() + " of '" + target + "' did not complete within "
											+ describe(timeout) + "; it may still complete",
									null, service.status)),
					nanos(timeout), TimeUnit.NANOSECONDS);
			result.whenComplete((r, ex) -> {
				deadline.cancel(false);
				this.pending.remove(result);
			});
			post(() -> {
				switch (action) {
					case KILL -> forward(kill(service), result);
					case RELOAD -> forward(reload(service), result);
					default -> enqueue(service, result, () -> act(service, action));
				}
			});
		}
		catch (RejectedExecutionException ex) {
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
		Registration registration = new Registration(listener);
		this.listeners.add(registration);
		return () -> this.listeners.remove(registration);
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
		for (Service service : this.services.values()) {
			if (service.spec.autostart()) {
				CompletableFuture<ActionResult> result = new CompletableFuture<>();
				post(() -> enqueue(service, result, () -> act(service, ServiceAction.START)));
			}
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
			.map((service) -> service.spec.stopTimeout())
			.max(Duration::compareTo)
			.orElse(Duration.ZERO)
			.plus(KILL_GRACE)
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
		CompletableFuture<Void> stopped = new CompletableFuture<>();
		try {
			long deadline = System.nanoTime() + nanos(bound);
			post(() -> forward(stopAll(), stopped));
			await(stopped, bound);
			await(CompletableFuture.allOf(this.cleanups.toArray(CompletableFuture[]::new)),
					Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
		}
		catch (RejectedExecutionException ex) {
			// nothing left to stop
		}
		for (CompletableFuture<ActionResult> result : List.copyOf(this.pending)) {
			result.complete(new ActionResult(ServiceAction.STOP, Outcome.CANCELED,
					"The embedded supervisor shut down with the application before the action completed", null, null));
		}
		this.supervisor.shutdownNow();
		this.workers.shutdown();
		this.notifier.shutdown();
		try {
			this.notifier.awaitTermination(1, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.notifier.shutdownNow();
		this.terminated.complete(null);
	}

	/**
	 * Return the full path of a command's executable as the process would find it, to
	 * check a configuration before anything runs.
	 * @param spec the service
	 * @return the executable, or {@code null} when it does not exist or cannot be run
	 */
	public static @Nullable Path findExecutable(EmbeddedServiceSpec spec) {
		String executable = spec.command().get(0);
		if (executable.isEmpty()) {
			return null;
		}
		if (executable.contains("/")) {
			Path path = Path.of(executable);
			if (!path.isAbsolute() && spec.workingDirectory() != null) {
				path = spec.workingDirectory().resolve(path);
			}
			return isExecutableFile(path) ? path : null;
		}
		String searchPath = spec.environment().getOrDefault("PATH", System.getenv("PATH"));
		if (searchPath == null) {
			return null;
		}
		for (String directory : searchPath.split(File.pathSeparator)) {
			if (!directory.isEmpty()) {
				Path candidate = Path.of(directory).resolve(executable);
				if (isExecutableFile(candidate)) {
					return candidate;
				}
			}
		}
		return null;
	}

	private static boolean isExecutableFile(Path path) {
		return Files.isRegularFile(path) && Files.isExecutable(path);
	}

	// Everything below runs on the supervisor thread unless it says otherwise.

	private CompletableFuture<ActionResult> act(Service service, ServiceAction action) {
		return switch (action) {
			case START -> startAction(service);
			case STOP -> stopAction(service, ServiceAction.STOP);
			case RESTART -> restartAction(service);
			default -> throw new IllegalStateException("Not a queued action: " + action);
		};
	}

	private void enqueue(Service service, CompletableFuture<ActionResult> result,
			Supplier<CompletableFuture<ActionResult>> action) {
		CompletableFuture<?> previous = service.queue;
		service.queue = result.handle((r, ex) -> null);
		previous.whenComplete((r, ex) -> post(() -> {
			if (!result.isDone()) {
				forward(action.get(), result);
			}
		}));
	}

	private CompletableFuture<ActionResult> startAction(Service service) {
		switch (service.state) {
			case RUNNING -> {
				return done(service, ServiceAction.START, Outcome.NO_CHANGE, "'" + service.name() + "' is running");
			}
			case STOPPING -> service.startAfterStop = true;
			case STARTING -> {
				// already starting: wait for the outcome
			}
			default -> {
				// an operator's start is a new series of attempts, without waiting out a
				// back-off
				service.failures = 0;
				spawn(service);
			}
		}
		return awaitState(service, STARTED_OR_GIVEN_UP).thenApply((state) -> switch (state) {
			case RUNNING -> result(service, ServiceAction.START, Outcome.DONE, "Started '" + service.name() + "'");
			case FATAL -> result(service, ServiceAction.START, Outcome.FAILED,
					"'" + service.name() + "' failed to start: " + service.message);
			default -> result(service, ServiceAction.START, Outcome.CANCELED,
					"'" + service.name() + "' was stopped before it started");
		});
	}

	private CompletableFuture<ActionResult> stopAction(Service service, ServiceAction action) {
		switch (service.state) {
			case STOPPED, EXITED, FATAL -> {
				return done(service, action, Outcome.NO_CHANGE, "'" + service.name() + "' is not running");
			}
			case BACKOFF -> {
				cancelTimer(service);
				transition(service, State.STOPPED, "Stopped while waiting to run it again");
			}
			case STARTING, RUNNING -> beginStop(service);
			default -> service.startAfterStop = false;
		}
		return awaitState(service, EnumSet.of(State.STOPPED)).thenApply((state) -> result(service, action, Outcome.DONE,
				"Stopped '" + service.name() + "'" + ((service.message != null) ? ": " + service.message : "")));
	}

	private CompletableFuture<ActionResult> restartAction(Service service) {
		if (service.state == State.STOPPED || service.state == State.EXITED || service.state == State.FATAL) {
			return startAction(service).thenApply((started) -> relabel(started, service));
		}
		return stopAction(service, ServiceAction.RESTART)
			.thenCompose((stopped) -> startAction(service).thenApply((started) -> relabel(started, service)));
	}

	private ActionResult relabel(ActionResult started, Service service) {
		String message = (started.outcome() == Outcome.DONE) ? "Restarted '" + service.name() + "'" : started.message();
		Outcome outcome = (started.outcome() == Outcome.NO_CHANGE) ? Outcome.DONE : started.outcome();
		return new ActionResult(ServiceAction.RESTART, outcome, message, started.backendResult(), service.status);
	}

	private CompletableFuture<ActionResult> reload(Service service) {
		Process process = service.process;
		if (process == null || (service.state != State.RUNNING && service.state != State.STARTING)) {
			return done(service, ServiceAction.RELOAD, Outcome.FAILED,
					"'" + service.name() + "' is not running (" + service.state + "); start it before reloading it");
		}
		long pid = process.pid();
		return CompletableFuture.supplyAsync(() -> this.tree.signal(pid, "HUP"), this.workers)
			.thenApplyAsync((sent) -> sent
					? new ActionResult(ServiceAction.RELOAD, Outcome.DONE,
							"Sent SIGHUP to '" + service.name() + "' (pid " + pid + ")", "SIGHUP", service.status)
					: result(service, ServiceAction.RELOAD, Outcome.FAILED,
							"Could not send SIGHUP to '" + service.name() + "'; it may have exited"),
					this.supervisor);
	}

	private CompletableFuture<ActionResult> kill(Service service) {
		Process process = service.process;
		if (process == null) {
			return done(service, ServiceAction.KILL, Outcome.NO_CHANGE, "'" + service.name() + "' is not running");
		}
		CompletableFuture<Integer> exited = service.exited;
		execute(() -> this.tree.kill(process.toHandle(), process.pid()));
		return exited.thenApply((status) -> result(service, ServiceAction.KILL, Outcome.DONE,
				"Killed '" + service.name() + "' (pid " + process.pid() + "); restart policy "
						+ service.spec.restart().name().toLowerCase(Locale.ROOT) + " applies"));
	}

	private void beginStop(Service service) {
		cancelTimer(service);
		Process process = service.process;
		if (process == null) {
			transition(service, State.STOPPED, null);
			return;
		}
		transition(service, State.STOPPING, null);
		Duration timeout = service.spec.stopTimeout();
		execute(() -> {
			ProcessTree.Termination termination = this.tree.terminate(process.toHandle(), process.pid(), timeout,
					KILL_GRACE);
			post(() -> stopped(service, process, termination));
		});
	}

	private void stopped(Service service, Process process, ProcessTree.Termination termination) {
		if (service.process != process || service.state != State.STOPPING) {
			return;
		}
		service.process = null;
		if (!process.isAlive()) {
			service.exitStatus = process.exitValue();
		}
		String message = switch (termination) {
			case EXITED -> null;
			case KILLED -> "Did not exit within " + describe(service.spec.stopTimeout()) + " of SIGTERM; killed";
			case SURVIVED ->
				"Some processes survived SIGKILL (uninterruptible, or escaped into a session of their own)";
		};
		transition(service, State.STOPPED, message);
		completeExit(service);
		if (service.startAfterStop) {
			service.startAfterStop = false;
			service.failures = 0;
			spawn(service);
		}
	}

	private void spawn(Service service) {
		cancelTimer(service);
		if (this.closed.get()) {
			transition(service, State.STOPPED, "Not started: the application is shutting down");
			return;
		}
		EmbeddedServiceSpec spec = service.spec;
		if (findExecutable(spec) == null) {
			transition(service, State.STARTING, null);
			runAgainLater(service,
					"Cannot run '" + Path.of(spec.command().get(0)).getFileName() + "': no such executable file", null,
					false);
			return;
		}
		ProcessBuilder builder = new ProcessBuilder(this.tree.command(spec.command()));
		if (spec.workingDirectory() != null) {
			builder.directory(spec.workingDirectory().toFile());
		}
		builder.environment().putAll(spec.environment());
		builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
		builder.redirectErrorStream(true);
		boolean capture = spec.tailBytes() > 0 || spec.logFile() != null;
		if (!capture) {
			builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
		}
		Process process;
		try {
			process = builder.start();
		}
		catch (IOException | RuntimeException ex) {
			transition(service, State.STARTING, null);
			runAgainLater(service, "Could not start the process: " + reason(ex), null, false);
			return;
		}
		service.process = process;
		service.spawnedAt = System.nanoTime();
		service.exited = new CompletableFuture<>();
		if (capture) {
			execute(() -> pump(service, process));
		}
		process.onExit().whenComplete((p, ex) -> post(() -> exited(service, process)));
		transition(service, State.STARTING, null);
		if (spec.startSeconds().isZero()) {
			transition(service, State.RUNNING, null);
		}
		else {
			service.timer = this.supervisor.schedule(() -> startSecondsPassed(service, process),
					nanos(spec.startSeconds()), TimeUnit.NANOSECONDS);
		}
	}

	private void startSecondsPassed(Service service, Process process) {
		if (service.process == process && service.state == State.STARTING) {
			service.timer = null;
			transition(service, State.RUNNING, null);
		}
	}

	private void exited(Service service, Process process) {
		if (service.process != process) {
			return;
		}
		CompletableFuture<Integer> exitedFuture = service.exited;
		int status = process.exitValue();
		service.exitStatus = status;
		if (service.state == State.STOPPING) {
			return;
		}
		service.process = null;
		cancelTimer(service);
		cleanUpGroup(service, process.pid());
		Duration ran = Duration.ofNanos(System.nanoTime() - service.spawnedAt);
		if (service.state == State.STARTING) {
			runAgainLater(service, "Exited with status " + status + " within " + describe(service.spec.startSeconds()),
					ran, false);
		}
		else if (service.state == State.RUNNING) {
			RestartPolicy policy = service.spec.restart();
			boolean restart = policy == RestartPolicy.ALWAYS || (policy == RestartPolicy.ON_FAILURE && status != 0);
			String why = "Exited with status " + status + " after running " + describe(ran);
			transition(service, State.EXITED, why);
			if (restart) {
				runAgainLater(service, why, ran, true);
			}
		}
		exitedFuture.complete(status);
	}

	/**
	 * Wait out a back-off delay before the next run of a service, or give it up after too
	 * many quick failures in a row. Every run shorter than a healthy run counts, also one
	 * that passed start-seconds: with start-seconds of zero every run does.
	 * @param service the service
	 * @param why what happened, for a person
	 * @param ran how long the process ran, or {@code null} when it could not be spawned
	 * @param restart whether the next run is a restart by the restart policy, which
	 * counts in the service's restarts
	 */
	private void runAgainLater(Service service, String why, @Nullable Duration ran, boolean restart) {
		EmbeddedServiceSpec spec = service.spec;
		Duration healthyRun = spec.healthyRun();
		service.failures = (ran == null || ran.compareTo(healthyRun) < 0) ? service.failures + 1 : 0;
		int retries = spec.startRetries();
		if (service.failures > retries) {
			String times = service.failures + " times in a row";
			String count = (ran != null) ? "exited " + times + " within " + describe(healthyRun) + " of its start"
					: "failed to start " + times;
			transition(service, State.FATAL, why + "; " + count + "; giving up until it is started again");
			return;
		}
		service.delay = (service.failures <= 1) ? spec.restartDelay() : doubled(service.delay, spec.restartDelayMax());
		String next = (service.failures == 0) ? "restart" : "retry " + service.failures + " of " + retries;
		transition(service, State.BACKOFF, why + "; " + next + " in " + describe(service.delay));
		service.timer = this.supervisor.schedule(() -> {
			if (service.state == State.BACKOFF) {
				service.timer = null;
				if (restart) {
					service.restarts++;
				}
				spawn(service);
			}
		}, nanos(service.delay), TimeUnit.NANOSECONDS);
	}

	private static Duration doubled(Duration delay, Duration max) {
		return (delay.compareTo(max.dividedBy(2)) >= 0) ? max : delay.multipliedBy(2);
	}

	private void cleanUpGroup(Service service, long pgid) {
		if (!this.tree.usesProcessGroups()) {
			return;
		}
		Duration timeout = service.spec.stopTimeout();
		try {
			CompletableFuture<Void> cleanup = CompletableFuture.runAsync(() -> {
				if (!this.tree.groupMembers(pgid).isEmpty()) {
					logger.log(System.Logger.Level.INFO,
							"Stopping processes left behind by embedded service ''{0}'' (process group {1})",
							service.name(), pgid);
					this.tree.terminate(null, pgid, timeout, KILL_GRACE);
				}
			}, this.workers);
			this.cleanups.add(cleanup);
			cleanup.whenComplete((done, ex) -> this.cleanups.remove(cleanup));
		}
		catch (RejectedExecutionException ex) {
			// shut down
		}
	}

	private CompletableFuture<Void> stopAll() {
		List<CompletableFuture<?>> stops = new ArrayList<>();
		for (Service service : this.services.values()) {
			service.startAfterStop = false;
			switch (service.state) {
				case BACKOFF -> {
					cancelTimer(service);
					transition(service, State.STOPPED, "Stopped with the application");
				}
				case STARTING, RUNNING -> {
					beginStop(service);
					stops.add(awaitState(service, EnumSet.of(State.STOPPED)));
				}
				case STOPPING -> stops.add(awaitState(service, EnumSet.of(State.STOPPED)));
				default -> {
				}
			}
		}
		return CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new));
	}

	private void transition(Service service, State state, @Nullable String message) {
		service.state = state;
		service.message = message;
		service.since = this.clock.instant();
		publish(service);
		ServiceStatus status = service.status;
		for (Registration registration : this.listeners) {
			notify(registration, status);
		}
		for (Iterator<Waiter> iterator = service.waiters.iterator(); iterator.hasNext();) {
			Waiter waiter = iterator.next();
			if (waiter.states().contains(state)) {
				iterator.remove();
				post(() -> waiter.future().complete(state));
			}
		}
	}

	private void publish(Service service) {
		Process process = service.process;
		State state = service.state;
		Long pid = (process != null && state != State.STOPPED) ? process.pid() : null;
		service.status = new ServiceStatus(service.name(), ID, service.name(), state.normalize(service.exitStatus),
				state.name(), pid, service.since, service.restarts, service.exitStatus, null, service.message,
				Map.of());
	}

	private void notify(Registration registration, ServiceStatus status) {
		try {
			this.notifier.execute(() -> {
				if (!this.listeners.contains(registration)) {
					return;
				}
				try {
					registration.listener().statusChanged(status);
				}
				catch (RuntimeException ex) {
					logger.log(System.Logger.Level.WARNING, "A service status listener failed: {0}",
							ex.getClass().getName());
				}
			});
		}
		catch (RejectedExecutionException ex) {
			// shut down
		}
	}

	private CompletableFuture<State> awaitState(Service service, Set<State> states) {
		if (states.contains(service.state)) {
			return CompletableFuture.completedFuture(service.state);
		}
		CompletableFuture<State> future = new CompletableFuture<>();
		service.waiters.add(new Waiter(states, future));
		return future;
	}

	private void completeExit(Service service) {
		Integer status = service.exitStatus;
		service.exited.complete((status != null) ? status : -1);
	}

	private void cancelTimer(Service service) {
		ScheduledFuture<?> timer = service.timer;
		if (timer != null) {
			timer.cancel(false);
			service.timer = null;
		}
	}

	private CompletableFuture<ActionResult> done(Service service, ServiceAction action, Outcome outcome,
			String message) {
		return CompletableFuture.completedFuture(result(service, action, outcome, message));
	}

	private ActionResult result(Service service, ServiceAction action, Outcome outcome, String message) {
		return new ActionResult(action, outcome, message, service.state.name(), service.status);
	}

	// Any thread.

	private void pump(Service service, Process process) {
		Path logFile = service.spec.logFile();
		OutputStream log = null;
		if (logFile != null) {
			try {
				log = Files.newOutputStream(logFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
						StandardOpenOption.WRITE);
			}
			catch (IOException ex) {
				logger.log(System.Logger.Level.WARNING,
						"Cannot append the output of embedded service ''{0}'' to its log file: {1}", service.name(),
						ex.getClass().getSimpleName());
			}
		}
		byte[] buffer = new byte[8192];
		try (InputStream input = process.getInputStream()) {
			int read;
			while ((read = input.read(buffer)) != -1) {
				service.tail.write(buffer, 0, read);
				if (log != null) {
					try {
						log.write(buffer, 0, read);
					}
					catch (IOException ex) {
						logger.log(System.Logger.Level.WARNING,
								"Stopped appending the output of embedded service ''{0}'' to its log file: {1}",
								service.name(), ex.getClass().getSimpleName());
						closeQuietly(log);
						log = null;
					}
				}
			}
		}
		catch (IOException ex) {
			// the pipe closed
		}
		finally {
			if (log != null) {
				closeQuietly(log);
			}
		}
	}

	private static String reason(Exception ex) {
		String message = ex.getMessage();
		int error = (message != null) ? message.indexOf("error=") : -1;
		return (error >= 0) ? message.substring(error) : ex.getClass().getSimpleName();
	}

	private static void closeQuietly(OutputStream stream) {
		try {
			stream.close();
		}
		catch (IOException ex) {
			// nothing more to write
		}
	}

	private Service service(String name) {
		Service service = this.services.get(name);
		if (service == null) {
			throw unknown(name);
		}
		return service;
	}

	private static UnknownServiceException unknown(String name) {
		return new UnknownServiceException(name, "No embedded service is declared under this name");
	}

	private void post(Runnable task) {
		this.supervisor.execute(() -> {
			try {
				task.run();
			}
			catch (RuntimeException ex) {
				logger.log(System.Logger.Level.ERROR, "The embedded supervisor failed to handle an event: {0}: {1}",
						ex.getClass().getName(), ex.getMessage());
			}
		});
	}

	private void execute(Runnable task) {
		try {
			this.workers.execute(task);
		}
		catch (RejectedExecutionException ex) {
			// shut down
		}
	}

	private <T> void forward(CompletableFuture<T> source, CompletableFuture<T> target) {
		source.whenComplete((value, ex) -> {
			if (ex != null) {
				target.completeExceptionally(ex);
			}
			else {
				complete(target, value);
			}
		});
	}

	private <T> void complete(CompletableFuture<T> future, T value) {
		try {
			this.workers.execute(() -> future.complete(value));
		}
		catch (RejectedExecutionException ex) {
			future.complete(value);
		}
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
					describe(bound));
		}
	}

	private static long nanos(Duration duration) {
		if (duration.isNegative()) {
			return 0;
		}
		try {
			return duration.toNanos();
		}
		catch (ArithmeticException ex) {
			return Long.MAX_VALUE;
		}
	}

	private static String describe(Duration duration) {
		long millis = duration.toMillis();
		if (millis % 1000 == 0 || millis >= 10_000) {
			return (millis / 1000) + " s";
		}
		return millis + " ms";
	}

	private static ThreadFactory threads(String name) {
		AtomicInteger count = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, name.endsWith("-") ? name + count.incrementAndGet() : name);
			thread.setDaemon(true);
			return thread;
		};
	}

	/**
	 * The raw states of an embedded service, as supervisord names them.
	 */
	enum State {

		/**
		 * Not running, by intent (never started, or stopped).
		 */
		STOPPED,

		/**
		 * Started, and not yet running for start-seconds.
		 */
		STARTING,

		/**
		 * Running for longer than start-seconds.
		 */
		RUNNING,

		/**
		 * Exited (or could not be spawned), and waiting out the back-off delay before it
		 * is run again.
		 */
		BACKOFF,

		/**
		 * Being stopped.
		 */
		STOPPING,

		/**
		 * Exited after it had been running, and not restarted (yet).
		 */
		EXITED,

		/**
		 * Exited within its healthy run, or could not be spawned, start-retries + 1 times
		 * in a row; given up.
		 */
		FATAL;

		ServiceState normalize(@Nullable Integer exitStatus) {
			return switch (this) {
				case STOPPED -> ServiceState.STOPPED;
				case STARTING, BACKOFF -> ServiceState.STARTING;
				case RUNNING -> ServiceState.RUNNING;
				case STOPPING -> ServiceState.STOPPING;
				case EXITED -> (exitStatus != null && exitStatus == 0) ? ServiceState.STOPPED : ServiceState.FAILED;
				case FATAL -> ServiceState.FAILED;
			};
		}

	}

	/**
	 * One embedded service and its state. Mutable fields belong to the supervisor thread;
	 * {@link #status} is read by any thread.
	 */
	private static final class Service {

		private final EmbeddedServiceSpec spec;

		private final OutputTail tail;

		private final List<Waiter> waiters = new ArrayList<>();

		private State state = State.STOPPED;

		private @Nullable Process process;

		private CompletableFuture<Integer> exited = CompletableFuture.completedFuture(-1);

		private @Nullable Instant since;

		private int restarts;

		private @Nullable Integer exitStatus;

		private @Nullable String message;

		private int failures;

		private Duration delay = Duration.ZERO;

		private long spawnedAt;

		private @Nullable ScheduledFuture<?> timer;

		private boolean startAfterStop;

		private CompletableFuture<?> queue = CompletableFuture.completedFuture(null);

		private volatile ServiceStatus status;

		Service(EmbeddedServiceSpec spec) {
			this.spec = spec;
			this.tail = new OutputTail(spec.tailBytes());
			this.status = ServiceStatus.unknown(spec.name(), ID, spec.name(), "Not started yet");
		}

		String name() {
			return this.spec.name();
		}

	}

	/**
	 * An action waiting for a service to reach one of some states.
	 *
	 * @param states the states
	 * @param future completed with the state reached
	 */
	private record Waiter(Set<State> states, CompletableFuture<State> future) {

	}

	/**
	 * A listener registration; its identity tells registrations of one listener apart.
	 */
	private static final class Registration {

		private final ServiceStatusListener listener;

		Registration(ServiceStatusListener listener) {
			this.listener = listener;
		}

		ServiceStatusListener listener() {
			return this.listener;
		}

	}

}
