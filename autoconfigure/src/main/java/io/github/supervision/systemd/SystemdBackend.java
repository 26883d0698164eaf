package io.github.supervision.systemd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.supervision.ActionResult;
import io.github.supervision.ActionResult.Outcome;
import io.github.supervision.BackendAvailability;
import io.github.supervision.BackendUnavailableException;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import io.github.supervision.ServiceStatusListener;
import io.github.supervision.Subscription;
import io.github.supervision.SupervisionBackend;
import io.github.supervision.SupervisionException;
import io.github.supervision.SupervisionTimeoutException;
import io.github.supervision.UnknownServiceException;
import io.github.supervision.systemd.dbus.EnableUnitFilesReply;
import io.github.supervision.systemd.dbus.Manager;
import io.github.supervision.systemd.dbus.UnitFileChangeEntry;
import io.github.supervision.systemd.dbus.UnitListEntry;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.IDisconnectCallback;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.CallbackHandler;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.Variant;
import org.jspecify.annotations.Nullable;

/**
 * {@link SupervisionBackend} for systemd units, over D-Bus.
 * <p>
 * The backend owns one bus connection, opened lazily off the request path; when the bus
 * drops, or an attempt to open it fails, it is reopened by itself with backoff, and every
 * call in flight fails at once. {@link #status} costs one {@code ListUnitsByNames} call;
 * the other properties of a unit come from one {@code GetAll} when the unit is first seen
 * and are kept fresh by {@code PropertiesChanged} signals, which also feed the listeners.
 * Actions wait for their job's {@code JobRemoved} signal (the handler is in place and
 * {@code Subscribe()} called before any job is queued), bounded by the caller's deadline,
 * then read the unit back. An action in flight when the bus drops is reported, never
 * replayed.
 *
 * @author Supervision contributors
 */
public final class SystemdBackend implements SupervisionBackend {

	/**
	 * The backend's id.
	 */
	public static final String ID = "systemd";

	private static final System.Logger logger = System.getLogger(SystemdBackend.class.getName());

	private static final String MODE = "replace";

	private static final String UNIX_PATH = "unix:path=";

	private static final int SIGKILL = 9;

	private static final Set<ServiceAction> SUPPORTED_ACTIONS = Set.copyOf(EnumSet.of(ServiceAction.START,
			ServiceAction.STOP, ServiceAction.RESTART, ServiceAction.RELOAD, ServiceAction.KILL));

	private static final int MAX_LOADS_IN_FLIGHT = 32;

	private static final Duration KILL_SETTLE = Duration.ofSeconds(5);

	private final SystemdOptions options;

	private final String address;

	private final long statusCacheTtlNanos;

	private final Object lock = new Object();

	private final Map<String, UnitCache> units = new java.util.concurrent.ConcurrentHashMap<>();

	private final Map<String, String> unitsByPath = new java.util.concurrent.ConcurrentHashMap<>();

	private final JobTracker jobs = new JobTracker();

	/**
	 * Changes when the connection or the manager's configuration changed, which makes
	 * every confirmed status stale.
	 */
	private final AtomicLong epoch = new AtomicLong();

	/**
	 * Counts the {@code PropertiesChanged} signals handled, to tell a reply from a signal
	 * that is newer than it.
	 */
	private final AtomicLong signalClock = new AtomicLong();

	private final CallLimiter loads;

	private final List<ServiceStatusListener> listeners = new CopyOnWriteArrayList<>();

	private final ExecutorService workers;

	private final ExecutorService notifier;

	private final ScheduledExecutorService scheduler;

	private @Nullable Session session;

	private @Nullable CompletableFuture<Session> connecting;

	private volatile BackendAvailability availability = BackendAvailability.down("Not connected to systemd yet");

	private long nextAttemptNanos;

	private Duration backoff;

	private int generation;

	private boolean reconnectScheduled;

	private volatile boolean closed;

	private volatile boolean reloading;

	/**
	 * Create a backend for the system manager on the system bus.
	 */
	public SystemdBackend() {
		this(SystemdOptions.defaults());
	}

	/**
	 * Create a backend. Nothing is connected until the backend is first used.
	 * @param options the settings
	 */
	public SystemdBackend(SystemdOptions options) {
		this.options = Objects.requireNonNull(options, "'options' must not be null");
		this.address = options.resolveAddress(System.getenv());
		// Duration.toNanos() overflows beyond 292 years; such a ttl means "for ever"
		this.statusCacheTtlNanos = (options.statusCacheTtl().getSeconds() < Long.MAX_VALUE / 1_000_000_000L - 1)
				? options.statusCacheTtl().toNanos() : Long.MAX_VALUE;
		this.backoff = options.reconnectMinBackoff();
		this.workers = Executors.newCachedThreadPool(threads("systemd-backend-"));
		this.loads = new CallLimiter(MAX_LOADS_IN_FLIGHT, this.workers);
		this.notifier = Executors.newSingleThreadExecutor(threads("systemd-listeners-"));
		this.scheduler = Executors.newSingleThreadScheduledExecutor(threads("systemd-reconnect-"));
	}

