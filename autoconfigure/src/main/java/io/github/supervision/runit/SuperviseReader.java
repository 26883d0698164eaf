package io.github.supervision.runit;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import org.jspecify.annotations.Nullable;

/**
 * Reads and decodes the files a supervisor keeps for a service: its
 * {@code supervise/status} record, its {@code down} file, its log service's record, and
 * whether the supervisor still holds its lock in {@code /proc/locks}. Only regular files
 * are opened, so no read ever blocks on a FIFO.
 *
 * @author Supervision contributors
 */
final class SuperviseReader {

	/**
	 * What a permission error on {@code supervise/} tells the operator to do.
	 */
	static final String PERMISSION_HINT = "supervise/ is mode 0700 and owned by the supervisor's user "
			+ "(root by default): run the application as that user, or let the application's user in "
			+ "(chown the supervise directory and its control files to it; runsv keeps existing modes)";

	private static final int MAX_CACHED_TARGETS = 10_000;

	private static final int MAX_RECORD_BYTES = 64;

	private final Path scanDirectory;

	private final Map<Path, AtomicReference<LockTable.@Nullable FileKey>> lockKeys = new ConcurrentHashMap<>();

	private final Map<String, ServiceFiles> files = new ConcurrentHashMap<>();

	private final LongAdder fileReads = new LongAdder();

	/**
	 * Create a reader.
	 * @param scanDirectory the scan directory bare names are resolved in, absolute and
	 * normalized
	 */
	SuperviseReader(Path scanDirectory) {
		this.scanDirectory = scanDirectory;
	}

	/**
	 * Check that a target is valid before it is tracked.
	 * @param target the target
	 * @throws io.github.supervision.InvalidServiceNameException if it is not
	 */
	void validate(String target) {
		ServiceDirectories.validate(target);
	}

	/**
	 * Return the service directory a target names.
	 * @param target the target
	 * @return the service directory
	 * @throws io.github.supervision.InvalidServiceNameException if the target is not
	 * valid
	 */
	Path serviceDirectory(String target) {
		return ServiceDirectories.resolve(this.scanDirectory, target);
	}

	/**
	 * Return how many times a service's files were read, for tests.
	 * @return the number of reads since the reader was made
	 */
	long fileReads() {
		return this.fileReads.sum();
	}

	/**
	 * Read a target's files, taking its supervisor as running.
	 * @param target the target
	 * @param mode how the target is watched, for the status details
	 * @return the snapshot
	 */
	Snapshot read(String target, @Nullable String mode) {
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
		return new Snapshot(new ServiceStatus(target, RunitBackend.ID, target, state(record),
				rawState(record, normallyUp), record.hasProcess() ? record.pid() : null, record.since(), null,
				record.exitCode(), null, message(record), details), record.flavour());
	}

	/**
	 * Return the status of a snapshot now: the snapshot's own, or that its supervisor
	 * does not run.
	 * @param target the target
	 * @param snapshot the snapshot
	 * @param locks the current locks
	 * @return the status, or {@code null} when the snapshot may be older than its service
	 * directory's removal and the files must be read again
	 */
	@Nullable ServiceStatus live(String target, Snapshot snapshot, LockTable locks) {
		SuperviseFlavour flavour = snapshot.flavour();
		if (flavour == null) {
			return snapshot.status();
		}
		ServiceFiles files = files(target);
		Boolean live = isLiveLock(files.lock(), files.lockKey(), locks);
		if (live == null && locks.isKnown() && snapshot.status().details().containsKey("watch")) {
			// No lock file any more (the service directory went): the snapshot may be
			// older than that
			return null;
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
		return new ServiceStatus(target, RunitBackend.ID, target, ServiceState.UNKNOWN,
				flavour.supervisor() + " not running", null, null, null, null, null,
				notRunning(flavour, files.directory()), details);
	}

	/**
	 * Return the directories to watch for a target, its {@code supervise/} directory
	 * first.
	 * @param target the target
	 * @return the directories that exist
	 */
	List<Path> directories(String target) {
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

	private static Snapshot unknown(String target, @Nullable String mode, String message) {
		Map<String, String> details = new LinkedHashMap<>();
		if (mode != null) {
			details.put("watch", mode);
		}
		return new Snapshot(new ServiceStatus(target, RunitBackend.ID, target, ServiceState.UNKNOWN, "unknown", null,
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
		return isLiveLock(lock, this.lockKeys.computeIfAbsent(lock, (file) -> new AtomicReference<>()), locks);
	}

	private static @Nullable Boolean isLiveLock(Path lock, AtomicReference<LockTable.@Nullable FileKey> knownKey,
			LockTable locks) {
		if (!locks.isKnown()) {
			return null;
		}
		LockTable.FileKey key = knownKey.get();
		if (key != null && Boolean.TRUE.equals(locks.isLocked(key))) {
			return true;
		}
		// Not known yet, or not locked: the supervise directory may have been made anew
		LockTable.FileKey current = fileKey(lock);
		knownKey.set(current);
		return (current != null) ? locks.isLocked(current) : null;
	}

	private static LockTable.@Nullable FileKey fileKey(Path file) {
		try {
			Map<String, Object> attributes = Files.readAttributes(file, "unix:dev,ino");
			if (!(attributes.get("dev") instanceof Long device) || !(attributes.get("ino") instanceof Long inode)) {
				return null;
			}
			return LockTable.FileKey.of(device, inode);
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

	static String notSupervised(Path directory) {
		if (!Files.isDirectory(directory)) {
			return "No service directory at " + directory;
		}
		return directory + " is not supervised: it has no supervise/status. Link it into the scan directory "
				+ "that runsvdir watches, or start runsv on it";
	}

	static String notRunning(SuperviseFlavour flavour, Path directory) {
		return flavour.supervisor() + " not running for " + directory + ": the last status it wrote is stale. "
				+ "Check that runsvdir runs and scans this service";
	}

	/**
	 * What was read from a target's files.
	 *
	 * @param status the status, as if its supervisor runs
	 * @param flavour the supervisor's flavour, or {@code null} when no status record was
	 * read (the status says why, and is not kept)
	 */
	record Snapshot(ServiceStatus status, @Nullable SuperviseFlavour flavour) {

		boolean isCacheable() {
			return this.flavour != null;
		}

	}

	/**
	 * The files of one service, resolved once: reading 500 statuses is then 500 reads and
	 * a few stat calls each, with no path parsing. The identity of its lock file, once
	 * known, is kept with them, so that checking 5,000 supervisors looks up no path.
	 */
	private record ServiceFiles(Path directory, Path supervise, Path status, Path lock, File down, File logStatus,
			AtomicReference<LockTable.@Nullable FileKey> lockKey) {

		ServiceFiles(Path directory) {
			this(directory, directory.resolve("supervise"), directory.resolve("supervise/status"),
					directory.resolve("supervise/lock"), new File(directory.toFile(), "down"),
					new File(directory.toFile(), "log/supervise/status"), new AtomicReference<>());
		}

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

}
