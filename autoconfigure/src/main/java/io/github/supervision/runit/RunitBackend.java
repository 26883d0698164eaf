package io.github.supervision.runit;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.github.supervision.ActionInProgressException;
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
 * way that can block. Besides the SPI, the backend enables and disables services (a
 * symbolic link in the scan directory, a {@code down} file for normally-down services)
 * and reads the tail of a service's log.
 *
 * @author Supervision contributors
 */
public final class RunitBackend implements SupervisionBackend {

	/**
	 * The backend's id.
	 */
	public static final String ID = "runit";

	/**
	 * The default scan directory.
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

	private static final long ACTION_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

	/**
	 * How often an action re-reads a service whose changes no watch sees.
	 */
	private static final long UNWATCHED_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(25);

	/**
	 * How often an action checks that the supervisor still runs: its death changes no
	 * file, so no watch sees it.
	 */
	private static final long LIVENESS_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

	private static final int MAX_LOG_BYTES = 1024 * 1024;

	private static final int MAX_CACHED_TARGETS = 10_000;

	private static final int MAX_RECORD_BYTES = 64;

	private static final String PERMISSION_HINT = "supervise/ is mode 0700 and owned by the supervisor's user "
			+ "(root by default): run the application as that user, or let the application's user in "
			+ "(chown the supervise directory and its control files to it; runsv keeps existing modes)";

	private final Path serviceDirectory;

	private final boolean discover;

	private final String logFile;

	private final Map<Path, LockTable.FileKey> lockKeys = new ConcurrentHashMap<>();

	private final Map<String, ServiceFiles> files = new ConcurrentHashMap<>();

	private final StatusWatcher watcher;

	private final LongAdder fileReads = new LongAdder();

	private final ExecutorService executor;

	private final @Nullable Duration stopTimeout;

	private final Map<Path, Duration> stopTimeouts = new ConcurrentHashMap<>();

