package io.github.supervision.runit;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.github.supervision.ActionInProgressException;
import io.github.supervision.ActionResult;
import io.github.supervision.BackendAvailability;
import io.github.supervision.EnableCapability;
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
import io.github.supervision.UnknownServiceException;
import org.jspecify.annotations.Nullable;

/**
 * Backend for services supervised by runit's {@code runsv} (and daemontools'
 * {@code supervise}, s6's {@code s6-supervise}), driven through their {@code supervise/}
 * files as {@code sv} does, without running {@code sv}.
 * <p>
 * A target is a service directory: an absolute path, or a bare name resolved in the scan
 * directory ({@code /etc/service} by default). Reading a status is a small file read;
 * whether the supervisor still runs is seen from its lock in {@code /proc/locks}. Actions
 * write command letters to {@code supervise/control} and wait for the wanted state like
 * {@code sv -w}, bounded by the caller's deadline. Nothing here ever opens a FIFO in a
 * way that can block. This class wires the parts: a {@link SuperviseReader} decodes the
 * files, a {@link StatusWatcher} keeps what it read until a file changes, and
 * {@link ControlActions} writes to the control FIFOs. Its {@link LogTailCapability} reads
 * the lines the service's logger wrote ({@code current} where its {@code log/run} says,
 * or {@code log/main/current}, and the rotated files).
 *
 * @author Supervision contributors
 */
public final class RunitBackend implements SupervisionBackend, LogTailCapability, EnableCapability, SignalCapability {

	/**
	 * The backend's id.
	 */
	public static final String ID = "runit";

	/**
	 * The default scan directory, Debian's: the one the runit properties and a
	 * registration link into default to.
	 */
	public static final Path DEFAULT_SERVICE_DIRECTORY = Path.of("/etc/service");

	/**
	 * The default log file of a service, relative to its service directory (where
	 * {@code svlogd} writes when its {@code log/run} says {@code svlogd main}).
	 */
	public static final String DEFAULT_LOG_FILE = "log/main/current";

	/**
	 * The default time a stop waits after TERM before it sends KILL: {@code sv}'s default
	 * wait.
	 */
	public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(7);

	private static final int MAX_LOG_BYTES = 1024 * 1024;

	private final Path serviceDirectory;

	private final boolean discover;

	private final String logFile;

	private final Map<String, Path> logDirectories;

	private final SuperviseReader reader;

	private final StatusWatcher watcher;

	private final ControlActions actions;

	private final DownFiles downFiles;

	/**
	 * Create a backend with the defaults: scan directory {@code /etc/service}, no
	 * discovery, changes watched with a 500 ms poll where watching is impossible.
	 */
	public RunitBackend() {
		this(DEFAULT_SERVICE_DIRECTORY, false, Duration.ofMillis(500), true, DEFAULT_LOG_FILE, List.of());
	}

	/**
	 * Create a backend. Nothing is read until the backend is used.
	 * @param serviceDirectory the scan directory bare names are resolved in
	 * @param discover whether {@link #discover(Duration)} lists every service in the scan
	 * directory
	 * @param pollInterval time between two reads of the services that cannot be watched,
	 * and between two checks that every supervisor still runs
	 * @param watch whether to watch {@code supervise/} directories for changes (else
	 * every service is polled)
	 * @param logFile a service's log file, relative to its service directory, whose end
	 * {@link #tailLog(String, int, Duration)} reads
	 * @param targets targets to watch from the start (declared services); others are
	 * watched once read. Invalid ones are left out here; {@link #validateTarget(String)}
	 * reports them
	 */
	public RunitBackend(Path serviceDirectory, boolean discover, Duration pollInterval, boolean watch, String logFile,
			Collection<String> targets) {
		this(serviceDirectory, discover, pollInterval, watch, logFile, targets, DEFAULT_STOP_TIMEOUT, Map.of());
	}