	/**
	 * Return the backend's settings.
	 * @return the options
	 */
	public SystemdOptions options() {
		return this.options;
	}

	/**
	 * Return the D-Bus address the backend connects to.
	 * @return the address
	 */
	public String busAddress() {
		return this.address;
	}

	@Override
	public String id() {
		return ID;
	}

	/**
	 * Return the actions systemd has: start, stop, restart, reload and kill.
	 * @return the supported actions
	 */
	@Override
	public Set<ServiceAction> supportedActions() {
		return SUPPORTED_ACTIONS;
	}

	@Override
	public BackendAvailability availability() {
		return this.availability;
	}

	@Override
	public void validateTarget(String target) {
		UnitNames.validate(target);
	}

	/**
	 * Connect in the background, so that the first request finds the connection open.
	 */
	@Override
	public void start() {
		session(false);
	}

	/**
	 * Return the status of units. When every unit was confirmed by a
	 * {@code ListUnitsByNames} less than {@link SystemdOptions#statusCacheTtl()} ago, and
	 * the connection has stayed subscribed since (no bus loss, reconnection or
	 * daemon-reload; the unit not loaded or unloaded), the answer comes from the
	 * properties that the signals keep fresh, without a call. Otherwise one
	 * {@code ListUnitsByNames} asks for the units that are not fresh.
	 * @param targets the unit names
	 * @param timeout the most this call may wait
	 * @return the status of each unit, by name
	 */
	@Override
	public Map<String, ServiceStatus> status(Collection<String> targets, Duration timeout) {
		long deadline = deadline(timeout);
		Set<String> requested = new LinkedHashSet<>(targets);
		List<String> names = new ArrayList<>();
		Map<String, ServiceStatus> found = new HashMap<>();
		for (String target : requested) {
			if (this.units.containsKey(target) || UnitNames.isValid(target)) {
				names.add(target);
			}
			else {
				found.put(target, ServiceStatus.unknown(target, ID, target, "Invalid systemd unit name"));
			}
		}
		List<String> stale = staleUnits(names, this.epoch.get());
		if (stale.size() < names.size()) {
			Set<String> reread = new HashSet<>(stale);
			for (String name : names) {
				UnitCache cache = this.units.get(name);
				if (cache != null && !reread.contains(name)) {
					cache.baseline();
					found.put(name, cache.status());
				}
			}
		}
		if (!stale.isEmpty()) {
			read(stale, deadline, found);
		}
		Map<String, ServiceStatus> result = new LinkedHashMap<>();
		requested.forEach((target) -> result.put(target, found.get(target)));
		return result;
	}

	private List<String> staleUnits(List<String> names, long epoch) {
		long ttl = this.statusCacheTtlNanos;
		if (ttl == 0 || !isConnected()) {
			return names;
		}
		long now = System.nanoTime();
		List<String> stale = new ArrayList<>();
		for (String name : names) {
			UnitCache cache = this.units.get(name);
			if (cache == null || !cache.isFresh(now, ttl, epoch)) {
				stale.add(name);
			}
		}
		return (stale.size() == names.size()) ? names : stale;
	}

	private boolean isConnected() {
		synchronized (this.lock) {
			return this.session != null;
		}
	}