	private final Map<Path, InFlight> inFlight = new ConcurrentHashMap<>();

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
	 * @param logFile a service's log file, relative to its service directory
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
	 * @param logFile a service's log file, relative to its service directory
	 * @param targets targets to watch from the start (declared services); others are
	 * watched once read. Invalid ones are left out here; {@link #validateTarget(String)}
	 * reports them
	 * @param stopTimeout how long a stop waits after TERM before it sends KILL, or
	 * {@code null} to never send KILL to services not in {@code stopTimeouts}
	 * @param stopTimeouts stop timeouts of some targets, overriding {@code stopTimeout}
	 */
	public RunitBackend(Path serviceDirectory, boolean discover, Duration pollInterval, boolean watch, String logFile,
			Collection<String> targets, @Nullable Duration stopTimeout, Map<String, Duration> stopTimeouts) {
		if (serviceDirectory == null || !serviceDirectory.isAbsolute()) {
			throw new IllegalArgumentException("'serviceDirectory' must be an absolute path");
		}
		if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
			throw new IllegalArgumentException("'pollInterval' must be positive");
		}
		if (logFile == null || logFile.isEmpty() || logFile.startsWith("/") || logFile.contains("..")) {
			throw new IllegalArgumentException("'logFile' must be a path relative to the service directory");
		}
		if (stopTimeout != null && (stopTimeout.isNegative() || stopTimeout.isZero())) {
			throw new IllegalArgumentException("'stopTimeout' must be positive");
		}
		this.serviceDirectory = serviceDirectory.normalize();
		this.stopTimeout = stopTimeout;
		stopTimeouts.forEach((target, timeout) -> {
			if (timeout == null || timeout.isNegative() || timeout.isZero()) {
				throw new IllegalArgumentException("The stop timeout of '" + target + "' must be positive");
			}
			if (isValidTarget(target)) {
				this.stopTimeouts.merge(serviceDirectory(target), timeout, (a, b) -> (a.compareTo(b) <= 0) ? a : b);
			}
		});
		this.discover = discover;
		this.logFile = logFile;
		this.watcher = new StatusWatcher(new WatcherReader(), pollInterval, watch);
		this.executor = Executors.newCachedThreadPool(daemon("runit-action"));
		for (String target : targets) {
			if (isValidTarget(target)) {
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
		return ServiceDirectories.resolve(this.serviceDirectory, target);
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
		return this.fileReads.sum();
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

	private static boolean isValidTarget(String target) {
		try {
			ServiceDirectories.validate(target);
			return true;
		}
		catch (SupervisionException ex) {
			return false;
		}
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
	 * Read a target's status from its files now (after an action), dropping its snapshot.
	 * @param target the target
	 * @param locks the current locks
	 * @return the status
	 */
	ServiceStatus read(String target, LockTable locks) {
		this.watcher.invalidate(target);
		return live(target, readFiles(target, this.watcher.mode(target)), locks);
	}

	private ServiceStatus live(String target, StatusWatcher.Snapshot snapshot, LockTable locks) {
		SuperviseFlavour flavour = snapshot.flavour();
		if (flavour == null) {
			return snapshot.status();
		}
		ServiceFiles files = files(target);
		Boolean live = isLiveLock(files.lock(), locks);
		if (live == null && locks.isKnown() && snapshot.status().details().containsKey("watch")) {
			// No lock file any more (the service directory went): the snapshot may be
			// older than that
			this.watcher.invalidate(target);
			return readFiles(target, this.watcher.mode(target)).status();
		}
		if (!Boolean.FALSE.equals(live)) {
			return snapshot.status();
		}
		Map<String, String> details = new LinkedHashMap<>();
		details.put("flavour", flavour.id());
		String mode = snapshot.status().details().get("watch");
		if (mode != null) {
			details.put("watch", mode);
		}
		return new ServiceStatus(target, ID, target, ServiceState.UNKNOWN, flavour.supervisor() + " not running", null,
				null, null, null, null, notRunning(flavour, files.directory()), details);
	}

	private StatusWatcher.Snapshot readFiles(String target, @Nullable String mode) {
		this.fileReads.increment();
		ServiceFiles files = files(target);
		Path directory = files.directory();
		Path supervise = files.supervise();
		byte[] bytes;
		try {
			bytes = readStatus(files.status());
		}
		catch (NoSuchFileException ex) {
			return unknown(target, mode, notSupervised(directory));
		}
		catch (NotARegularFileException ex) {
			return unknown(target, mode, ex.getMessage());
		}
		catch (AccessDeniedException ex) {
			return unknown(target, mode, "Permission denied reading " + supervise + "/status. " + PERMISSION_HINT);
		}
		catch (IOException ex) {
			return unknown(target, mode, "Cannot read " + supervise + "/status: " + ex.getClass().getSimpleName());
		}
		SuperviseRecord record;
		try {
			record = SuperviseRecord.parse(bytes);
		}
		catch (IllegalArgumentException ex) {
			return unknown(target, mode, ex.getMessage() + " (" + supervise + "/status)");
		}
		Map<String, String> details = new LinkedHashMap<>();
		details.put("flavour", record.flavour().id());
		if (mode != null) {
			details.put("watch", mode);
		}
		boolean normallyUp = !files.down().exists();
		details.put("normallyUp", Boolean.toString(normallyUp));
		if (record.want() != 0) {
			details.put("want", (record.want() == 'u') ? "up" : "down");
		}
		if (record.ready() != null && record.hasProcess()) {
			details.put("ready", record.ready().toString());
		}
		if (record.termSignal() != null) {
			details.put("signal", record.termSignal().toString());
		}
		addLogDetails(files.logStatus(), details);
		return new StatusWatcher.Snapshot(new ServiceStatus(target, ID, target, state(record),
				rawState(record, normallyUp), record.hasProcess() ? record.pid() : null, record.since(), null,
				record.exitCode(), null, message(record), details), record.flavour());
	}

	private static StatusWatcher.Snapshot unknown(String target, @Nullable String mode, String message) {
		Map<String, String> details = new LinkedHashMap<>();
		if (mode != null) {
			details.put("watch", mode);
		}
		return new StatusWatcher.Snapshot(new ServiceStatus(target, ID, target, ServiceState.UNKNOWN, "unknown", null,
				null, null, null, null, message, details), null);
	}

	private void addLogDetails(File logStatus, Map<String, String> details) {
		if (!logStatus.isFile()) {
			return;
		}
		try {
			SuperviseRecord log = SuperviseRecord.parse(readStatus(logStatus.toPath()));
			details.put("log.state", stateWord(log));
			if (log.hasProcess()) {
				details.put("log.pid", Long.toString(log.pid()));
			}
		}
		catch (IOException | IllegalArgumentException ex) {
			details.put("log.state", "unknown");
		}
	}

	/**
	 * Return whether the supervisor of a {@code supervise/} directory runs, from the lock
	 * it holds on {@code supervise/lock}.
	 * @param supervise the directory
	 * @param locks the current locks
	 * @return whether it runs, or {@code null} when that cannot be known
	 */
	@Nullable Boolean isLive(Path supervise, LockTable locks) {
		return isLiveLock(supervise.resolve("lock"), locks);
	}

	private @Nullable Boolean isLiveLock(Path lock, LockTable locks) {
		if (!locks.isKnown()) {
			return null;
		}
		LockTable.FileKey key = this.lockKeys.get(lock);
		if (key != null && Boolean.TRUE.equals(locks.isLocked(key))) {
			return true;
		}
		// Not cached, or not locked: the supervise directory may have been made anew
		LockTable.FileKey current = fileKey(lock);
		if (current == null) {
			this.lockKeys.remove(lock);
			return null;
		}
		this.lockKeys.put(lock, current);
		return locks.isLocked(current);
	}

	private static LockTable.@Nullable FileKey fileKey(Path file) {
		try {
			Map<String, Object> attributes = Files.readAttributes(file, "unix:dev,ino");
			return LockTable.FileKey.of((Long) attributes.get("dev"), (Long) attributes.get("ino"));
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	/**
	 * Read a status record: at most 64 bytes (the largest record is 43), with a channel
	 * rather than {@link Files#readAllBytes(Path)}, which sizes the file first. Only a
	 * regular file is opened: a read-only open of a FIFO blocks until a writer comes, and
	 * Java cannot open without blocking.
	 * @param file the status file
	 * @return its bytes
	 * @throws NotARegularFileException if the file is a FIFO, a symbolic link or anything
	 * but a regular file
	 * @throws IOException if it cannot be read
	 */
	static byte[] readStatus(Path file) throws IOException {
		if (!Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isRegularFile()) {
			throw new NotARegularFileException(file);
		}
		ByteBuffer buffer = ByteBuffer.allocate(MAX_RECORD_BYTES);
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
			while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
				// a regular file usually answers in one read
			}
		}
		return Arrays.copyOf(buffer.array(), buffer.position());
	}

	/**
	 * Whether a process is stopped by a signal, from {@code /proc/<pid>/stat}.
	 * @param pid the pid
	 * @return whether it is stopped, or {@code null} when that cannot be read
	 */
	static @Nullable Boolean isStopped(long pid) {
		if (pid <= 0) {
			return null;
		}
		try {
			String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
			int end = stat.lastIndexOf(')');
			return (end > 0 && end + 2 < stat.length()) ? stat.charAt(end + 2) == 'T' : null;
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	private ServiceFiles files(String target) {
		ServiceFiles files = this.files.get(target);
		if (files == null) {
			files = new ServiceFiles(serviceDirectory(target));
			if (this.files.size() < MAX_CACHED_TARGETS) {
				this.files.put(target, files);
			}
		}
		return files;
	}

	static ServiceState state(SuperviseRecord record) {
		return switch (record.state()) {
			case SuperviseRecord.RUN ->
				(record.want() == 'd' || record.termSent()) ? ServiceState.STOPPING : ServiceState.RUNNING;
			case SuperviseRecord.FINISH -> ServiceState.STOPPING;
			default -> (record.want() == 'u') ? ServiceState.FAILED : ServiceState.STOPPED;
		};
	}

	/**
	 * Return the state in {@code sv status}'s words, as {@code sv} composes them:
	 * {@code run}, {@code down} or {@code finish}, then {@code normally down},
	 * {@code normally up}, {@code paused}, {@code want up}, {@code want down},
	 * {@code got TERM} where they apply.
	 * @param record the record
	 * @param normallyUp whether the service directory has no {@code down} file
	 * @return the words
	 */
	static String rawState(SuperviseRecord record, boolean normallyUp) {
		StringBuilder words = new StringBuilder(stateWord(record));
		boolean process = record.hasProcess();
		if (process && !normallyUp) {
			words.append(", normally down");
		}
		if (!process && normallyUp) {
			words.append(", normally up");
		}
		if (process && record.paused()) {
			words.append(", paused");
		}
		if (!process && record.want() == 'u') {
			words.append(", want up");
		}
		if (process && record.want() == 'd') {
			words.append(", want down");
		}
		if (process && record.termSent()) {
			words.append(", got TERM");
		}
		return words.toString();
	}

	private static String stateWord(SuperviseRecord record) {
		return switch (record.state()) {
			case SuperviseRecord.RUN -> "run";
			case SuperviseRecord.FINISH -> "finish";
			default -> "down";
		};
	}

	private static @Nullable String message(SuperviseRecord record) {
		if (record.hasProcess() && record.termSent()) {
			return "TERM was sent and the process has not exited yet; if it ignores TERM, use kill";
		}
		if (!record.hasProcess() && record.want() == 'u') {
			return "The service is down but wanted up: it exited and " + record.flavour().supervisor()
					+ " restarts it, or it cannot be started (check its run script and log)";
		}
		if (record.state() == SuperviseRecord.FINISH) {
			return "The service exited and its ./finish script runs";
		}
		return null;
	}

	private static String notSupervised(Path directory) {
		if (!Files.isDirectory(directory)) {
			return "No service directory at " + directory;
		}
		return directory + " is not supervised: it has no supervise/status. Link it into the scan directory "
				+ "that runsvdir watches, or start runsv on it";
	}

	private static String notRunning(SuperviseFlavour flavour, Path directory) {
		return flavour.supervisor() + " not running for " + directory + ": the last status it wrote is stale. "
				+ "Check that runsvdir runs and scans this service";
	}

	/**
	 * Perform an action, at most one at a time per service directory: a caller asking for
	 * the action already in flight joins it and gets its result, and one asking for
	 * another action gets an {@link ActionInProgressException}. Concurrent restarts are
	 * then one restart, not one each.
	 */
	@Override
	public CompletableFuture<ActionResult> perform(String target, ServiceAction action, Duration timeout) {
		ServiceDirectories.validate(target);
		Path directory = serviceDirectory(target);
		long deadline = System.nanoTime() + timeout.toNanos();
		InFlight started = new InFlight(action, new CompletableFuture<>());
		InFlight running = this.inFlight.putIfAbsent(directory, started);
		if (running == null) {
			try {
				this.executor.execute(() -> run(directory, started, new Action(target, action, timeout, deadline)));
			}
			catch (RejectedExecutionException ex) {
				this.inFlight.remove(directory, started);
				throw ex;
			}
			running = started;
		}
		else if (running.action() != action) {
			return CompletableFuture.failedFuture(new ActionInProgressException(target, action, running.action()));
		}
		// The action keeps its own deadline, and the catalog's guard holds a joining
		// caller whose deadline is earlier than the action's to its own
		return running.result().copy();
	}

	/**
	 * Return how long a stop of a target waits after TERM before it sends KILL.
	 * @param target the target
	 * @return the stop timeout, or {@code null} when a stop of it never sends KILL
	 * @throws io.github.supervision.InvalidServiceNameException if the target is not
	 * valid
	 */
	public @Nullable Duration getStopTimeout(String target) {
		return stopTimeout(serviceDirectory(target));
	}

	private @Nullable Duration stopTimeout(Path directory) {
		Duration timeout = this.stopTimeouts.get(directory);
		return (timeout != null) ? timeout : this.stopTimeout;
	}

	private void run(Path directory, InFlight inFlight, Action action) {
		ActionResult result;
		try {
			result = action.run();
		}
		catch (RuntimeException | Error ex) {
			this.inFlight.remove(directory, inFlight);
			inFlight.result().completeExceptionally(ex);
			return;
		}
		// Removed before the result is given: a caller that joins always gets the result
		// of an action that was still in flight when it asked
		this.inFlight.remove(directory, inFlight);
		inFlight.result().complete(result);
	}

	@Override
	public Subscription watch(ServiceStatusListener listener) {
		if (listener == null) {
			throw new IllegalArgumentException("'listener' must not be null");
		}
		return this.watcher.subscribe(listener);
	}

	/**
	 * Enable a service the way runit does: link its service directory into the scan
	 * directory, where {@code runsvdir} picks it up within five seconds. A {@code down}
	 * file in the service directory makes it normally down (supervised, not started);
	 * without it the service starts.
	 * @param name the name of the link in the scan directory
	 * @param definition the service directory (with its {@code run} script), absolute
	 * @param normallyUp whether the service starts when supervised ({@code false} creates
	 * the {@code down} file, {@code true} removes it)
	 * @return the link
	 * @throws io.github.supervision.InvalidServiceNameException if the name is not a
	 * valid bare name
	 * @throws IllegalStateException if the definition is not a service directory, or the
	 * name is taken by something else
	 * @throws PermissionDeniedException if the file system refuses
	 */
	public Path enable(String name, Path definition, boolean normallyUp) {
		ServiceDirectories.validateName(name);
		if (definition == null || !definition.isAbsolute()) {
			throw new IllegalArgumentException("'definition' must be an absolute path");
		}
		Path absolute = definition.normalize();
		if (!Files.isExecutable(absolute.resolve("run"))) {
			throw new IllegalStateException(absolute + " is not a service directory: it has no executable run script");
		}
		Path link = this.serviceDirectory.resolve(name);
		try {
			setNormallyUp(absolute, normallyUp);
			try {
				Files.createSymbolicLink(link, absolute);
			}
			catch (FileAlreadyExistsException ex) {
				if (!Files.isSymbolicLink(link) || !Files.readSymbolicLink(link).equals(absolute)) {
					throw new IllegalStateException(
							link + " already exists and is not a link to " + absolute + "; remove it first");
				}
			}
			this.watcher.track(name);
			this.watcher.invalidate(name);
			return link;
		}
		catch (AccessDeniedException ex) {
			throw new PermissionDeniedException("Permission denied enabling " + name + " in " + this.serviceDirectory,
					"run the application as the owner of the scan directory (root by default)");
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot enable " + name + ": " + ex.getClass().getSimpleName(), ex);
		}
	}

	/**
	 * Make a service normally up or normally down, by removing or creating the
	 * {@code down} file in its service directory. It does not start or stop the service.
	 * @param target the target
	 * @param normallyUp whether the service starts when its supervisor starts
	 * @throws PermissionDeniedException if the file system refuses
	 */
	public void setNormallyUp(String target, boolean normallyUp) {
		Path directory = serviceDirectory(target);
		try {
			setNormallyUp(directory, normallyUp);
			this.watcher.invalidate(target);
		}
		catch (AccessDeniedException ex) {
			throw new PermissionDeniedException("Permission denied changing " + directory + "/down",
					"run the application as the owner of the service directory");
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot change " + directory + "/down: " + ex.getClass().getSimpleName(),
					ex);
		}
	}

	private static void setNormallyUp(Path directory, boolean normallyUp) throws IOException {
		Path down = directory.resolve("down");
		if (normallyUp) {
			Files.deleteIfExists(down);
		}
		else if (!Files.exists(down, LinkOption.NOFOLLOW_LINKS)) {
			Files.createFile(down);
		}
	}

	/**
	 * Disable a service the way runit does: remove its link from the scan directory, then
	 * tell its supervisor to stop the service and exit (as {@code runsvdir} would on its
	 * next scan), and wait for the supervisor to go. Only a symbolic link is removed,
	 * never a directory.
	 * @param name the name of the link in the scan directory
	 * @param timeout the most to wait for the supervisor to exit
	 * @return whether the supervisor is gone (or was not running)
	 * @throws io.github.supervision.InvalidServiceNameException if the name is not a
	 * valid bare name
	 * @throws IllegalStateException if the entry is not a symbolic link
	 * @throws PermissionDeniedException if the file system refuses
	 */
	public boolean disable(String name, Duration timeout) {
		ServiceDirectories.validateName(name);
		long deadline = System.nanoTime() + timeout.toNanos();
		Path link = this.serviceDirectory.resolve(name);
		if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
			return true;
		}
		if (!Files.isSymbolicLink(link)) {
			throw new IllegalStateException(link + " is not a symbolic link; remove it by hand if it is to go");
		}
		this.watcher.invalidate(name);
		try {
			Path definition = link.toRealPath();
			Files.delete(link);
			Path supervise = definition.resolve("supervise");
			if (!Boolean.TRUE.equals(isLive(supervise, LockTable.read()))) {
				return true;
			}
			Path control = supervise.resolve("control");
			if (ControlFifo.isFifo(control)) {
				ControlFifo.write(control, "dx".getBytes(StandardCharsets.US_ASCII), deadline - System.nanoTime(),
						this.executor);
			}
			while (Boolean.TRUE.equals(isLive(supervise, LockTable.read()))) {
				if (System.nanoTime() - deadline > 0) {
					return false;
				}
				sleep(ACTION_POLL_NANOS);
			}
			return true;
		}
		catch (AccessDeniedException ex) {
			throw new PermissionDeniedException("Permission denied disabling " + name, PERMISSION_HINT);
		}
		catch (NoSuchFileException ex) {
			return true;
		}
		catch (TimeoutException ex) {
			return false;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot disable " + name + ": " + ex.getClass().getSimpleName(), ex);
		}
		finally {
			this.watcher.invalidate(name);
		}
	}

	/**
	 * Return the last lines of a service's log, as written by {@code svlogd} (the
	 * configured log file, {@code log/main/current} by default, relative to the service
	 * directory). At most the last megabyte of the file is read.
	 * @param target the target
	 * @param lines the most lines to return
	 * @return the lines, oldest first; empty when the service has no log yet
	 * @throws UnknownServiceException if the service directory does not exist
	 * @throws PermissionDeniedException if the log cannot be read
	 * @throws IllegalStateException if the log is not a regular file, or cannot be read
	 */
	public List<String> logTail(String target, int lines) {
		if (lines < 0) {
			throw new IllegalArgumentException("'lines' must not be negative");
		}
		Path directory = serviceDirectory(target);
		if (!Files.isDirectory(directory)) {
			throw new UnknownServiceException(target, "No service directory at " + directory);
		}
		Path log = directory.resolve(this.logFile);
		// A read-only open of a FIFO would block until a writer comes
		if (Files.exists(log) && !Files.isRegularFile(log)) {
			throw new IllegalStateException(log + " is not a regular file; refusing to open it");
		}
		try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
			return LogTail.lastLines(file, lines, MAX_LOG_BYTES);
		}
		catch (java.io.FileNotFoundException ex) {
			if (Files.exists(log)) {
				throw new PermissionDeniedException("Permission denied reading " + log,
						"let the application's user read the log directory");
			}
			return List.of();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read " + log + ": " + ex.getClass().getSimpleName(), ex);
		}
	}

	@Override
	public void close() {
		this.watcher.close();
		this.executor.shutdownNow();
	}

	private static void sleep(long nanos) {
		try {
			TimeUnit.NANOSECONDS.sleep(nanos);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static ThreadFactory daemon(String name) {
		AtomicInteger count = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	/**
	 * The files of one service, resolved once: reading 500 statuses is then 500 reads and
	 * a few stat calls each, with no path parsing.
	 */
	private record ServiceFiles(Path directory, Path supervise, Path status, Path lock, File down, File logStatus) {

		ServiceFiles(Path directory) {
			this(directory, directory.resolve("supervise"), directory.resolve("supervise/status"),
					directory.resolve("supervise/lock"), new File(directory.toFile(), "down"),
					new File(directory.toFile(), "log/supervise/status"));
		}

	}

	/**
	 * The action in flight on one service directory, and the result its callers share.
	 */
	private record InFlight(ServiceAction action, CompletableFuture<ActionResult> result) {

	}

	/**
	 * Thrown instead of opening a file that is not a regular file where the supervisor
	 * writes one.
	 */
	static final class NotARegularFileException extends FileSystemException {

		private static final long serialVersionUID = 1L;

		NotARegularFileException(Path file) {
			super(file.toString());
		}

		@Override
		public String getMessage() {
			return getFile() + " is not a regular file; refusing to open it (reading a FIFO would block). "
					+ "Remove it and restart the supervisor";
		}

	}

	private final class WatcherReader implements StatusWatcher.Reader {

		@Override
		public void validate(String target) {
			ServiceDirectories.validate(target);
		}

		@Override
		public StatusWatcher.Snapshot read(String target, @Nullable String mode) {
			return readFiles(target, mode);
		}

		@Override
		public ServiceStatus live(String target, StatusWatcher.Snapshot snapshot, LockTable locks) {
			return RunitBackend.this.live(target, snapshot, locks);
		}

		@Override
		public List<Path> directories(String target) {
			ServiceFiles files = files(target);
			if (!Files.isDirectory(files.supervise())) {
				return List.of();
			}
			List<Path> directories = new ArrayList<>(List.of(files.supervise(), files.directory()));
			Path log = files.directory().resolve("log");
			if (Files.isDirectory(log)) {
				directories.add(log);
				Path logSupervise = log.resolve("supervise");
				if (Files.isDirectory(logSupervise)) {
					directories.add(logSupervise);
				}
			}
			return directories;
		}

	}

	/**
	 * One action on one service, run on a worker thread.
	 */
	private final class Action {

		private final String target;

		private final ServiceAction action;

		private final Duration timeout;

		private final long deadline;

		Action(String target, ServiceAction action, Duration timeout, long deadline) {
			this.target = target;
			this.action = action;
			this.timeout = timeout;
			this.deadline = deadline;
		}

		ActionResult run() {
			Path directory = serviceDirectory(this.target);
			Path supervise = directory.resolve("supervise");
			Path control = supervise.resolve("control");
			SuperviseRecord before = readRecord(directory, supervise);
			checkControl(directory, control);
			LockTable locks = LockTable.read();
			if (Boolean.FALSE.equals(isLive(supervise, locks))) {
				throw new BackendUnavailableException(notRunning(before.flavour(), directory));
			}
			ActionResult unchanged = unchanged(before, locks);
			if (unchanged != null) {
				return unchanged;
			}
			Instant sent = Instant.now();
			try {
				ControlFifo.write(control, command(), this.deadline - System.nanoTime(), RunitBackend.this.executor);
			}
			catch (AccessDeniedException ex) {
				throw permissionDenied(control);
			}
			catch (TimeoutException ex) {
				return result(Outcome.TIMEOUT, "Writing to " + control + " did not complete within "
						+ this.timeout.toMillis() + " ms: " + before.flavour().supervisor() + " does not read it",
						LockTable.read());
			}
			catch (IOException ex) {
				return result(Outcome.FAILED, "Writing to " + control + " failed: " + ex.getClass().getSimpleName(),
						LockTable.read());
			}
			return await(directory, supervise, before, sent);
		}

		private SuperviseRecord readRecord(Path directory, Path supervise) {
			Path status = supervise.resolve("status");
			try {
				return SuperviseRecord.parse(readStatus(status));
			}
			catch (NoSuchFileException ex) {
				if (!Files.isDirectory(directory)) {
					throw new UnknownServiceException(this.target, "No service directory at " + directory);
				}
				throw new BackendUnavailableException(notSupervised(directory));
			}
			catch (NotARegularFileException ex) {
				throw new BackendUnavailableException(ex.getMessage());
			}
			catch (AccessDeniedException ex) {
				throw permissionDenied(status);
			}
			catch (IOException ex) {
				throw new BackendUnavailableException("Cannot read " + status + ": " + ex.getClass().getSimpleName(),
						ex);
			}
			catch (IllegalArgumentException ex) {
				throw new BackendUnavailableException(ex.getMessage() + " (" + status + ")");
			}
		}

		private void checkControl(Path directory, Path control) {
			try {
				if (!ControlFifo.isFifo(control)) {
					throw new BackendUnavailableException(
							control + " is not a FIFO; refusing to write to it. Remove it and restart the supervisor");
				}
			}
			catch (NoSuchFileException ex) {
				throw new BackendUnavailableException(notSupervised(directory));
			}
			catch (AccessDeniedException ex) {
				throw permissionDenied(control);
			}
			catch (IOException ex) {
				throw new BackendUnavailableException(
						"Cannot examine " + control + ": " + ex.getClass().getSimpleName(), ex);
			}
		}

		private PermissionDeniedException permissionDenied(Path file) {
			return new PermissionDeniedException("Permission denied on " + file, PERMISSION_HINT);
		}

		private byte[] command() {
			String letters = switch (this.action) {
				case START -> "u";
				case STOP -> "d";
				case RESTART -> "tcu";
				case RELOAD -> "h";
				case KILL -> "k";
				case ONCE -> "o";
				case PAUSE -> "p";
				case CONTINUE -> "c";
			};
			return letters.getBytes(StandardCharsets.US_ASCII);
		}

		private @Nullable ActionResult unchanged(SuperviseRecord record, LockTable locks) {
			boolean running = record.state() == SuperviseRecord.RUN;
			return switch (this.action) {
				case START -> (running && record.want() == 'u' && !record.termSent())
						? result(Outcome.NO_CHANGE, "The service already runs", locks) : null;
				case STOP -> (!record.hasProcess() && record.want() != 'u')
						? result(Outcome.NO_CHANGE, "The service is already down", locks) : null;
				case RELOAD ->
					(!running) ? result(Outcome.FAILED, "The service does not run; nothing to reload", locks) : null;
				case KILL -> (!record.hasProcess())
						? result(Outcome.NO_CHANGE, "No process runs; nothing to kill", locks) : null;
				case PAUSE -> (!running) ? result(Outcome.FAILED, "The service does not run; nothing to pause", locks)
						: (record.paused()) ? result(Outcome.NO_CHANGE, "The service is already paused", locks) : null;
				case CONTINUE ->
					(!record.paused()) ? result(Outcome.NO_CHANGE, "The service is not paused", locks) : null;
				default -> null;
			};
		}

		private boolean reached(SuperviseRecord before, SuperviseRecord now, Instant sent) {
			boolean changed = now.since().isAfter(before.since()) || now.pid() != before.pid();
			return switch (this.action) {
				case START -> now.state() == SuperviseRecord.RUN && now.hasProcess();
				case STOP -> !now.hasProcess() && now.state() == SuperviseRecord.DOWN;
				case RESTART -> now.state() == SuperviseRecord.RUN && now.hasProcess() && !now.termSent() && changed;
				case KILL -> (!now.hasProcess() && now.want() == 'd')
						|| (now.hasProcess() && now.state() == SuperviseRecord.RUN && !now.termSent() && changed);
				case ONCE -> (now.hasProcess() && now.want() != 'u')
						|| (!now.hasProcess() && !now.since().isBefore(sent.minusMillis(10)));
				// The supervisor writes the flag before it signals: wait for the process
				// too
				case PAUSE -> now.paused() && !Boolean.FALSE.equals(isStopped(now.pid()));
				case CONTINUE -> !now.paused() && !Boolean.TRUE.equals(isStopped(now.pid()));
				case RELOAD -> true;
			};
		}

		// Woken by the watch on the service's files rather than by polling them. A stop
		// sends KILL to a service still up after its stop timeout, as sv force-stop does
		private ActionResult await(Path directory, Path supervise, SuperviseRecord before, Instant sent) {
			Path status = supervise.resolve("status");
			Duration stopTimeout = (this.action == ServiceAction.STOP) ? stopTimeout(directory) : null;
			long killAt = (stopTimeout != null) ? System.nanoTime() + stopTimeout.toNanos() : 0;
			boolean killed = false;
			SuperviseRecord now = before;
			while (true) {
				long generation = RunitBackend.this.watcher.generation(this.target);
				LockTable locks = LockTable.read();
				try {
					now = SuperviseRecord.parse(readStatus(status));
				}
				catch (IOException | IllegalArgumentException ex) {
					// Keep the last record; the deadline bounds the wait
				}
				if (reached(before, now, sent)) {
					return result(Outcome.DONE, killed ? killed(stopTimeout) : done(), locks);
				}
				if (Boolean.FALSE.equals(isLive(supervise, locks))) {
					return result(Outcome.FAILED, notRunning(now.flavour(), directory), locks);
				}
				long remaining = this.deadline - System.nanoTime();
				if (remaining <= 0) {
					return result(Outcome.TIMEOUT, timedOut(now, stopTimeout, killed), locks);
				}
				long wait = Math.min(remaining, pollNanos(now));
				if (stopTimeout != null && !killed) {
					long untilKill = killAt - System.nanoTime();
					if (untilKill > 0) {
						wait = Math.min(wait, untilKill);
					}
					else if (now.hasProcess() && now.state() == SuperviseRecord.RUN) {
						ActionResult failed = kill(supervise.resolve("control"), stopTimeout);
						if (failed != null) {
							return failed;
						}
						killed = true;
						continue;
					}
				}
				try {
					RunitBackend.this.watcher.awaitChange(this.target, generation, wait);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return result(Outcome.CANCELED, "Interrupted while waiting for the service", LockTable.read());
				}
			}
		}

		// The longest wait before the service is read again if no watch wakes the action
		private long pollNanos(SuperviseRecord now) {
			// The supervisor writes the pause flag before it signals: the process
			// stops a moment later, which only /proc shows
			if ((this.action == ServiceAction.PAUSE && now.paused())
					|| (this.action == ServiceAction.CONTINUE && !now.paused())) {
				return ACTION_POLL_NANOS;
			}
			return RunitBackend.this.watcher.isWatched(this.target) ? LIVENESS_POLL_NANOS : UNWATCHED_POLL_NANOS;
		}

		private @Nullable ActionResult kill(Path control, Duration stopTimeout) {
			try {
				ControlFifo.write(control, new byte[] { 'k' }, this.deadline - System.nanoTime(),
						RunitBackend.this.executor);
				return null;
			}
			catch (TimeoutException | IOException ex) {
				return result(Outcome.FAILED, "The service did not stop within the stop timeout of "
						+ stopTimeout.toMillis() + " ms, and sending KILL failed: " + ex.getClass().getSimpleName(),
						LockTable.read());
			}
		}

		private String killed(Duration stopTimeout) {
			return "The service is down: it was killed after the stop timeout of " + stopTimeout.toMillis()
					+ " ms, as it had not exited on TERM";
		}

		private String done() {
			return switch (this.action) {
				case START -> "The service runs";
				case STOP -> "The service is down";
				case RESTART -> "The service was restarted";
				case RELOAD -> "HUP was sent to the service";
				case KILL -> "The service was killed";
				case ONCE -> "The service was started once; it will not be restarted when it exits";
				case PAUSE -> "The service is paused";
				case CONTINUE -> "The service continues";
			};
		}

		private String timedOut(SuperviseRecord now, @Nullable Duration stopTimeout, boolean killed) {
			String within = " within " + this.timeout.toMillis() + " ms";
			if (killed) {
				return "The service did not stop" + within + ": KILL was sent after the stop timeout of "
						+ stopTimeout.toMillis() + " ms but the process has not exited yet";
			}
			if (this.action == ServiceAction.STOP && now.termSent()) {
				String stopped = "The service did not stop" + within
						+ ": TERM was sent but the process has not exited; it may ignore TERM";
				return (stopTimeout != null) ? stopped + ". KILL follows only after its stop timeout of "
						+ stopTimeout.toMillis() + " ms: use kill, or allow the action more time"
						: stopped + ", use kill";
			}
			if (!now.hasProcess() && now.want() == 'u') {
				return "The service did not come up" + within
						+ ": it exits at once or cannot be started; check its run script and log";
			}
			return "The service did not reach the wanted state" + within + "; the action may still complete";
		}

		private ActionResult result(Outcome outcome, String message, LockTable locks) {
			return new ActionResult(this.action, outcome, message, null, read(this.target, locks));
		}

	}

}
