package io.github.supervision.supervisord;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

import io.github.supervision.ActionResult;
import io.github.supervision.ActionResult.Outcome;
import io.github.supervision.BackendAvailability;
import io.github.supervision.BackendUnavailableException;
import io.github.supervision.InvalidServiceNameException;
import io.github.supervision.PermissionDeniedException;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import io.github.supervision.ServiceStatusListener;
import io.github.supervision.Subscription;
import io.github.supervision.SupervisionBackend;
import io.github.supervision.SupervisionException;
import io.github.supervision.SupervisionTimeoutException;
import io.github.supervision.UnknownServiceException;
import org.jspecify.annotations.Nullable;

/**
 * The supervisord backend: programs ({@code web} or {@code group:web-1}) seen and
 * controlled over supervisord's XML-RPC interface. The status of every program comes from
 * one {@code getAllProcessInfo} call, kept for a poll interval; while listeners are
 * registered the backend polls at that interval and pushes the changes it sees. Reads
 * never wait behind actions in flight. The server's API version is checked on first
 * contact and after each loss of contact. After an action the process is read back; an
 * action whose answer was lost or late is judged by that read. Besides the SPI, it offers
 * {@link #update(Duration)} (what {@code supervisorctl update} does) and
 * {@link #tailLog(String, LogTail.Stream, int, Duration)}.
 */
public final class SupervisordBackend implements SupervisionBackend {

	/**
	 * The backend's id.
	 */
	public static final String ID = "supervisord";

	/**
	 * The most bytes {@link #tailLog(String, LogTail.Stream, int, Duration)} reads.
	 */
	public static final int MAX_TAIL_BYTES = 1024 * 1024;

	private static final String NAME = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";

	private static final Pattern TARGET = Pattern.compile(NAME + "(:" + NAME + ")?");

	private static final String API_VERSION = "3.0";

	private static final Duration MIN_READ_BACK = Duration.ofMillis(200);

	private static final Set<ServiceAction> SUPPORTED_ACTIONS = Set
		.copyOf(EnumSet.complementOf(EnumSet.of(ServiceAction.ONCE)));

	private final SupervisordClient client;

	private final Duration readTimeout;

	private final Duration pollInterval;

	private final boolean discover;

	private final List<ServiceStatusListener> listeners = new CopyOnWriteArrayList<>();

	private final ReentrantLock refreshLock = new ReentrantLock();

	private final ScheduledExecutorService scheduler;

	private final ExecutorService actions;

	private final ExecutorService notifier;

	private final Object pollerLock = new Object();

	private @Nullable ScheduledFuture<?> poller;

	private volatile @Nullable Snapshot snapshot;

	private volatile BackendAvailability availability;

	private volatile long observedAt = System.nanoTime() - TimeUnit.DAYS.toNanos(1);

	private final AtomicBoolean probing = new AtomicBoolean();

	private volatile boolean verified;

	/**
	 * Create a new backend. Nothing is contacted until the first call.
	 * @param client the client for the supervisord instance
	 * @param readTimeout the most a status read may take
	 * @param pollInterval how long a status read is reused, and how often the backend
	 * polls while listeners are registered
	 * @param discover whether {@link #discover(Duration)} lists every program
	 */
	public SupervisordBackend(SupervisordClient client, Duration readTimeout, Duration pollInterval, boolean discover) {
		this.client = Objects.requireNonNull(client, "'client' must not be null");
		this.readTimeout = requirePositive(readTimeout, "readTimeout");
		this.pollInterval = Objects.requireNonNull(pollInterval, "'pollInterval' must not be null");
		if (pollInterval.isNegative()) {
			throw new IllegalArgumentException("'pollInterval' must not be negative");
		}
		this.discover = discover;
		this.availability = BackendAvailability
			.down("supervisord at " + client.description() + " has not been contacted yet");
		this.scheduler = Executors.newSingleThreadScheduledExecutor(new DaemonThreadFactory("supervisord-poll"));
		this.actions = Executors.newCachedThreadPool(new DaemonThreadFactory("supervisord-action"));
		this.notifier = Executors.newSingleThreadExecutor(new DaemonThreadFactory("supervisord-events"));
	}

	private static Duration requirePositive(Duration duration, String name) {
		if (duration == null || duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException("'" + name + "' must be positive");
		}
		return duration;
	}