	/**
	 * Create a backend whose stops send KILL to a service still up after its stop
	 * timeout, as {@code sv force-stop} does. Nothing is read until the backend is used.
	 * @param serviceDirectory the scan directory bare names are resolved in
	 * @param discover whether {@link #discover(Duration)} lists every service in the scan
	 * directory
	 * @param pollInterval time between two reads of the services that cannot be watched,
	 * and between two checks that every supervisor still runs
	 * @param watch whether to watch {@code supervise/} directories for changes (else
	 * every service is polled)
	 * @param logFile a service's log file, relative to its service directory, whose end
	 * {@link #tailLog(String, int, Duration)} reads
	 * @param targets targets to watch from the start (declared services); others are
	 * watched once read. Invalid ones are left out here; {@link #validateTarget(String)}
	 * reports them
	 * @param stopTimeout how long a stop waits after TERM before it sends KILL, or
	 * {@code null} to never send KILL to services not in {@code stopTimeouts}
	 * @param stopTimeouts stop timeouts of some targets, overriding {@code stopTimeout}
	 */
	public RunitBackend(Path serviceDirectory, boolean discover, Duration pollInterval, boolean watch, String logFile,
			Collection<String> targets, @Nullable Duration stopTimeout, Map<String, Duration> stopTimeouts) {
		this(serviceDirectory, discover, pollInterval, watch, logFile, targets, stopTimeout, stopTimeouts, Map.of());
	}