	private void read(List<String> names, long deadline, Map<String, ServiceStatus> result) {
		Session current;
		try {
			current = await(session(false), deadline, "Connecting to systemd");
		}
		catch (SupervisionException ex) {
			names.forEach((name) -> result.put(name, ServiceStatus.unknown(name, ID, name, ex.getMessage())));
			return;
		}
		// read after connecting, which changes the epoch; a later loss changes it again
		long epoch = this.epoch.get();
		List<UnitCache> caches = names.stream().map(this::track).toList();
		long[] unitEpochs = caches.stream().mapToLong(UnitCache::epoch).toArray();
		List<CompletableFuture<Void>> loads = new ArrayList<>();
		for (UnitCache cache : caches) {
			if (!cache.isComplete()) {
				// a unit whose properties cannot be read is still reported from
				// ListUnitsByNames
				loads.add(load(current, cache).exceptionally((ex) -> null));
			}
		}
		long sentNanos = System.nanoTime();
		long sentAt = this.signalClock.get();
		List<UnitListEntry> entries;
		try {
			entries = await(call(current, current.manager, "ListUnitsByNames", names), deadline,
					"Reading the units from systemd");
			await(CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new)), deadline,
					"Reading the units' properties from systemd");
		}
		catch (SupervisionException | CallFailedException ex) {
			names.forEach((name) -> result.put(name, ServiceStatus.unknown(name, ID, name, ex.getMessage())));
			return;
		}
		for (int i = 0; i < names.size(); i++) {
			UnitCache cache = caches.get(i);
			if (i < entries.size()) {
				listed(current, cache, entries.get(i), sentAt);
				cache.confirm(sentNanos, epoch, unitEpochs[i]);
			}
			cache.baseline();
			result.put(names.get(i), cache.status());
		}
	}

	private void listed(Session session, UnitCache cache, UnitListEntry entry, long sentAt) {
		Object loadState = cache.properties().get("LoadState");
		cache.mergeListed(entryProperties(entry), sentAt);
		if (cache.isComplete() && loadState != null && !loadState.equals(entry.getLoadState())) {
			// loaded from another unit file, or unit file gone: what GetAll read is stale
			cache.invalidate();
			load(session, cache);
		}
	}

	@Override
	public boolean isDiscovering() {
		return !this.options.discover().isEmpty();
	}

	@Override
	public List<ServiceStatus> discover(Duration timeout) {
		if (this.options.discover().isEmpty()) {
			return List.of();
		}
		long deadline = deadline(timeout);
		Session current = await(session(false), deadline, "Connecting to systemd");
		List<UnitListEntry> entries;
		try {
			entries = await(call(current, current.manager, "ListUnitsByPatterns", List.of(), this.options.discover()),
					deadline, "Discovering units");
		}
		catch (CallFailedException ex) {
			throw new SystemdOperationException("systemd refused to list units: " + ex.getMessage(), ex.dbus);
		}
		List<ServiceStatus> discovered = new ArrayList<>();
		for (UnitListEntry entry : entries) {
			UnitCache known = this.units.get(entry.getName());
			Map<String, Object> properties = new HashMap<>((known != null) ? known.properties() : Map.of());
			properties.putAll(entryProperties(entry));
			discovered.add(UnitStatusMapper.toStatus(entry.getName(), properties));
		}
		return discovered;
	}

	@Override
	public CompletableFuture<ActionResult> perform(String target, ServiceAction action, Duration timeout) {
		UnitNames.validate(target);
		long deadline = deadline(timeout);
		String method = switch (action) {
			case START -> "StartUnit";
			case STOP -> "StopUnit";
			case RESTART -> "RestartUnit";
			case RELOAD -> "ReloadUnit";
			case KILL -> "KillUnit";
			default -> throw new IllegalArgumentException("systemd has no '" + action.id() + "' action");
		};
		return bounded(session(false), deadline)
			.exceptionallyCompose((ex) -> CompletableFuture.failedFuture(unavailable(ex)))
			.thenComposeAsync((opened) -> perform(opened, target, action, method, deadline), this.workers);
	}

	private CompletableFuture<ActionResult> perform(Session session, String target, ServiceAction action, String method,
			long deadline) {
		UnitCache cache = track(target);
		long sentAt = this.signalClock.get();
		return bounded(this.<List<UnitListEntry>>call(session, session.manager, "ListUnitsByNames", List.of(target)),
				deadline)
			.exceptionallyCompose((ex) -> CompletableFuture.failedFuture(unavailable(ex)))
			.thenComposeAsync((entries) -> {
				UnitListEntry before = entries.get(0);
				cache.mergeListed(entryProperties(before), sentAt);
				cache.baseline();
				if ("not-found".equals(before.getLoadState())) {
					return CompletableFuture.failedFuture(new UnknownServiceException(target,
							"systemd has no unit named '" + target + "' (no unit file found)"));
				}
				ServiceState state = UnitStatusMapper.state(before.getLoadState(), before.getActiveState(),
						before.getSubState());
				boolean idle = "/".equals(before.getJobPath());
				if (idle && action == ServiceAction.START && state.isUp()) {
					return CompletableFuture.completedFuture(new ActionResult(action, Outcome.NO_CHANGE,
							target + " is already running", null, cache.status()));
				}
				if (idle && (action == ServiceAction.STOP || action == ServiceAction.KILL)
						&& (state == ServiceState.STOPPED || state == ServiceState.FAILED)) {
					return CompletableFuture.completedFuture(new ActionResult(action, Outcome.NO_CHANGE,
							target + " is not running", null, cache.status()));
				}
				if (action == ServiceAction.KILL) {
					return kill(session, cache, deadline);
				}
				return runJob(session, cache, action, method, deadline);
			}, this.workers);
	}

	private CompletableFuture<ActionResult> runJob(Session session, UnitCache cache, ServiceAction action,
			String method, long deadline) {
		String target = cache.name();
		CompletableFuture<DBusPath> queued = bounded(
				this.<DBusPath>call(session, session.manager, method, target, MODE), deadline);
		return queued.handleAsync((job, ex) -> {
			if (ex != null) {
				return CompletableFuture.completedFuture(refused(cache, action, unwrap(ex)));
			}
			return bounded(this.jobs.await(job.getPath()), deadline).handleAsync((jobResult, jobEx) -> {
				if (jobEx != null) {
					return CompletableFuture.completedFuture(unfinished(cache, action, unwrap(jobEx)));
				}
				return readBack(session, cache, deadline)
					.thenApply((status) -> jobResult(action, target, jobResult, status));
			}, this.workers).thenCompose((next) -> next);
		}, this.workers).thenCompose((next) -> next);
	}

	private CompletableFuture<ActionResult> kill(Session session, UnitCache cache, long deadline) {
		String target = cache.name();
		Object pidBefore = cache.properties().get("MainPID");
		CompletableFuture<Void> settled = cache
			.await((properties) -> !Objects.equals(properties.get("MainPID"), pidBefore)
					|| !"active".equals(properties.get("ActiveState")));
		return bounded(this.<Object>call(session, session.manager, "KillUnit", target, "all", SIGKILL), deadline)
			.handleAsync((ignored, ex) -> {
				if (ex != null) {
					settled.cancel(false);
					Throwable cause = unwrap(ex);
					if (cause instanceof DBusExecutionException dbus
							&& (SystemdErrors.NO_SUCH_PROCESS.equals(SystemdErrors.name(dbus))
									|| SystemdErrors.NO_SUCH_UNIT.equals(SystemdErrors.name(dbus)))) {
						return CompletableFuture.completedFuture(new ActionResult(ServiceAction.KILL, Outcome.NO_CHANGE,
								target + " has no process to kill", null, cache.status()));
					}
					return CompletableFuture.completedFuture(refused(cache, ServiceAction.KILL, cause));
				}
				long settle = Math.min(deadline, System.nanoTime() + KILL_SETTLE.toNanos());
				return bounded(settled, settle).handle((done, timeout) -> settled.cancel(false))
					.thenCompose((done) -> readBack(session, cache, deadline))
					.thenApply((status) -> new ActionResult(ServiceAction.KILL, Outcome.DONE,
							"Sent SIGKILL to the processes of " + target, null, status));
			}, this.workers)
			.thenCompose((next) -> next);
	}

	private ActionResult jobResult(ServiceAction action, String target, String jobResult,
			@Nullable ServiceStatus status) {
		ServiceState state = (status != null) ? status.state() : ServiceState.UNKNOWN;
		return switch (jobResult) {
			case "done" -> doneResult(action, target, status, state);
			case "canceled" -> new ActionResult(action, Outcome.CANCELED,
					"The " + action.id() + " job of " + target + " was canceled by a later job", jobResult, status);
			case "skipped" -> new ActionResult(action, Outcome.NO_CHANGE,
					"systemd skipped the " + action.id() + " job of " + target + ": it did not apply to its state",
					jobResult, status);
			case "timeout" -> new ActionResult(action, Outcome.FAILED,
					"systemd's own timeout for " + target
							+ " expired (TimeoutStartSec/TimeoutStopSec); see 'journalctl -u " + target + "'",
					jobResult, status);
			case "dependency" -> new ActionResult(action, Outcome.FAILED,
					"A unit that " + target + " depends on failed; see 'systemctl list-dependencies " + target + "'",
					jobResult, status);
			default -> new ActionResult(action, Outcome.FAILED, "The " + action.id() + " job of " + target + " ended '"
					+ jobResult + "'; see 'journalctl -u " + target + "'", jobResult, status);
		};
	}

	private ActionResult doneResult(ServiceAction action, String target, @Nullable ServiceStatus status,
			ServiceState state) {
		boolean startLike = action == ServiceAction.START || action == ServiceAction.RESTART;
		if (startLike && status != null && !state.isUp() && state != ServiceState.STARTING) {
			if (status.details().containsKey("conditionResult")) {
				return new ActionResult(action, Outcome.FAILED, target
						+ " was not started: a Condition...= setting of the unit was not met (systemd's job still "
						+ "ended 'done')", "done", status);
			}
			return new ActionResult(action, Outcome.FAILED,
					target + " is " + status.rawState() + " after the start job; see 'journalctl -u " + target + "'",
					"done", status);
		}
		return new ActionResult(action, Outcome.DONE, "systemd completed the " + action.id() + " job of " + target,
				"done", status);
	}

	private ActionResult refused(UnitCache cache, ServiceAction action, Throwable cause) {
		String target = cache.name();
		String type = (cause instanceof DBusExecutionException dbus) ? SystemdErrors.name(dbus) : null;
		String message = (cause instanceof DBusExecutionException dbus) ? dbus.getMessage() : null;
		SupervisionException refusal = SystemdErrors.refusal(type, message, target, action.id(),
				SystemdErrors.MANAGE_UNITS);
		if (refusal != null) {
			throw new CompletionException(refusal);
		}
		if (cause instanceof TimeoutException) {
			return new ActionResult(action, Outcome.TIMEOUT, "systemd did not answer the " + action.id()
					+ " request for " + target + " in time; it may still act on it", null, cache.status());
		}
		if (cause instanceof BusLostException) {
			return unfinished(cache, action, cause);
		}
		String dependency = SystemdErrors.causedByAnotherUnit(type, message, target, action.id());
		if (dependency != null) {
			return new ActionResult(action, Outcome.FAILED, dependency, type, cache.status());
		}
		String words = SystemdErrors.quoted(message);
		if (SystemdErrors.UNIT_MASKED.equals(type)) {
			return new ActionResult(action, Outcome.FAILED,
					target + " is masked; unmask it first ('systemctl unmask " + target + "')" + words, "masked",
					cache.status());
		}
		if (SystemdErrors.LOAD_FAILED.equals(type) || SystemdErrors.BAD_UNIT_SETTING.equals(type)) {
			return new ActionResult(action, Outcome.FAILED, "systemd could not load " + target
					+ "; fix the unit file and run daemon-reload (see 'systemctl status " + target + "')" + words,
					"load-failed", cache.status());
		}
		if (SystemdErrors.JOB_TYPE_NOT_APPLICABLE.equals(type)) {
			return new ActionResult(action, Outcome.UNSUPPORTED,
					target + " does not support '" + action.id() + "'" + words, "not-applicable", cache.status());
		}
		if (SystemdErrors.ONLY_BY_DEPENDENCY.equals(type)) {
			return new ActionResult(action, Outcome.UNSUPPORTED,
					target + " may only be started or stopped as a dependency (RefuseManualStart/Stop)" + words,
					"only-by-dependency", cache.status());
		}
		if (SystemdErrors.UNIT_INACTIVE.equals(type)) {
			return new ActionResult(action, Outcome.FAILED,
					target + " is not running, so it cannot be " + action.id() + "ed" + words, "inactive",
					cache.status());
		}
		return new ActionResult(action, Outcome.FAILED,
				"systemd refused to " + action.id() + " " + target + ((message != null) ? ": " + message : ""),
				(type != null) ? type : null, cache.status());
	}

	private ActionResult unfinished(UnitCache cache, ServiceAction action, Throwable cause) {
		String target = cache.name();
		if (cause instanceof BusLostException) {
			return new ActionResult(action, Outcome.TIMEOUT, "The bus connection dropped while the " + action.id()
					+ " job of " + target + " ran; it may have completed and was not repeated", null, cache.status());
		}
		return new ActionResult(action, Outcome.TIMEOUT,
				"The " + action.id() + " job of " + target + " did not finish in time; systemd may still complete it",
				null, cache.status());
	}

	private CompletableFuture<@Nullable ServiceStatus> readBack(Session session, UnitCache cache, long deadline) {
		long sentAt = this.signalClock.get();
		return bounded(getAll(session, cache.name()), deadline).handle((properties, ex) -> {
			if (ex == null) {
				cache.replace(properties, sentAt);
			}
			return cache.status();
		});
	}

	/**
	 * Enable unit files ({@code systemctl enable}), creating the symlinks their
	 * {@code [Install]} sections ask for.
	 * @param unitNames the units
	 * @param runtime whether to enable them until the next boot only
	 * @param force whether to replace symlinks that point elsewhere
	 * @param timeout the most this call may wait
	 * @return whether the units carry install information, and the changes made
	 */
	public EnableResult enable(List<String> unitNames, boolean runtime, boolean force, Duration timeout) {
		unitNames.forEach(UnitNames::validate);
		EnableUnitFilesReply<Boolean, List<UnitFileChangeEntry>> reply = manage("EnableUnitFiles", "enable",
				SystemdErrors.MANAGE_UNIT_FILES, unitNames, timeout, List.copyOf(unitNames), runtime, force);
		return new EnableResult(Boolean.TRUE.equals(reply.getCarriesInstallInfo()), changes(reply.getChanges()));
	}

	/**
	 * Disable unit files ({@code systemctl disable}), removing their symlinks.
	 * @param unitNames the units
	 * @param runtime whether to remove the runtime enablement only
	 * @param timeout the most this call may wait
	 * @return the changes made
	 */
	public List<UnitFileChange> disable(List<String> unitNames, boolean runtime, Duration timeout) {
		unitNames.forEach(UnitNames::validate);
		List<UnitFileChangeEntry> reply = manage("DisableUnitFiles", "disable", SystemdErrors.MANAGE_UNIT_FILES,
				unitNames, timeout, List.copyOf(unitNames), runtime);
		return changes(reply);
	}

	/**
	 * Make systemd reload its unit files ({@code systemctl daemon-reload}).
	 * @param timeout the most this call may wait
	 */
	public void daemonReload(Duration timeout) {
		manage("Reload", "daemon-reload", SystemdErrors.RELOAD_DAEMON, List.of(), timeout);
	}

	/**
	 * Return a unit file's enablement state ({@code systemctl is-enabled}).
	 * @param unitName the unit
	 * @param timeout the most this call may wait
	 * @return the state, such as {@code enabled}, {@code disabled}, {@code static} or
	 * {@code masked}
	 */
	public String unitFileState(String unitName, Duration timeout) {
		UnitNames.validate(unitName);
		return manage("GetUnitFileState", "is-enabled", SystemdErrors.MANAGE_UNIT_FILES, List.of(unitName), timeout,
				unitName);
	}

	private <T> T manage(String method, String verb, String polkitAction, List<String> unitNames, Duration timeout,
			Object... args) {
		long deadline = deadline(timeout);
		Session current = await(session(false), deadline, "Connecting to systemd");
		CompletableFuture<T> call = call(current, current.manager, method, args);
		try {
			return await(call, deadline, "systemd " + verb);
		}
		catch (CallFailedException ex) {
			String unit = (unitNames.size() == 1) ? unitNames.get(0) : null;
			String type = SystemdErrors.name(ex.dbus);
			SupervisionException refusal = SystemdErrors.refusal(type, ex.dbus.getMessage(), unit, verb, polkitAction);
			if (refusal != null) {
				throw refusal;
			}
			throw new SystemdOperationException("systemd refused " + verb + ": " + ex.dbus.getMessage(), ex.dbus);
		}
	}

	private static List<UnitFileChange> changes(List<UnitFileChangeEntry> entries) {
		return entries.stream()
			.map((entry) -> new UnitFileChange(entry.getType(), entry.getFile(), entry.getDestination()))
			.toList();
	}

	@Override
	public Subscription watch(ServiceStatusListener listener) {
		Objects.requireNonNull(listener, "'listener' must not be null");
		this.listeners.add(listener);
		session(false);
		return () -> this.listeners.remove(listener);
	}

	@Override
	public void close() {
		Session current;
		synchronized (this.lock) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			current = this.session;
			this.session = null;
			this.availability = BackendAvailability.down("The systemd backend is closed");
		}
		this.jobs.failAll(new BusLostException());
		if (current != null) {
			current.connection.disconnect();
		}
		this.scheduler.shutdownNow();
		this.notifier.shutdownNow();
		this.workers.shutdownNow();
	}

	int pendingJobs() {
		return this.jobs.pending();
	}

	int pendingLoads() {
		return this.loads.pending();
	}

	int pendingWaiters() {
		return this.units.values().stream().mapToInt(UnitCache::waiterCount).sum();
	}

	// Connection

	private CompletableFuture<Session> session(boolean reconnecting) {
		synchronized (this.lock) {
			if (this.closed) {
				return CompletableFuture.failedFuture(new BackendUnavailableException("The systemd backend is closed"));
			}
			if (this.session != null) {
				return CompletableFuture.completedFuture(this.session);
			}
			if (this.connecting != null) {
				return this.connecting;
			}
			if (!reconnecting && System.nanoTime() < this.nextAttemptNanos) {
				return CompletableFuture.failedFuture(new BackendUnavailableException(this.availability.reason()));
			}
			int id = ++this.generation;
			CompletableFuture<Session> attempt = CompletableFuture.supplyAsync(() -> open(id), this.workers)
				.exceptionallyCompose((ex) -> CompletableFuture.failedFuture(new BackendUnavailableException(
						"Cannot reach systemd on the bus at " + this.address + ": " + describe(unwrap(ex)),
						unwrap(ex))));
			this.connecting = attempt;
			attempt.whenComplete((opened, ex) -> connected(attempt, opened, ex));
			return attempt;
		}
	}

	private void connected(CompletableFuture<Session> attempt, @Nullable Session opened, @Nullable Throwable ex) {
		boolean refresh = false;
		synchronized (this.lock) {
			if (this.connecting == attempt) {
				this.connecting = null;
			}
			// a connection that dropped before it was installed had its callback ignored
			boolean usable = opened != null && !opened.calls().isLost();
			if (usable && !this.closed) {
				this.epoch.incrementAndGet();
				this.session = opened;
				this.availability = BackendAvailability.up();
				this.backoff = this.options.reconnectMinBackoff();
				this.nextAttemptNanos = 0;
				refresh = true;
			}
			else if (!usable) {
				String reason = (opened != null) ? "The bus connection dropped while connecting to " + this.address
						: describe(unwrap(ex));
				this.availability = BackendAvailability.down(reason);
				logger.log(System.Logger.Level.DEBUG, reason);
				this.nextAttemptNanos = System.nanoTime() + this.backoff.toNanos();
				scheduleReconnect();
			}
		}
		if (opened != null && this.closed) {
			opened.connection.disconnect();
		}
		if (refresh) {
			refreshAll(opened);
		}
	}

	private Session open(int id) {
		DBusConnection connection = null;
		PendingCalls calls = new PendingCalls();
		try {
			if (this.address.startsWith(UNIX_PATH) && !this.address.contains(",")
					&& !Files.exists(Path.of(this.address.substring(UNIX_PATH.length())))) {
				// dbus-java retries a missing socket for its transport timeout; fail fast
				throw new NoSuchFileException(this.address.substring(UNIX_PATH.length()), null, "no bus socket there");
			}
			connection = DBusConnectionBuilder.forAddress(this.address)
				.transportConfig()
				.withTimeout((int) Math.min(Integer.MAX_VALUE, this.options.connectTimeout().toMillis()))
				.back()
				.withShared(false)
				.withImportWeakReferences(true)
				.withDisconnectCallback(new Disconnected(id, calls))
				.build();
			Manager manager = connection.getRemoteObject(Manager.BUS_NAME, Manager.OBJECT_PATH, Manager.class);
			connection.addSigHandler(Manager.JobRemoved.class,
					(signal) -> this.jobs.jobRemoved(signal.getJob(), signal.getResult()));
			connection.addSigHandler(Properties.PropertiesChanged.class, this::propertiesChanged);
			connection.addSigHandler(Manager.UnitRemoved.class, this::unitRemoved);
			connection.addSigHandler(Manager.UnitNew.class, this::unitNew);
			connection.addSigHandler(Manager.Reloading.class, this::reloading);
			connection.addSigHandler(Manager.UnitFilesChanged.class, (signal) -> unitFilesChanged());
			Session session = new Session(id, connection, manager, calls);
			CompletableFuture<Object> subscribed = call(session, manager, "Subscribe");
			subscribed.get(this.options.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
			return session;
		}
		catch (DBusException | IOException | ExecutionException | TimeoutException | RuntimeException ex) {
			if (connection != null) {
				connection.disconnect();
			}
			throw new CompletionException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			if (connection != null) {
				connection.disconnect();
			}
			throw new CompletionException(ex);
		}
	}

	private void lost(int id, PendingCalls calls, @Nullable Throwable cause) {
		// first, so that the loads are done before the reconnection reads the units again
		calls.failAll(new BusLostException());
		disconnected(id, cause);
	}

	private void disconnected(int id, @Nullable Throwable cause) {
		Session lost;
		synchronized (this.lock) {
			if (this.session == null || this.session.id != id || this.closed) {
				return;
			}
			lost = this.session;
			this.session = null;
			this.availability = BackendAvailability
				.down("Lost the connection to systemd on the bus at " + this.address + "; reconnecting");
		}
		logger.log(System.Logger.Level.INFO, "Lost the systemd bus connection ("
				+ ((cause != null) ? cause.getClass().getSimpleName() : "closed") + "); reconnecting");
		this.epoch.incrementAndGet();
		this.reloading = false;
		this.jobs.failAll(new BusLostException());
		this.units.values().forEach(UnitCache::invalidate);
		this.workers.execute(lost.connection::disconnect);
		scheduleReconnect();
	}

	/**
	 * Schedule the next connection attempt, after the connection dropped or an attempt
	 * failed: each failed attempt schedules the next one, with twice the wait, so that
	 * the backend comes back by itself, whether or not anything reads.
	 */
	private void scheduleReconnect() {
		synchronized (this.lock) {
			if (this.closed || this.reconnectScheduled) {
				return;
			}
			this.reconnectScheduled = true;
			Duration delay = this.backoff;
			Duration doubled = this.backoff.multipliedBy(2);
			this.backoff = (doubled.compareTo(this.options.reconnectMaxBackoff()) > 0)
					? this.options.reconnectMaxBackoff() : doubled;
			// under the lock: close() shuts the scheduler down only after setting closed
			this.scheduler.schedule(() -> {
				synchronized (this.lock) {
					this.reconnectScheduled = false;
				}
				session(true);
			}, delay.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	private void refreshAll(Session session) {
		for (UnitCache cache : this.units.values()) {
			if (!cache.isComplete()) {
				load(session, cache).thenRun(() -> notifyChanged(cache));
			}
		}
	}

	// Signals: handled on dbus-java's signal thread, so they only update memory

	private void propertiesChanged(Properties.PropertiesChanged signal) {
		String unit = this.unitsByPath.get(signal.getPath());
		if (unit == null) {
			return;
		}
		UnitCache cache = this.units.get(unit);
		if (cache == null) {
			return;
		}
		cache.signalled(unwrap(signal.getPropertiesChanged()), this.signalClock.incrementAndGet());
		if (!this.listeners.isEmpty()) {
			this.notifier.execute(() -> notifyChanged(cache));
		}
	}

	private void unitRemoved(Manager.UnitRemoved signal) {
		UnitCache cache = this.units.get(signal.getUnit());
		if (cache != null) {
			cache.unconfirm();
			if (this.reloading) {
				// daemon-reload unloads and loads every unit, keeping its runtime state
				return;
			}
			// A unit loaded again starts with fresh runtime properties
			cache.merge(Map.of("MainPID", 0L, "NRestarts", 0L, "ExecMainCode", 0L, "ExecMainStatus", 0L));
		}
	}

	private void reloading(Manager.Reloading signal) {
		this.reloading = signal.isActive();
		this.epoch.incrementAndGet();
	}

	private void unitNew(Manager.UnitNew signal) {
		UnitCache cache = this.units.get(signal.getUnit());
		if (cache != null) {
			// loaded again, perhaps from a changed unit file: ask systemd next time
			cache.unconfirm();
		}
	}

	private void unitFilesChanged() {
		Session current;
		synchronized (this.lock) {
			current = this.session;
		}
		if (current != null) {
			this.units.values().forEach(UnitCache::invalidate);
			this.workers.execute(() -> refreshAll(current));
		}
	}

	private void notifyChanged(UnitCache cache) {
		ServiceStatus status = cache.changedStatus();
		if (status == null) {
			return;
		}
		for (ServiceStatusListener listener : this.listeners) {
			try {
				listener.statusChanged(status);
			}
			catch (RuntimeException ex) {
				logger.log(System.Logger.Level.WARNING,
						"A service status listener failed: " + ex.getClass().getSimpleName());
			}
		}
	}

	// Calls

	private UnitCache track(String name) {
		return this.units.computeIfAbsent(name, (key) -> {
			this.unitsByPath.put(UnitNames.objectPath(key), key);
			return new UnitCache(key);
		});
	}

	private CompletableFuture<Void> load(Session session, UnitCache cache) {
		synchronized (cache) {
			CompletableFuture<Void> loading = cache.loading();
			if (loading != null && !loading.isDone()) {
				return loading;
			}
			CompletableFuture<Void> next = this.loads.submit(() -> {
				long sentAt = this.signalClock.get();
				return getAll(session, cache.name()).thenAccept((all) -> cache.replace(all, sentAt));
			});
			cache.loading(next);
			return next;
		}
	}

	private CompletableFuture<Map<String, Object>> getAll(Session session, String unit) {
		Properties properties;
		try {
			properties = session.connection.getRemoteObject(Manager.BUS_NAME, UnitNames.objectPath(unit),
					Properties.class);
		}
		catch (DBusException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		CompletableFuture<Map<String, Variant<?>>> all = call(session, properties, "GetAll", "");
		return all.thenApply(SystemdBackend::unwrap);
	}

	private <T> CompletableFuture<T> call(Session session, DBusInterface object, String method, Object... args) {
		CompletableFuture<T> future = session.calls.track(new CompletableFuture<>());
		if (future.isDone()) {
			return future;
		}
		try {
			session.connection.callWithCallback(object, method, new CallbackHandler<T>() {

				@Override
				public void handle(T reply) {
					future.complete(reply);
				}

				@Override
				public void handleError(DBusExecutionException ex) {
					future.completeExceptionally(ex);
				}

			}, args);
		}
		catch (RuntimeException ex) {
			if (!session.connection.isConnected()) {
				// dropped without (or before) dbus-java's disconnect callback
				lost(session.id, session.calls, ex);
			}
			future.completeExceptionally(ex);
		}
		return future;
	}

	private static Map<String, Object> unwrap(Map<String, Variant<?>> variants) {
		Map<String, Object> properties = new HashMap<>();
		variants.forEach((name, value) -> {
			if (UnitStatusMapper.KEPT.contains(name) && value != null && value.getValue() != null) {
				properties.put(name, value.getValue());
			}
		});
		return properties;
	}

	private static Map<String, Object> entryProperties(UnitListEntry entry) {
		Map<String, Object> properties = new HashMap<>();
		properties.put("Description", entry.getDescription());
		properties.put("LoadState", entry.getLoadState());
		properties.put("ActiveState", entry.getActiveState());
		properties.put("SubState", entry.getSubState());
		return properties;
	}

	// Deadlines

	private static long deadline(Duration timeout) {
		return System.nanoTime() + Math.max(0, timeout.toNanos());
	}

	private <T> CompletableFuture<T> bounded(CompletableFuture<T> future, long deadline) {
		long remaining = deadline - System.nanoTime();
		return future.copy().orTimeout(Math.max(0, remaining), TimeUnit.NANOSECONDS);
	}

	private <T> T await(CompletableFuture<T> future, long deadline, String what) {
		long remaining = deadline - System.nanoTime();
		try {
			return future.get(Math.max(0, remaining), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			throw new SupervisionTimeoutException(what, Duration.ofNanos(Math.max(0, remaining)));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new BackendUnavailableException(what + " was interrupted");
		}
		catch (ExecutionException ex) {
			Throwable cause = unwrap(ex);
			if (cause instanceof SupervisionException supervision) {
				throw supervision;
			}
			if (cause instanceof DBusExecutionException dbus
					&& !SystemdErrors.isConnectionLoss(SystemdErrors.name(dbus))) {
				throw new CallFailedException(dbus);
			}
			throw new BackendUnavailableException(what + " failed: " + describe(cause));
		}
	}

	private SupervisionException unavailable(Throwable ex) {
		Throwable cause = unwrap(ex);
		if (cause instanceof SupervisionException supervision) {
			return supervision;
		}
		if (cause instanceof TimeoutException) {
			return new BackendUnavailableException("systemd did not answer on the bus at " + this.address + " in time");
		}
		return new BackendUnavailableException(
				"Cannot reach systemd on the bus at " + this.address + ": " + describe(cause));
	}

	private static Throwable unwrap(@Nullable Throwable ex) {
		Throwable current = ex;
		while ((current instanceof CompletionException || current instanceof ExecutionException)
				&& current.getCause() != null) {
			current = current.getCause();
		}
		return (current != null) ? current : new IllegalStateException("unknown failure");
	}

	private static String describe(Throwable ex) {
		String message = ex.getMessage();
		return (message != null && !message.isBlank()) ? message : ex.getClass().getSimpleName();
	}

	private static ThreadFactory threads(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	private record Session(int id, DBusConnection connection, Manager manager, PendingCalls calls) {

	}

	private final class Disconnected implements IDisconnectCallback {

		private final int id;

		private final PendingCalls calls;

		Disconnected(int id, PendingCalls calls) {
			this.id = id;
			this.calls = calls;
		}

		@Override
		public void disconnectOnError(IOException ex) {
			lost(this.id, this.calls, ex);
		}

		@Override
		public void exceptionOnTerminate(IOException ex) {
			lost(this.id, this.calls, ex);
		}

		@Override
		public void requestedDisconnect(@Nullable Integer connectionId) {
			this.calls.failAll(new BusLostException());
		}

	}

	private static final class BusLostException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		BusLostException() {
			super("The bus connection dropped", null, false, false);
		}

	}

	private static final class CallFailedException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		private final DBusExecutionException dbus;

		CallFailedException(DBusExecutionException dbus) {
			super(dbus.getMessage(), dbus, false, false);
			this.dbus = dbus;
		}

	}

}