	@Override
	public String id() {
		return ID;
	}

	/**
	 * Return what the last call to supervisord showed. When that is older than the poll
	 * interval (and at least a second), a call is made in the background so that the next
	 * answer is fresh; this method never waits for it.
	 * @return the availability
	 */
	@Override
	public BackendAvailability availability() {
		long age = System.nanoTime() - this.observedAt;
		if (age > Math.max(this.pollInterval.toNanos(), TimeUnit.SECONDS.toNanos(1))
				&& this.probing.compareAndSet(false, true)) {
			try {
				this.scheduler.execute(() -> {
					try {
						probe();
					}
					finally {
						this.probing.set(false);
					}
				});
			}
			catch (RejectedExecutionException ex) {
				this.probing.set(false);
			}
		}
		return this.availability;
	}

	@Override
	public void validateTarget(String target) {
		if (!isValidTarget(target)) {
			throw new InvalidServiceNameException("Invalid supervisord program name: a program is 'name' or "
					+ "'group:name', each 1 to 128 letters, digits and _ . - that do not start with . or -");
		}
	}

	static boolean isValidTarget(@Nullable String target) {
		return target != null && TARGET.matcher(target).matches() && !target.contains("..");
	}

	@Override
	public void start() {
		try {
			this.scheduler.execute(this::probe);
		}
		catch (RejectedExecutionException ex) {
			// closed
		}
	}

	private void probe() {
		try {
			refresh(this.readTimeout);
		}
		catch (RuntimeException ex) {
			// recorded in the availability
		}
	}

	@Override
	public Map<String, ServiceStatus> status(Collection<String> targets, Duration timeout) {
		Map<String, ServiceStatus> result = new LinkedHashMap<>();
		Snapshot current;
		try {
			current = fresh(timeout);
		}
		catch (SupervisionException ex) {
			targets.forEach((target) -> result.put(target, ServiceStatus.unknown(target, ID, target, ex.getMessage())));
			return result;
		}
		for (String target : targets) {
			ServiceStatus status = current.find(target);
			result.put(target,
					(status != null) ? status.withName(target)
							: ServiceStatus.unknown(target, ID, target, "supervisord has no program '" + target
									+ "'; check the name against 'supervisorctl status', or apply 'update'"));
		}
		return result;
	}

	@Override
	public boolean isDiscovering() {
		return this.discover;
	}

	@Override
	public List<ServiceStatus> discover(Duration timeout) {
		if (!this.discover) {
			return List.of();
		}
		return fresh(timeout).all();
	}

	private Snapshot fresh(Duration timeout) {
		Snapshot current = this.snapshot;
		if (current != null && current.isFresh(this.pollInterval)) {
			return current;
		}
		return refresh(timeout);
	}