	/**
	 * Create a backend whose stops send KILL to a service still up after its stop
	 * timeout, and whose log tails read the given log directories of some targets.
	 * Nothing is read until the backend is used.
	 * @param serviceDirectory the scan directory bare names are resolved in
	 * @param discover whether {@link #discover(Duration)} lists every service in the scan
	 * directory
	 * @param pollInterval time between two reads of the services that cannot be watched,
	 * and between two checks that every supervisor still runs
	 * @param watch whether to watch {@code supervise/} directories for changes (else
	 * every service is polled)
	 * @param logFile a service's log file, relative to its service directory, whose end
	 * {@link #tailLog(String, int, Duration)} reads when its {@code log/run} names no
	 * logger directory
	 * @param targets targets to watch from the start (declared services); others are
	 * watched once read. Invalid ones are left out here; {@link #validateTarget(String)}
	 * reports them
	 * @param stopTimeout how long a stop waits after TERM before it sends KILL, or
	 * {@code null} to never send KILL to services not in {@code stopTimeouts}
	 * @param stopTimeouts stop timeouts of some targets, overriding {@code stopTimeout}
	 * @param logDirectories the directories the loggers of some targets write in
	 * (absolute, or relative to the service directory; see
	 * {@link #isValidLogDirectory(Path)}), overriding their {@code log/run} and
	 * {@code logFile}
	 */
	public RunitBackend(Path serviceDirectory, boolean discover, Duration pollInterval, boolean watch, String logFile,
			Collection<String> targets, @Nullable Duration stopTimeout, Map<String, Duration> stopTimeouts,
			Map<String, Path> logDirectories) {
		if (serviceDirectory == null || !serviceDirectory.isAbsolute()) {
			throw new IllegalArgumentException("'serviceDirectory' must be an absolute path");
		}
		if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
			throw new IllegalArgumentException("'pollInterval' must be positive");
		}
		if (logFile == null || logFile.isEmpty() || logFile.startsWith("/") || logFile.contains("..")) {
			throw new IllegalArgumentException("'logFile' must be a path relative to the service directory");
		}
		logDirectories.forEach((target, directory) -> {
			if (!isValidLogDirectory(directory)) {
				throw new IllegalArgumentException("The log directory of '" + target + "' must be an absolute path "
						+ "or a path relative to the service directory, without '..' or control characters");
			}
		});
		this.serviceDirectory = serviceDirectory.normalize();
		this.discover = discover;
		this.logFile = logFile;
		this.logDirectories = Map.copyOf(logDirectories);
		this.reader = new SuperviseReader(this.serviceDirectory);
		this.watcher = new StatusWatcher(this.reader, pollInterval, watch);
		this.actions = new ControlActions(this.reader, this.watcher, stopTimeout, stopTimeouts);
		this.downFiles = new DownFiles(this.reader, this.watcher);
		for (String target : targets) {
			if (ServiceDirectories.isValid(target)) {
				this.watcher.track(target);
			}
		}
	}

	@Override
	public String id() {
		return ID;
	}

	/**
	 * Return the scan directory bare names are resolved in.
	 * @return the scan directory
	 */
	public Path getServiceDirectory() {
		return this.serviceDirectory;
	}

	@Override
	public BackendAvailability availability() {
		// Absolute service directories work without a scan directory
		if (!Files.isDirectory(this.serviceDirectory) && !this.watcher.tracksOnlyAbsoluteTargets()) {
			return BackendAvailability.down("The runit scan directory " + this.serviceDirectory
					+ " does not exist; install runit or set supervision.runit.service-directory");
		}
		return BackendAvailability.up();
	}

	@Override
	public void validateTarget(String target) {
		ServiceDirectories.validate(target);
	}

	/**
	 * Return the service directory a target names.
	 * @param target the target
	 * @return the service directory
	 * @throws io.github.supervision.InvalidServiceNameException if the target is not
	 * valid
	 */
	public Path serviceDirectory(String target) {
		return this.reader.serviceDirectory(target);
	}

	@Override
	public Map<String, ServiceStatus> status(Collection<String> targets, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		LockTable locks = LockTable.read();
		this.watcher.takePendingEvents();
		Map<String, ServiceStatus> result = new LinkedHashMap<>();
		for (String target : targets) {
			if (System.nanoTime() - deadline > 0) {
				result.put(target, ServiceStatus.unknown(target, ID, target,
						"The runit backend did not read this service within " + timeout.toMillis() + " ms"));
				continue;
			}
			try {
				result.put(target, this.watcher.status(target, locks));
			}
			catch (InvalidServiceNameException ex) {
				result.put(target, ServiceStatus.unknown(target, ID, target, ex.getMessage()));
			}
		}
		return result;
	}

	/**
	 * Start watching the declared services, so that their status is served from memory
	 * until one changes. Nothing fails when runit is absent: unwatched services are read
	 * from their files.
	 */
	@Override
	public void start() {
		this.watcher.start();
	}

	/**
	 * Return how many times a service's files were read, for tests: a status served from
	 * memory reads none.
	 * @return the number of reads since the backend was made
	 */
	long fileReads() {
		return this.reader.fileReads();
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
		List<String> names = new ArrayList<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(this.serviceDirectory)) {
			for (Path entry : entries) {
				String name = entry.getFileName().toString();
				if (isValidName(name) && Files.isDirectory(entry)) {
					names.add(name);
				}
			}
		}
		catch (IOException ex) {
			return List.of();
		}
		names.sort(null);
		return List.copyOf(status(names, timeout).values());
	}

	private static boolean isValidName(String name) {
		try {
			ServiceDirectories.validateName(name);
			return true;
		}
		catch (SupervisionException ex) {
			return false;
		}
	}

	/**
	 * Return whether the supervisor of a {@code supervise/} directory runs, from the lock
	 * it holds on {@code supervise/lock}; the test fixture waits on it.
	 * @param supervise the directory
	 * @param locks the current locks
	 * @return whether it runs, or {@code null} when that cannot be known
	 */
	@Nullable Boolean isLive(Path supervise, LockTable locks) {
		return this.reader.isLive(supervise, locks);
	}

	/**
	 * Perform an action, at most one at a time per service directory: a caller asking for
	 * the action already in flight joins it and gets its result, and one asking for
	 * another action gets an {@link ActionInProgressException}. Concurrent restarts are
	 * then one restart, not one each.
	 */
	@Override
	public CompletableFuture<ActionResult> perform(String target, ServiceAction action, Duration timeout) {
		return this.actions.perform(target, action, timeout);
	}

	/**
	 * Enable or disable a service at boot by removing or creating the {@code down} file
	 * of its service directory, which runsv, supervise and s6-supervise all read when
	 * they start. The running service is left as it is.
	 * @param target the service directory
	 * @param enable whether to enable it
	 * @param timeout unused: the change is one local file operation
	 * @return the result
	 */
	@Override
	public CompletableFuture<ActionResult> enable(String target, boolean enable, Duration timeout) {
		try {
			return CompletableFuture.completedFuture(this.downFiles.enable(target, enable));
		}
		catch (SupervisionException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Send a signal by writing its letter to {@code supervise/control}, as {@code sv} and
	 * {@code s6-svc} do; a signal the supervisor has no letter for (WINCH on runit, QUIT,
	 * USR1, USR2 and WINCH on daemontools) answers
	 * {@link io.github.supervision.ActionResult.Outcome#UNSUPPORTED}.
	 * @param target the service directory
	 * @param signal the signal
	 * @param timeout the deadline
	 * @return the result
	 */
	@Override
	public CompletableFuture<ActionResult> signal(String target, ServiceSignal signal, Duration timeout) {
		return this.actions.perform(target, ServiceAction.SIGNAL, signal, timeout);
	}

	/**
	 * Say why runit, daemontools and s6 have no reset-failed.
	 * @param capability a capability this backend does not offer
	 * @return the reason, or {@code null}
	 */
	@Override
	public @Nullable String unsupportedReason(ServiceCapability<?> capability) {
		return (capability == ServiceCapability.RESET_FAILED)
				? "runit, daemontools and s6 keep no failed state to clear: a service that exits is started again "
						+ "while it is wanted up, so start it or look at its log instead"
				: null;
	}

	/**
	 * Return how long a stop of a target waits after TERM before it sends KILL.
	 * @param target the target
	 * @return the stop timeout, or {@code null} when a stop of it never sends KILL
	 * @throws io.github.supervision.InvalidServiceNameException if the target is not
	 * valid
	 */
	public @Nullable Duration getStopTimeout(String target) {
		return this.actions.stopTimeout(target);
	}

	/**
	 * Return whether a path may name a service's log directory: an absolute path or one
	 * relative to the service directory, with no {@code .} or {@code ..} component and no
	 * control character.
	 * @param directory the path
	 * @return whether it is valid
	 */
	public static boolean isValidLogDirectory(Path directory) {
		String text = directory.toString();
		if (text.isEmpty() || text.chars().anyMatch((c) -> c < 0x20 || c == 0x7f)) {
			return false;
		}
		for (Path name : directory) {
			if (name.toString().equals(".") || name.toString().equals("..")) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Return the last lines a service's logger wrote, read from the end of its
	 * {@code current} file and, for more lines, of its rotated files ({@code @*.s},
	 * {@code @*.u}), at most {@value #MAX_LOG_BYTES} bytes in all and within the timeout.
	 * The logger's directory is the target's configured log directory, else the one its
	 * {@code log/run} names on the {@code svlogd}, {@code multilog} or {@code s6-log}
	 * line, else that of the configured log file ({@code log/main/current}); the stamps
	 * that line asks for are decoded into each line's time. A log that does not exist yet
	 * is empty, one the application may not read or look into is a
	 * {@link PermissionDeniedException}; a file that is not a regular file is never
	 * opened, since a read-only open of a FIFO would block.
	 * @throws IllegalStateException if the log is not a regular file or cannot be read
	 */
	@Override
	public ServiceLog tailLog(String target, int lines, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		Path directory = serviceDirectory(target);
		if (!Files.isDirectory(directory)) {
			throw new UnknownServiceException(target, "No service directory at " + directory);
		}
		Path logService = directory.resolve("log");
		LogRunScript.Logger logger = LogRunScript.read(logService);
		Path configured = this.logDirectories.get(target);
		Path current;
		if (configured != null) {
			current = directory.resolve(configured).resolve(LogTail.CURRENT);
		}
		else if (logger != null) {
			current = logger.directory().resolve(LogTail.CURRENT);
		}
		else {
			current = directory.resolve(this.logFile);
		}
		LogFormat format = (logger != null) ? logger.format() : unknownFormat(logService);
		try {
			return LogTail.read(current, lines, MAX_LOG_BYTES, deadline, format, ZoneId.systemDefault());
		}
		catch (LogTail.NotARegularFileException ex) {
			throw new IllegalStateException(ex.getMessage(), ex);
		}
		catch (AccessDeniedException ex) {
			throw new PermissionDeniedException("Permission denied reading " + current,
					"let the application's user read the log directory");
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read " + current + ": " + ex.getClass().getSimpleName(), ex);
		}
	}

	// the stamps of a logger that log/run does not name: TAI64N as libtai writes them,
	// unless s6 supervises the log service (then as skalibs writes them)
	private static LogFormat unknownFormat(Path logService) {
		try {
			long size = Files.size(logService.resolve("supervise/status"));
			return (size == SuperviseRecord.S6_SIZE || size == SuperviseRecord.S6_PGID_SIZE) ? LogFormat.UNKNOWN_S6
					: LogFormat.UNKNOWN;
		}
		catch (IOException | SecurityException ex) {
			return LogFormat.UNKNOWN;
		}
	}

	@Override
	public Subscription watch(ServiceStatusListener listener) {
		if (listener == null) {
			throw new IllegalArgumentException("'listener' must not be null");
		}
		return this.watcher.subscribe(listener);
	}

	@Override
	public void close() {
		this.watcher.close();
		this.actions.close();
	}

}
