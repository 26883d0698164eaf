package io.github.supervision.systemd;

import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.github.supervision.ActionResult;
import io.github.supervision.BackendAvailability;
import io.github.supervision.EnableCapability;
import io.github.supervision.LogTailCapability;
import io.github.supervision.ResetFailedCapability;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceLog;
import io.github.supervision.ServiceSignal;
import io.github.supervision.ServiceStatus;
import io.github.supervision.ServiceStatusListener;
import io.github.supervision.SignalCapability;
import io.github.supervision.Subscription;
import io.github.supervision.SupervisionBackend;
import io.github.supervision.support.DaemonThreadFactory;
import io.github.supervision.systemd.SystemdConnection.Session;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;

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
 * <p>
 * The backend wires the parts that do this: {@link SystemdConnection} (the connection),
 * {@link UnitRegistry} (units, signals), {@link UnitReads} (reads), {@link UnitActions}
 * and {@link JobOutcomes} (actions and what they came to), and {@link UnitFiles} (enable,
 * disable and daemon-reload). Its {@link LogTailCapability} reads the unit's journal
 * through {@code journalctl} ({@link JournalTail}).
 *
 * @author Supervision contributors
 */
public final class SystemdBackend
		implements SupervisionBackend, LogTailCapability, EnableCapability, ResetFailedCapability, SignalCapability {

	/**
	 * The backend's id.
	 */
	public static final String ID = "systemd";

	private static final Set<ServiceAction> SUPPORTED_ACTIONS = Set
		.copyOf(EnumSet.of(ServiceAction.START, ServiceAction.STOP, ServiceAction.RESTART, ServiceAction.RELOAD,
				ServiceAction.KILL, ServiceAction.TRY_RESTART, ServiceAction.RELOAD_OR_RESTART));

	private final SystemdOptions options;

	private final String address;

	private final ExecutorService workers;

	private final SystemdConnection connection;

	private final UnitRegistry units;

	private final UnitReads reads;

	private final UnitActions actions;

	private final UnitFiles unitFiles;

	private final JournalTail journal;

	private final UnitVerbs verbs;

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
		this(options, KillWhom.MAIN);
	}

	/**
	 * Create a backend. Nothing is connected until the backend is first used.
	 * @param options the settings
	 * @param killWhom whose processes a
	 * {@linkplain #signal(String, ServiceSignal, Duration) signal} reaches
	 */
	public SystemdBackend(SystemdOptions options, KillWhom killWhom) {
		Objects.requireNonNull(killWhom, "'killWhom' must not be null");
		this.options = Objects.requireNonNull(options, "'options' must not be null");
		this.address = options.resolveAddress(System.getenv());
		this.workers = Executors.newCachedThreadPool(new DaemonThreadFactory("systemd-backend-"));
		this.connection = new SystemdConnection(options, this.address, this.workers, new Wiring());
		this.units = new UnitRegistry(this.connection, this.workers);
		this.reads = new UnitReads(options, this.connection, this.units);
		this.actions = new UnitActions(this.connection, this.units, this.workers);
		this.unitFiles = new UnitFiles(this.connection);
		this.journal = new JournalTail(options.journalDirectory(), this.workers);
		this.verbs = new UnitVerbs(this.connection, this.units, this.unitFiles, this.workers, killWhom);
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
	 * Return the actions systemd has: start, stop, restart, reload, kill, try-restart and
	 * reload-or-restart. Enable, disable, reset-failed and signal are its capabilities.
	 * @return the supported actions
	 */
	@Override
	public Set<ServiceAction> supportedActions() {
		return SUPPORTED_ACTIONS;
	}

	@Override
	public BackendAvailability availability() {
		return this.connection.availability();
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
		this.connection.session();
	}

	/**
	 * Return the status of units. When every unit was confirmed by a
	 * {@code ListUnitsByNames} less than {@link SystemdOptions#statusCacheTtl()} ago, and
	 * the connection has stayed subscribed since (no bus loss, reconnection or
	 * daemon-reload; the unit not loaded or unloaded), the answer comes from the
	 * properties that the signals keep fresh, without a call. Otherwise one
	 * {@code ListUnitsByNames} asks for the units that are not fresh. A unit seen for the
	 * first time also needs its properties ({@code GetAll}); one whose properties are not
	 * read by the deadline answers UNKNOWN, while the others answer.
	 * @param targets the unit names
	 * @param timeout the most this call may wait
	 * @return the status of each unit, by name
	 */
	@Override
	public Map<String, ServiceStatus> status(Collection<String> targets, Duration timeout) {
		return this.reads.status(targets, timeout);
	}

	@Override
	public boolean isDiscovering() {
		return !this.options.discover().isEmpty();
	}

	@Override
	public List<ServiceStatus> discover(Duration timeout) {
		return this.reads.discover(timeout);
	}

	@Override
	public CompletableFuture<ActionResult> perform(String target, ServiceAction action, Duration timeout) {
		return this.actions.perform(target, action, timeout);
	}

	/**
	 * Return the unit's latest journal lines, newest last, as
	 * {@code journalctl --unit=UNIT --lines=N} shows them (the unit's output and
	 * systemd's messages about it), read from {@link SystemdOptions#journalDirectory()}
	 * when set. The bus is not used.
	 * @param target the unit, already validated
	 * @param lines the most lines
	 * @param timeout the most the read may take; {@code journalctl} is killed at it
	 * @return the lines, oldest first
	 */
	@Override
	public ServiceLog tailLog(String target, int lines, Duration timeout) {
		return this.journal.tail(target, lines, timeout);
	}

	/**
	 * Enable or disable a unit file, as {@code systemctl enable} and {@code disable} do,
	 * reporting the unit file state and the links made or removed (a unit without an
	 * {@code [Install]} section cannot be enabled: the answer says so).
	 * @param target the unit
	 * @param enable whether to enable it
	 * @param timeout the deadline
	 * @return the result
	 */
	@Override
	public CompletableFuture<ActionResult> enable(String target, boolean enable, Duration timeout) {
		return this.verbs.enable(target, enable, timeout);
	}

	/**
	 * Clear a unit's failed state ({@code ResetFailedUnit}, as
	 * {@code systemctl reset-failed}).
	 * @param target the unit
	 * @param timeout the deadline
	 * @return the result
	 */
	@Override
	public CompletableFuture<ActionResult> resetFailed(String target, Duration timeout) {
		return this.verbs.resetFailed(target, timeout);
	}

	/**
	 * Send a signal to a unit's main process, or to all its processes as configured
	 * ({@code KillUnit}, as {@code systemctl kill --signal}).
	 * @param target the unit
	 * @param signal the signal
	 * @param timeout the deadline
	 * @return the result
	 */
	@Override
	public CompletableFuture<ActionResult> signal(String target, ServiceSignal signal, Duration timeout) {
		return this.verbs.signal(target, signal, timeout);
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
		return this.unitFiles.enable(unitNames, runtime, force, timeout);
	}

	/**
	 * Disable unit files ({@code systemctl disable}), removing their symlinks.
	 * @param unitNames the units
	 * @param runtime whether to remove the runtime enablement only
	 * @param timeout the most this call may wait
	 * @return the changes made
	 */
	public List<UnitFileChange> disable(List<String> unitNames, boolean runtime, Duration timeout) {
		return this.unitFiles.disable(unitNames, runtime, timeout);
	}

	/**
	 * Make systemd reload its unit files ({@code systemctl daemon-reload}).
	 * @param timeout the most this call may wait
	 */
	public void daemonReload(Duration timeout) {
		this.unitFiles.daemonReload(timeout);
	}

	/**
	 * Return a unit file's enablement state ({@code systemctl is-enabled}).
	 * @param unitName the unit
	 * @param timeout the most this call may wait
	 * @return the state, such as {@code enabled}, {@code disabled}, {@code static} or
	 * {@code masked}
	 */
	public String unitFileState(String unitName, Duration timeout) {
		return this.unitFiles.unitFileState(unitName, timeout);
	}

	@Override
	public Subscription watch(ServiceStatusListener listener) {
		Objects.requireNonNull(listener, "'listener' must not be null");
		Runnable remove = this.units.watch(listener);
		this.connection.session();
		return remove::run;
	}

	@Override
	public void close() {
		this.actions.lost();
		this.connection.close();
		this.units.close();
		this.workers.shutdownNow();
	}

	int pendingJobs() {
		return this.actions.pendingJobs();
	}

	int pendingLoads() {
		return this.units.pendingLoads();
	}

	int pendingWaiters() {
		return this.units.pendingWaiters();
	}

	/**
	 * Hands the connection's life to the parts: signal handlers before each subscription,
	 * a refresh once connected, and a reset when the bus drops.
	 */
	private final class Wiring implements SystemdConnection.Events {

		@Override
		public void opening(DBusConnection connection) throws DBusException {
			SystemdBackend.this.actions.subscribe(connection);
			SystemdBackend.this.units.subscribe(connection);
		}

		@Override
		public void connected(Session session) {
			SystemdBackend.this.units.connected(session);
		}

		@Override
		public void lost() {
			SystemdBackend.this.units.lost();
			SystemdBackend.this.actions.lost();
		}

	}

}