	// Reads every process with one getAllProcessInfo call, unless another thread is
	// doing so: then it waits for that answer. Changes since the previous read are
	// pushed to the listeners.
	private Snapshot refresh(Duration timeout) {
		long started = System.nanoTime();
		Duration effective = min(timeout, this.readTimeout);
		boolean locked;
		try {
			locked = this.refreshLock.tryLock(effective.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SupervisionTimeoutException("Reading supervisord's processes", effective);
		}
		if (!locked) {
			throw new SupervisionTimeoutException("Reading supervisord's processes", effective);
		}
		try {
			Snapshot current = this.snapshot;
			if (current != null && current.takenAt() >= started) {
				return current;
			}
			Duration remaining = effective.minusNanos(System.nanoTime() - started);
			Object answer;
			try {
				answer = call(SupervisordMethod.GET_ALL_PROCESS_INFO, List.of(), remaining);
			}
			catch (SupervisionException ex) {
				lost(ex);
				throw ex;
			}
			Snapshot next = Snapshot.of(answer);
			this.snapshot = next;
			changed(current, next);
			return next;
		}
		finally {
			this.refreshLock.unlock();
		}
	}

	// Makes the next read ask supervisord again, while keeping the last answer to tell
	// the listeners only what changed.
	private void invalidate() {
		Snapshot current = this.snapshot;
		if (current != null) {
			this.snapshot = current.stale();
		}
	}

	private void lost(SupervisionException ex) {
		Snapshot previous = this.snapshot;
		if (!(ex instanceof SupervisionTimeoutException)) {
			this.snapshot = null;
		}
		if (previous != null && this.snapshot == null && !this.listeners.isEmpty()) {
			String reason = ex.getMessage();
			List<ServiceStatus> unknown = previous.all()
				.stream()
				.map((status) -> ServiceStatus.unknown(status.target(), ID, status.target(), reason))
				.toList();
			notifyListeners(unknown);
		}
	}

	private void changed(@Nullable Snapshot previous, Snapshot next) {
		if (this.listeners.isEmpty()) {
			return;
		}
		List<ServiceStatus> changes = new ArrayList<>();
		for (ServiceStatus status : next.all()) {
			ServiceStatus before = (previous != null) ? previous.find(status.target()) : null;
			if (before == null || before.state() != status.state() || !before.rawState().equals(status.rawState())
					|| !Objects.equals(before.pid(), status.pid())) {
				changes.add(status);
			}
		}
		if (previous != null) {
			for (ServiceStatus status : previous.all()) {
				if (next.find(status.target()) == null) {
					changes.add(ServiceStatus.unknown(status.target(), ID, status.target(),
							"supervisord no longer has program '" + status.target() + "'"));
				}
			}
		}
		notifyListeners(changes);
	}

	private void notifyListeners(List<ServiceStatus> changes) {
		if (changes.isEmpty()) {
			return;
		}
		try {
			this.notifier.execute(() -> {
				for (ServiceStatus change : changes) {
					for (ServiceStatusListener listener : this.listeners) {
						try {
							listener.statusChanged(change);
						}
						catch (RuntimeException ex) {
							// a failing listener must not stop the others
						}
					}
				}
			});
		}
		catch (RejectedExecutionException ex) {
			// closed
		}
	}

	@Override
	public Subscription watch(ServiceStatusListener listener) {
		Objects.requireNonNull(listener, "'listener' must not be null");
		this.listeners.add(listener);
		startPolling();
		return () -> this.listeners.remove(listener);
	}

	private void startPolling() {
		synchronized (this.pollerLock) {
			if (this.poller != null) {
				return;
			}
			long period = Math.max(this.pollInterval.toMillis(), 100);
			try {
				this.poller = this.scheduler.scheduleWithFixedDelay(() -> {
					if (!this.listeners.isEmpty()) {
						probe();
					}
				}, 0, period, TimeUnit.MILLISECONDS);
			}
			catch (RejectedExecutionException ex) {
				// closed
			}
		}
	}

	/**
	 * Return the actions supervisord has: every one but {@code once} (start the program,
	 * with {@code autorestart=false} in its section, instead).
	 * @return the supported actions
	 */
	@Override
	public Set<ServiceAction> supportedActions() {
		return SUPPORTED_ACTIONS;
	}

	@Override
	public CompletableFuture<ActionResult> perform(String target, ServiceAction action, Duration timeout) {
		validateTarget(target);
		Objects.requireNonNull(action, "'action' must not be null");
		requirePositive(timeout, "timeout");
		ActionResult timedOut = new ActionResult(action, Outcome.TIMEOUT, "supervisord did not confirm the "
				+ action.id() + " of '" + target + "' within " + timeout.toMillis() + " ms; it may still complete",
				null, null);
		try {
			return CompletableFuture.supplyAsync(() -> act(target, action, timeout), this.actions)
				.completeOnTimeout(timedOut, timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			return CompletableFuture.failedFuture(new BackendUnavailableException("The supervisord backend is closed"));
		}
	}

	private ActionResult act(String target, ServiceAction action, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		// the calls end early enough to leave time for reading the process back
		long reserve = readBackReserve(timeout);
		long callDeadline = deadline - reserve;
		Attempt attempt;
		try {
			attempt = switch (action) {
				case START -> start(target, callDeadline);
				case STOP -> stop(target, callDeadline);
				case RESTART -> restart(target, callDeadline, reserve, timeout);
				case RELOAD -> signal(target, "HUP", "reload", callDeadline);
				case KILL -> signal(target, "KILL", "kill", callDeadline);
				case PAUSE -> signal(target, "STOP", "pause", callDeadline);
				case CONTINUE -> signal(target, "CONT", "continue", callDeadline);
				case ONCE -> throw new IllegalArgumentException("supervisord has no 'once' action");
			};
		}
		catch (SupervisionTimeoutException ex) {
			attempt = Attempt.unconfirmed(Outcome.TIMEOUT, "supervisord did not confirm the " + action.id() + " of '"
					+ target + "' within " + timeout.toMillis() + " ms", wanted(action));
		}
		catch (AnswerLostException ex) {
			attempt = Attempt.unconfirmed(Outcome.FAILED, "supervisord's answer to the " + action.id() + " of '"
					+ target + "' was lost (" + ex.getMessage() + ")", wanted(action));
		}
		invalidate();
		ActionResult result = finish(action, target, attempt, deadline);
		if (!this.listeners.isEmpty()) {
			start();
		}
		return result;
	}

	// A quarter of the deadline, at most a second: a getProcessInfo answers in
	// milliseconds, even beside actions in flight, as reads have slots of their own.
	private static long readBackReserve(Duration timeout) {
		return Math.min(timeout.toNanos() / 4, TimeUnit.SECONDS.toNanos(1));
	}

	// The states that show an action took effect when its answer was lost or late; a
	// signal leaves none that tells.
	private static Set<ServiceState> wanted(ServiceAction action) {
		return switch (action) {
			case START, RESTART -> EnumSet.of(ServiceState.RUNNING);
			case STOP -> EnumSet.of(ServiceState.STOPPED, ServiceState.FAILED);
			default -> Set.of();
		};
	}

	// Reads the process back. An action whose answer was lost or late is judged by what
	// the read shows; when the read fails too, supervisord is taken to be unreachable.
	private ActionResult finish(ServiceAction action, String target, Attempt attempt, long deadline) {
		ServiceStatus status;
		try {
			status = readBack(target, deadline);
		}
		catch (SupervisionException ex) {
			if (!attempt.unconfirmed()) {
				return new ActionResult(action, attempt.outcome(), attempt.message(), attempt.fault(), null);
			}
			if (ex instanceof SupervisionTimeoutException) {
				this.availability = BackendAvailability
					.down("supervisord at " + this.client.description() + " does not answer: " + ex.getMessage());
				this.observedAt = System.nanoTime();
			}
			return new ActionResult(action, attempt.outcome(),
					attempt.message() + "; it may or may not have happened, and reading '" + target
							+ "' back failed too: " + ex.getMessage(),
					attempt.fault(), null);
		}
		if (!attempt.unconfirmed()) {
			return new ActionResult(action, attempt.outcome(), attempt.message(), attempt.fault(), status);
		}
		Outcome outcome = attempt.wanted().contains(status.state()) ? Outcome.DONE : attempt.outcome();
		return new ActionResult(action, outcome,
				attempt.message() + "; read back, '" + target + "' is " + status.rawState(), attempt.fault(), status);
	}

	private Attempt start(String target, long deadline) {
		try {
			call(SupervisordMethod.START_PROCESS, List.of(target, true), remaining(deadline));
			return new Attempt(Outcome.DONE, "Started '" + target + "'", null);
		}
		catch (SupervisordFaultException ex) {
			return switch (ex.getFault()) {
				case ALREADY_STARTED ->
					new Attempt(Outcome.NO_CHANGE, "'" + target + "' is already running", ex.getFaultName());
				default -> failed(target, "start", ex);
			};
		}
	}

	private Attempt stop(String target, long deadline) {
		try {
			call(SupervisordMethod.STOP_PROCESS, List.of(target, true), remaining(deadline));
			return new Attempt(Outcome.DONE, "Stopped '" + target + "'", null);
		}
		catch (SupervisordFaultException ex) {
			return switch (ex.getFault()) {
				case NOT_RUNNING ->
					new Attempt(Outcome.NO_CHANGE, "'" + target + "' is not running", ex.getFaultName());
				default -> failed(target, "stop", ex);
			};
		}
	}

	// One deadline covers both legs: a start is not sent when the stop left less time
	// than the read-back gets, since it could not be confirmed.
	private Attempt restart(String target, long deadline, long reserve, Duration timeout) {
		Attempt stopped;
		try {
			stopped = stop(target, deadline);
		}
		catch (SupervisionTimeoutException ex) {
			return Attempt.unconfirmed(Outcome.TIMEOUT,
					"Restart of '" + target + "': supervisord did not confirm the stop within " + timeout.toMillis()
							+ " ms; start not attempted",
					Set.of());
		}
		catch (AnswerLostException ex) {
			return Attempt.unconfirmed(Outcome.FAILED, "Restart of '" + target + "': supervisord's answer to the stop "
					+ "was lost (" + ex.getMessage() + "); start not attempted", Set.of());
		}
		if (!isSuccessful(stopped.outcome())) {
			return new Attempt(stopped.outcome(),
					"Restart of '" + target + "' did not start it again: " + lowerFirst(stopped.message()),
					stopped.fault());
		}
		long left = deadline - System.nanoTime();
		if (left < reserve) {
			String done = (stopped.outcome() == Outcome.DONE) ? "stopped" : "was not running";
			return new Attempt(Outcome.TIMEOUT,
					"Restart of '" + target + "': " + done + "; start not attempted, as only "
							+ TimeUnit.NANOSECONDS.toMillis(Math.max(left + reserve, 0)) + " ms of the "
							+ timeout.toMillis() + " ms deadline were left",
					null);
		}
		Attempt started = start(target, deadline);
		if (started.outcome() == Outcome.FAILED) {
			String before = (stopped.outcome() == Outcome.DONE) ? "was stopped" : "was not running";
			return new Attempt(Outcome.FAILED,
					"'" + target + "' " + before + ", then the start failed: " + lowerFirst(started.message()),
					started.fault());
		}
		return new Attempt(Outcome.DONE, "Restarted '" + target + "'", null);
	}

	private Attempt signal(String target, String signal, String verb, long deadline) {
		try {
			call(SupervisordMethod.SIGNAL_PROCESS, List.of(target, signal), remaining(deadline));
			return new Attempt(Outcome.DONE, "Sent SIG" + signal + " to '" + target + "'", null);
		}
		catch (SupervisordFaultException ex) {
			return switch (ex.getFault()) {
				case NOT_RUNNING -> new Attempt(Outcome.NO_CHANGE,
						"'" + target + "' is not running; there is nothing to " + verb, ex.getFaultName());
				default -> failed(target, verb, ex);
			};
		}
	}

	private static boolean isSuccessful(Outcome outcome) {
		return outcome == Outcome.DONE || outcome == Outcome.NO_CHANGE;
	}

	private Attempt failed(String target, String verb, SupervisordFaultException ex) {
		throwIfNotTried(target, ex);
		String why = switch (ex.getFault()) {
			case SPAWN_ERROR -> "it could not be spawned or exited before startsecs";
			case NO_FILE -> "its command does not exist";
			case NOT_EXECUTABLE -> "its command is not executable";
			case ABNORMAL_TERMINATION -> "it ended abnormally";
			case BAD_SIGNAL -> "supervisord does not know the signal";
			default -> "supervisord said " + ex.getFaultString();
		};
		return new Attempt(Outcome.FAILED, "Could not " + verb + " '" + target + "' (" + ex.getFaultName() + "): " + why
				+ "; 'supervisorctl tail " + target + " stderr' shows its output", ex.getFaultName());
	}

	private void throwIfNotTried(String target, SupervisordFaultException ex) {
		if (ex.getFault() == SupervisordFault.BAD_NAME) {
			throw new UnknownServiceException(target, "supervisord has no program '" + target
					+ "'; check the name against 'supervisorctl status', or apply 'update'");
		}
		if (ex.getFault() == SupervisordFault.SHUTDOWN_STATE) {
			throw new BackendUnavailableException("supervisord at " + this.client.description() + " is shutting down");
		}
	}

	private ServiceStatus readBack(String target, long deadline) {
		long left = deadline - System.nanoTime();
		Duration timeout = min((left > 0) ? Duration.ofNanos(left) : MIN_READ_BACK, this.readTimeout);
		Object info = call(SupervisordMethod.GET_PROCESS_INFO, List.of(target), timeout);
		if (info instanceof Map<?, ?> map) {
			return ProcessInfos.toStatus(map).withName(target);
		}
		throw new BackendUnavailableException("supervisord answered getProcessInfo with an unexpected shape");
	}

	/**
	 * Apply supervisord's changed configuration as {@code supervisorctl update} does:
	 * re-read it, then stop and remove the removed groups, stop, remove and add again the
	 * changed ones, and add the new ones (which start when their autostart says so).
	 * @param timeout the deadline for the whole update
	 * @return what was added, changed and removed
	 * @throws SupervisordFaultException if supervisord cannot re-read its configuration
	 * ({@link SupervisordFault#CANT_REREAD}: its message names the error) or refuses a
	 * step
	 * @throws BackendUnavailableException if supervisord cannot be reached
	 * @throws PermissionDeniedException if supervisord refuses this process
	 * @throws SupervisionTimeoutException if the deadline passes
	 */
	public UpdateResult update(Duration timeout) {
		requirePositive(timeout, "timeout");
		long deadline = System.nanoTime() + timeout.toNanos();
		try {
			Object answer = call(SupervisordMethod.RELOAD_CONFIG, List.of(), remaining(deadline));
			List<String> added = groups(answer, 0);
			List<String> changed = groups(answer, 1);
			List<String> removed = groups(answer, 2);
			for (String group : removed) {
				stopGroup(group, deadline);
				call(SupervisordMethod.REMOVE_PROCESS_GROUP, List.of(group), remaining(deadline));
			}
			for (String group : changed) {
				stopGroup(group, deadline);
				call(SupervisordMethod.REMOVE_PROCESS_GROUP, List.of(group), remaining(deadline));
				call(SupervisordMethod.ADD_PROCESS_GROUP, List.of(group), remaining(deadline));
			}
			for (String group : added) {
				try {
					call(SupervisordMethod.ADD_PROCESS_GROUP, List.of(group), remaining(deadline));
				}
				catch (SupervisordFaultException ex) {
					if (ex.getFault() != SupervisordFault.ALREADY_ADDED) {
						throw ex;
					}
				}
			}
			return new UpdateResult(added, changed, removed);
		}
		catch (SupervisionTimeoutException ex) {
			throw new SupervisionTimeoutException("Applying supervisord's changed configuration", timeout);
		}
		finally {
			invalidate();
			if (!this.listeners.isEmpty()) {
				start();
			}
		}
	}

	private void stopGroup(String group, long deadline) {
		try {
			call(SupervisordMethod.STOP_PROCESS_GROUP, List.of(group, true), remaining(deadline));
		}
		catch (SupervisordFaultException ex) {
			if (ex.getFault() != SupervisordFault.BAD_NAME && ex.getFault() != SupervisordFault.NOT_RUNNING) {
				throw ex;
			}
		}
	}

	private static List<String> groups(@Nullable Object answer, int index) {
		if (answer instanceof List<?> outer && !outer.isEmpty() && outer.get(0) instanceof List<?> lists
				&& lists.size() == 3 && lists.get(index) instanceof List<?> names) {
			return names.stream().map(String::valueOf).toList();
		}
		throw new BackendUnavailableException("supervisord answered reloadConfig with an unexpected shape");
	}

	/**
	 * Return the end of a program's log.
	 * @param target the program, {@code name} or {@code group:name}
	 * @param stream which log to read
	 * @param bytes how many bytes to return at most, 1 to {@link #MAX_TAIL_BYTES}
	 * @param timeout the deadline
	 * @return the log's end
	 * @throws InvalidServiceNameException if the target is not a valid program name
	 * @throws UnknownServiceException if supervisord has no such program
	 * @throws SupervisordFaultException if supervisord cannot read the log (for example
	 * {@link SupervisordFault#NO_FILE} when the program logs nowhere)
	 * @throws BackendUnavailableException if supervisord cannot be reached
	 * @throws SupervisionTimeoutException if the deadline passes
	 */
	public LogTail tailLog(String target, LogTail.Stream stream, int bytes, Duration timeout) {
		validateTarget(target);
		Objects.requireNonNull(stream, "'stream' must not be null");
		if (bytes < 1 || bytes > MAX_TAIL_BYTES) {
			throw new IllegalArgumentException("'bytes' must be between 1 and " + MAX_TAIL_BYTES);
		}
		SupervisordMethod method = (stream == LogTail.Stream.STDOUT) ? SupervisordMethod.TAIL_PROCESS_STDOUT_LOG
				: SupervisordMethod.TAIL_PROCESS_STDERR_LOG;
		Object answer;
		try {
			answer = call(method, List.of(target, 0, bytes), requirePositive(timeout, "timeout"));
		}
		catch (SupervisordFaultException ex) {
			throwIfNotTried(target, ex);
			throw ex;
		}
		if (answer instanceof List<?> list && list.size() == 3 && list.get(0) instanceof String text
				&& list.get(1) instanceof Integer offset && list.get(2) instanceof Boolean overflow) {
			return new LogTail(text, offset, overflow);
		}
		throw new BackendUnavailableException("supervisord answered a log tail with an unexpected shape");
	}

	private @Nullable Object call(SupervisordMethod method, List<?> params, Duration timeout) {
		long started = System.nanoTime();
		try {
			if (!this.verified) {
				checkApiVersion(timeout);
			}
			Object answer = this.client.call(method, params, timeout.minusNanos(System.nanoTime() - started));
			this.availability = BackendAvailability.up();
			this.observedAt = System.nanoTime();
			return answer;
		}
		catch (AnswerLostException ex) {
			// an action whose answer was lost is judged by reading the process back
			if (method.isRead()) {
				down(ex.getMessage());
			}
			throw ex;
		}
		catch (BackendUnavailableException | PermissionDeniedException ex) {
			down(ex.getMessage());
			throw ex;
		}
		catch (SupervisordFaultException ex) {
			this.observedAt = System.nanoTime();
			if (ex.getFault() == SupervisordFault.SHUTDOWN_STATE) {
				this.availability = BackendAvailability
					.down("supervisord at " + this.client.description() + " is shutting down");
			}
			else {
				this.availability = BackendAvailability.up();
			}
			throw ex;
		}
	}

	private void down(String reason) {
		this.verified = false;
		this.availability = BackendAvailability.down(reason);
		this.observedAt = System.nanoTime();
	}

	// Every call assumes supervisord's API 3.0, which supervisord 3.x and 4.x report. It
	// is checked again after each loss of contact, as another server may answer then.
	private void checkApiVersion(Duration timeout) {
		Object version;
		try {
			version = this.client.call(SupervisordMethod.GET_API_VERSION, List.of(), timeout);
		}
		catch (ConnectionLostException ex) {
			throw new BackendUnavailableException(ex.getMessage(), ex);
		}
		catch (AnswerLostException ex) {
			throw notSupervisord(ex.getMessage());
		}
		catch (SupervisordFaultException ex) {
			throw notSupervisord("it answered getAPIVersion with fault " + ex.getFaultName());
		}
		if (!API_VERSION.equals(version)) {
			throw notSupervisord("API version '" + version + "'");
		}
		this.verified = true;
	}

	private BackendUnavailableException notSupervisord(String why) {
		return new BackendUnavailableException(
				"The server at " + this.client.description() + " is not supervisord 3.x/4.x (" + why + ")");
	}

	private static Duration remaining(long deadline) {
		long nanos = deadline - System.nanoTime();
		if (nanos <= 0) {
			throw new SupervisionTimeoutException("The supervisord operation", Duration.ZERO);
		}
		return Duration.ofNanos(nanos);
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

	private static String lowerFirst(String text) {
		return text.isEmpty() ? text : Character.toLowerCase(text.charAt(0)) + text.substring(1);
	}

	@Override
	public void close() {
		this.listeners.clear();
		this.scheduler.shutdownNow();
		this.actions.shutdownNow();
		this.notifier.shutdownNow();
		this.client.close();
	}

	/**
	 * What an action came to before its read-back.
	 *
	 * @param outcome the outcome
	 * @param message what happened
	 * @param fault supervisord's fault name, if any
	 * @param unconfirmed whether supervisord's answer was lost or late, so that only the
	 * read-back tells what happened
	 * @param wanted the states that show an unconfirmed action took effect
	 */
	private record Attempt(Outcome outcome, String message, @Nullable String fault, boolean unconfirmed,
			Set<ServiceState> wanted) {

		Attempt(Outcome outcome, String message, @Nullable String fault) {
			this(outcome, message, fault, false, Set.of());
		}

		static Attempt unconfirmed(Outcome outcome, String message, Set<ServiceState> wanted) {
			return new Attempt(outcome, message, null, true, wanted);
		}

	}

	/**
	 * The answer of one {@code getAllProcessInfo} call, keyed by full name
	 * ({@code group:name}) and, for a program alone in its own group, by its short name.
	 */
	private record Snapshot(long takenAt, Map<String, ServiceStatus> byName, List<ServiceStatus> all) {

		static Snapshot of(@Nullable Object answer) {
			if (!(answer instanceof List<?> list)) {
				throw new BackendUnavailableException(
						"supervisord answered getAllProcessInfo with an unexpected shape");
			}
			Map<String, ServiceStatus> byName = new LinkedHashMap<>();
			List<ServiceStatus> all = new ArrayList<>(list.size());
			for (Object item : list) {
				if (item instanceof Map<?, ?> map) {
					ServiceStatus status = ProcessInfos.toStatus(map);
					all.add(status);
					byName.put(status.target(), status);
					String group = ProcessInfos.string(map, "group");
					String name = ProcessInfos.string(map, "name");
					byName.putIfAbsent(group + ":" + name, status);
				}
			}
			all.sort(Comparator.comparing(ServiceStatus::target));
			return new Snapshot(System.nanoTime(), byName, List.copyOf(all));
		}

		Snapshot stale() {
			return new Snapshot(System.nanoTime() - TimeUnit.DAYS.toNanos(1), this.byName, this.all);
		}

		boolean isFresh(Duration pollInterval) {
			return System.nanoTime() - this.takenAt < pollInterval.toNanos();
		}

		@Nullable ServiceStatus find(String target) {
			return this.byName.get(target);
		}

	}

	/**
	 * Maps supervisord's process info structs to {@link ServiceStatus}.
	 */
	static final class ProcessInfos {

		private ProcessInfos() {
		}

		static ServiceStatus toStatus(Map<?, ?> info) {
			String name = string(info, "name");
			String group = string(info, "group");
			String target = (group.isEmpty() || group.equals(name)) ? name : group + ":" + name;
			String rawState = string(info, "statename");
			if (rawState.isEmpty()) {
				rawState = "UNKNOWN";
			}
			int start = integer(info, "start");
			int stop = integer(info, "stop");
			int pid = integer(info, "pid");
			ServiceState state = state(rawState, integer(info, "exitstatus"));
			Instant since = switch (rawState) {
				case "RUNNING", "STARTING", "BACKOFF" -> (start > 0) ? Instant.ofEpochSecond(start) : null;
				case "STOPPED", "EXITED", "FATAL" -> (stop > 0) ? Instant.ofEpochSecond(stop) : null;
				default -> null;
			};
			String spawnError = string(info, "spawnerr");
			String description = string(info, "description");
			Map<String, String> details = new LinkedHashMap<>();
			details.put("group", group);
			details.put("stdoutLogfile", string(info, "stdout_logfile"));
			details.put("stderrLogfile", string(info, "stderr_logfile"));
			return new ServiceStatus(target, ID, target, state, rawState, (pid > 0) ? (long) pid : null, since, null,
					(stop > 0) ? integer(info, "exitstatus") : null, description.isEmpty() ? null : description,
					spawnError.isEmpty() ? null : spawnError, details);
		}

		static ServiceState state(String rawState, int exitStatus) {
			return switch (rawState) {
				case "RUNNING" -> ServiceState.RUNNING;
				case "STARTING", "BACKOFF" -> ServiceState.STARTING;
				case "STOPPING" -> ServiceState.STOPPING;
				case "STOPPED" -> ServiceState.STOPPED;
				case "EXITED" -> (exitStatus == 0) ? ServiceState.STOPPED : ServiceState.FAILED;
				case "FATAL" -> ServiceState.FAILED;
				default -> ServiceState.UNKNOWN;
			};
		}

		static String string(Map<?, ?> info, String key) {
			Object value = info.get(key);
			return (value != null) ? value.toString() : "";
		}

		static int integer(Map<?, ?> info, String key) {
			return (info.get(key) instanceof Integer value) ? value : 0;
		}

	}

	private static final class DaemonThreadFactory implements ThreadFactory {

		private final String prefix;

		private final AtomicInteger count = new AtomicInteger();

		DaemonThreadFactory(String prefix) {
			this.prefix = prefix;
		}

		@Override
		public Thread newThread(Runnable runnable) {
			Thread thread = new Thread(runnable, this.prefix + "-" + this.count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		}

	}

}
