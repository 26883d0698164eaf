package io.github.supervision.supervisord;

import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import io.github.supervision.ActionResult;
import io.github.supervision.ActionResult.Outcome;
import io.github.supervision.BackendAvailability;
import io.github.supervision.BackendUnavailableException;
import io.github.supervision.InvalidServiceNameException;
import io.github.supervision.LogTailCapability;
import io.github.supervision.PermissionDeniedException;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceCapability;
import io.github.supervision.ServiceLog;
import io.github.supervision.ServiceSignal;
import io.github.supervision.ServiceStatus;
import io.github.supervision.ServiceStatusListener;
import io.github.supervision.SignalCapability;
import io.github.supervision.Subscription;
import io.github.supervision.SupervisionBackend;
import io.github.supervision.SupervisionException;
import io.github.supervision.SupervisionTimeoutException;
import io.github.supervision.UnknownServiceException;
import io.github.supervision.support.DaemonThreadFactory;
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
 * {@link #tailLog(String, LogTail.Stream, int, Duration)}; its {@link LogTailCapability}
 * reads the standard output log. The calls go through {@link SupervisordClient}'s typed
 * methods; the reads and polling ({@link ProcessReads}), actions, the configuration
 * update and the mapping of process infos are classes of their own.
 */
public final class SupervisordBackend implements SupervisionBackend, LogTailCapability, SignalCapability {

	/**
	 * The backend's id.
	 */
	public static final String ID = "supervisord";

	/**
	 * The most bytes {@link #tailLog(String, LogTail.Stream, int, Duration)} reads.
	 */
	public static final int MAX_TAIL_BYTES = 1024 * 1024;

	private static final String NAME = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";

	private static final Pattern TARGET = Pattern.compile(NAME + "(:(" + NAME + "|\\*))?");

	private static final Set<ServiceAction> SUPPORTED_ACTIONS = Set
		.copyOf(EnumSet.of(ServiceAction.START, ServiceAction.STOP, ServiceAction.RESTART, ServiceAction.RELOAD,
				ServiceAction.KILL, ServiceAction.PAUSE, ServiceAction.CONTINUE));

	private final SupervisordClient client;

	private final SupervisordContact contact;

	private final ProcessActions processActions;

	private final ConfigUpdate configUpdate;

	private final ProcessReads reads;

	private final Duration readTimeout;

	private final boolean discover;

	private final ExecutorService actions;

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
		Objects.requireNonNull(pollInterval, "'pollInterval' must not be null");
		if (pollInterval.isNegative()) {
			throw new IllegalArgumentException("'pollInterval' must not be negative");
		}
		this.discover = discover;
		this.contact = new SupervisordContact(client);
		this.reads = new ProcessReads(this.contact, this.readTimeout, pollInterval);
		this.processActions = new ProcessActions(this.contact, this.readTimeout, this.reads::invalidate);
		this.configUpdate = new ConfigUpdate(this.contact);
		this.actions = Executors.newCachedThreadPool(new DaemonThreadFactory("supervisord-action-"));
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
		return this.reads.availability();
	}

	@Override
	public void validateTarget(String target) {
		if (!isValidTarget(target)) {
			throw new InvalidServiceNameException("Invalid supervisord program name: a program is 'name' or "
					+ "'group:name', a whole group 'group:*', each name 1 to 128 letters, digits and _ . - that do "
					+ "not start with . or -");
		}
	}

	static boolean isValidTarget(@Nullable String target) {
		return target != null && TARGET.matcher(target).matches() && !target.contains("..");
	}

	@Override
	public void start() {
		this.reads.probeSoon();
	}

	@Override
	public Map<String, ServiceStatus> status(Collection<String> targets, Duration timeout) {
		Map<String, ServiceStatus> result = new LinkedHashMap<>();
		ProcessSnapshot current;
		try {
			current = this.reads.fresh(timeout);
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
		return this.reads.fresh(timeout).all();
	}

	@Override
	public Subscription watch(ServiceStatusListener listener) {
		return this.reads.watch(listener);
	}

	/**
	 * Return the actions supervisord has: start, stop, restart, reload, kill, pause and
	 * continue; not {@code once} (start the program, with {@code autorestart=false} in
	 * its section, instead). Signal is its capability.
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
		if (action == ServiceAction.SIGNAL) {
			return CompletableFuture
				.failedFuture(new IllegalArgumentException("A signal is sent with signal(target, signal, timeout)"));
		}
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

	/**
	 * Send a signal to a program's process ({@code signalProcess}).
	 * @param target the program
	 * @param signal the signal
	 * @param timeout the deadline
	 * @return the result
	 */
	@Override
	public CompletableFuture<ActionResult> signal(String target, ServiceSignal signal, Duration timeout) {
		validateTarget(target);
		Objects.requireNonNull(signal, "'signal' must not be null");
		requirePositive(timeout, "timeout");
		ActionResult timedOut = new ActionResult(ServiceAction.SIGNAL, Outcome.TIMEOUT, "supervisord did not confirm "
				+ signal.signalName() + " to '" + target + "' within " + timeout.toMillis() + " ms", null, null);
		try {
			return CompletableFuture.supplyAsync(() -> act(target, ServiceAction.SIGNAL, signal, timeout), this.actions)
				.completeOnTimeout(timedOut, timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			return CompletableFuture.failedFuture(new BackendUnavailableException("The supervisord backend is closed"));
		}
	}

	/**
	 * Say why supervisord cannot enable or disable a program: whether it starts with
	 * supervisord is its section's {@code autostart}, which lives in the configuration
	 * file, and supervisord has no call that writes it.
	 * @param capability a capability this backend does not offer
	 * @return the reason, or {@code null}
	 */
	@Override
	public @Nullable String unsupportedReason(ServiceCapability<?> capability) {
		if (capability == ServiceCapability.ENABLE) {
			return "supervisord cannot persist it: whether a program starts with supervisord is 'autostart' in its "
					+ "configuration file, which supervisord has no call to change; edit the file and run update";
		}
		if (capability == ServiceCapability.RESET_FAILED) {
			return "supervisord keeps no failed state apart from the process's own (FATAL, EXITED); start the program "
					+ "again instead";
		}
		return null;
	}

	private ActionResult act(String target, ServiceAction action, Duration timeout) {
		return act(target, action, null, timeout);
	}

	private ActionResult act(String target, ServiceAction action, @Nullable ServiceSignal signal, Duration timeout) {
		ActionResult result = this.processActions.perform(target, action, signal, timeout);
		this.reads.pollIfWatched();
		return result;
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
		try {
			return this.configUpdate.apply(timeout);
		}
		finally {
			this.reads.invalidate();
			this.reads.pollIfWatched();
		}
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
		Duration deadline = requirePositive(timeout, "timeout");
		boolean stdout = stream == LogTail.Stream.STDOUT;
		try {
			return this.contact.call(
					stdout ? SupervisordMethod.TAIL_PROCESS_STDOUT_LOG : SupervisordMethod.TAIL_PROCESS_STDERR_LOG,
					deadline, (client, left) -> stdout ? client.tailProcessStdoutLog(target, 0, bytes, left)
							: client.tailProcessStderrLog(target, 0, bytes, left));
		}
		catch (SupervisordFaultException ex) {
			this.processActions.throwIfNotTried(target, ex);
			throw ex;
		}
	}

	/**
	 * Return the latest lines of a program's logs, from at most 1 KiB per line asked for
	 * and at most {@link #MAX_TAIL_BYTES} from the logs' ends together: its standard
	 * output's lines, then its standard error's, each marked with its stream, or only the
	 * standard output log when standard error has none of its own
	 * ({@code redirect_stderr=true}). One {@code getProcessInfo} call tells which, and
	 * one {@code tailProcessStdoutLog} and {@code tailProcessStderrLog} call each read
	 * them. A program whose log does not exist yet has an empty tail.
	 * @throws SupervisordFaultException if supervisord cannot read the log
	 * @throws UndecodableLogException if even the last bytes of a log are not UTF-8,
	 * which supervisord cannot send
	 */
	@Override
	public ServiceLog tailLog(String target, int lines, Duration timeout) {
		validateTarget(target);
		long deadline = System.nanoTime() + requirePositive(timeout, "timeout").toNanos();
		ProcessInfo info;
		try {
			info = this.contact.call(SupervisordMethod.GET_PROCESS_INFO, timeout,
					(client, left) -> client.getProcessInfo(target, left));
		}
		catch (SupervisordFaultException ex) {
			this.processActions.throwIfNotTried(target, ex);
			throw ex;
		}
		return ProgramLogs.read(!info.stderrLogfile().isEmpty(), lines, MAX_TAIL_BYTES, (stream, bytes) -> {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				throw new SupervisionTimeoutException("Reading the log of supervisord program '" + target + "'",
						timeout);
			}
			return tailLog(target, stream, bytes, Duration.ofNanos(left));
		});
	}

	@Override
	public void close() {
		this.reads.close();
		this.actions.shutdownNow();
		this.client.close();
	}

}
