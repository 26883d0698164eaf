package io.github.supervision.runit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import io.github.supervision.ServiceLog;
import org.jspecify.annotations.Nullable;

/**
 * Reads the last lines a logger wrote in its directory, from the end of {@code current}
 * back through its rotated files ({@code @<tai64n>.s} and {@code .u}), newest first,
 * within a byte budget and a deadline, without ever reading a whole file.
 *
 * @author Supervision contributors
 */
final class LogTail {

	/**
	 * The name of the file a logger writes to.
	 */
	static final String CURRENT = "current";

	private static final String PREVIOUS = "previous";

	private static final Pattern ROTATED = Pattern.compile("@[0-9a-f]{24}\\.[su]");

	private static final int CHUNK = 64 * 1024;

	private static final int MAX_ROTATED = 1000;

	private static final long UNBOUNDED = 3_600_000_000_000L;

	private static final int OPEN_ATTEMPTS = 3;

	private final int lines;

	private final long deadline;

	private final LogFormat format;

	private final ZoneId zone;

	private int budget;

	private boolean truncated;

	// whether the next line found is left out (one being written)
	private boolean skipNext;

	// lines, newest first, each without its line end
	private final Deque<byte[]> found = new ArrayDeque<>();

	private LogTail(int lines, int maxBytes, long deadline, LogFormat format, ZoneId zone) {
		this.lines = lines;
		this.budget = maxBytes;
		this.deadline = deadline;
		this.format = format;
		this.zone = zone;
	}

	/**
	 * Return the last lines of a log file alone.
	 * @param file the file, open for reading
	 * @param lines the most lines to return
	 * @param maxBytes the most bytes to read
	 * @return the lines, oldest first
	 * @throws IOException if the file cannot be read
	 */
	static ServiceLog lastLines(FileChannel file, int lines, int maxBytes) throws IOException {
		LogTail tail = new LogTail(lines, maxBytes, System.nanoTime() + UNBOUNDED, LogFormat.PLAIN,
				ZoneId.systemDefault());
		if (lines > 0) {
			tail.read(file);
		}
		return tail.result();
	}

	/**
	 * Return the last lines a logger wrote in its directory: {@code current} first, then
	 * its rotated files from the newest while more lines are wanted, the bytes allow and
	 * the deadline has not passed. A file that is not a regular file is never opened; a
	 * file rotated while it is read is read once (its old name's content, which the open
	 * file still holds, is not read again under its new name).
	 * @param current the file the logger writes ({@code current} in its directory, where
	 * its rotated files are)
	 * @param lines the most lines to return
	 * @param maxBytes the most bytes to read, over all files
	 * @param deadline the {@link System#nanoTime()} after which no more is read
	 * @param format the stamps of the lines
	 * @param zone the time zone of local time stamps
	 * @return the lines, oldest first, truncated when older lines were left out
	 * @throws NotARegularFileException if {@code current} exists but is not a regular
	 * file
	 * @throws AccessDeniedException if {@code current} or its directory may not be read:
	 * a log the application may not see is not an empty log
	 * @throws IOException if {@code current} cannot be read
	 */
	static ServiceLog read(Path current, int lines, int maxBytes, long deadline, LogFormat format, ZoneId zone)
			throws IOException {
		LogTail tail = new LogTail(lines, maxBytes, deadline, format, zone);
		if (lines > 0) {
			tail.readFiles(current);
		}
		return tail.result();
	}

	private void readFiles(Path current) throws IOException {
		for (int attempt = 1; attempt <= OPEN_ATTEMPTS; attempt++) {
			BasicFileAttributes before = currentAttributes(current);
			if (before == null) {
				break;
			}
			if (!before.isRegularFile()) {
				throw new NotARegularFileException(current);
			}
			try (FileChannel file = FileChannel.open(current, StandardOpenOption.READ)) {
				BasicFileAttributes after = attributes(current);
				Object key = before.fileKey();
				if (after == null || key == null || !key.equals(after.fileKey())) {
					// rotated between the checks and the open: which file is open is not
					// known, so its rotated copy could not be skipped
					if (attempt < OPEN_ATTEMPTS) {
						continue;
					}
					readCurrent(file);
					this.truncated = true;
					return;
				}
				if (readCurrent(file) && this.found.size() < this.lines) {
					readRotated(current.toAbsolutePath().resolveSibling(""), key);
				}
				return;
			}
			catch (NoSuchFileException ex) {
				// renamed by a rotation before its successor was made: the rotated files
				// hold all
				break;
			}
		}
		readRotated(current.toAbsolutePath().resolveSibling(""), null);
	}

	private void readRotated(Path directory, @Nullable Object currentKey) {
		Set<Object> read = new HashSet<>();
		if (currentKey != null) {
			read.add(currentKey);
		}
		List<Rotated> files = rotated(directory);
		// current was rotated since it was read: the files before its new name are newer
		// than what was read, and their lines are not the older ones this read wants
		for (int i = 0; i < files.size(); i++) {
			if (files.get(i).key().equals(currentKey)) {
				files = files.subList(i + 1, files.size());
				break;
			}
		}
		for (Rotated file : files) {
			if (this.found.size() >= this.lines) {
				return;
			}
			if (this.budget <= 0 || System.nanoTime() - this.deadline > 0) {
				this.truncated = true;
				return;
			}
			if (!read.add(file.key())) {
				continue;
			}
			Boolean whole = read(file);
			if (whole == null) {
				whole = readRenamed(directory, file.key());
			}
			if (!whole) {
				return;
			}
		}
	}

	// multilog and s6-log link previous to its rotated name, then remove it
	private boolean readRenamed(Path directory, Object key) {
		for (Rotated file : rotated(directory)) {
			if (file.key().equals(key) && !file.path().endsWith(PREVIOUS)) {
				Boolean whole = read(file);
				return whole != null && whole;
			}
		}
		this.truncated = true;
		return false;
	}

	/**
	 * Read a rotated file's lines from its end.
	 * @param file the file
	 * @return whether its first line was reached, so that older files may hold more
	 * lines, or {@code null} when {@code previous} was gone or was another file when it
	 * was opened (the next rotation renamed {@code current} to it)
	 */
	private @Nullable Boolean read(Rotated file) {
		boolean previous = file.path().endsWith(PREVIOUS);
		try (FileChannel channel = FileChannel.open(file.path(), StandardOpenOption.READ)) {
			if (previous) {
				BasicFileAttributes after = attributes(file.path());
				if (after == null || !file.key().equals(after.fileKey())) {
					return null;
				}
			}
			return read(channel);
		}
		catch (NoSuchFileException ex) {
			if (previous) {
				return null;
			}
			this.truncated = true;
			return false;
		}
		catch (IOException ex) {
			// unreadable: older lines are left out
			this.truncated = true;
			return false;
		}
	}

	/**
	 * Return the rotated files of a logger's directory, newest first: {@code previous}
	 * (the old {@code current} while {@code multilog} or {@code s6-log} rotates it), then
	 * {@code @<tai64n>.s} and {@code .u} files by name, each file once.
	 * @param directory the directory
	 * @return the files with their keys
	 */
	private static List<Rotated> rotated(Path directory) {
		for (int attempt = 1; attempt < OPEN_ATTEMPTS; attempt++) {
			List<Rotated> rotated = list(directory);
			if (rotated != null) {
				return rotated;
			}
		}
		List<Rotated> rotated = list(directory);
		return (rotated != null) ? rotated : List.of();
	}

	// null when previous went between the listing and its attributes: list again, its
	// rotated name is there now
	private static @Nullable List<Rotated> list(Path directory) {
		List<Path> names = new ArrayList<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
			for (Path entry : entries) {
				String name = entry.getFileName().toString();
				if (name.equals(PREVIOUS) || ROTATED.matcher(name).matches()) {
					names.add(entry);
				}
				if (names.size() > MAX_ROTATED) {
					break;
				}
			}
		}
		catch (IOException | SecurityException ex) {
			return List.of();
		}
		names.sort(Comparator.comparing((Path path) -> path.endsWith(PREVIOUS) ? "~" : path.getFileName().toString())
			.reversed());
		List<Rotated> rotated = new ArrayList<>(names.size());
		Set<Object> keys = new HashSet<>();
		for (Path path : names) {
			BasicFileAttributes attributes = attributes(path);
			if (attributes == null && path.endsWith(PREVIOUS)) {
				return null;
			}
			if (attributes != null && attributes.isRegularFile() && attributes.fileKey() != null
					&& keys.add(attributes.fileKey())) {
				rotated.add(new Rotated(path, attributes.fileKey()));
			}
		}
		return rotated;
	}

	// a log the application may not see is an error, not an empty log
	private static @Nullable BasicFileAttributes currentAttributes(Path current) throws AccessDeniedException {
		try {
			return Files.readAttributes(current, BasicFileAttributes.class);
		}
		catch (AccessDeniedException ex) {
			throw ex;
		}
		catch (IOException | SecurityException ex) {
			return null;
		}
	}

	private static @Nullable BasicFileAttributes attributes(Path path) {
		try {
			return Files.readAttributes(path, BasicFileAttributes.class);
		}
		catch (IOException | SecurityException ex) {
			return null;
		}
	}

	/**
	 * Read a file's lines from its end into {@link #found} until enough lines are found,
	 * the budget is spent or the deadline passed.
	 * @param file the file
	 * @return whether its first line was reached, so that older files may hold more lines
	 */
	private boolean read(FileChannel file) throws IOException {
		return read(file, file.size());
	}

	/**
	 * Read the file a logger writes, leaving out a last line without its line end: the
	 * loggers write whole lines, so that is one being written.
	 * @param file the file
	 * @return whether its first line was reached
	 */
	private boolean readCurrent(FileChannel file) throws IOException {
		long size = file.size();
		if (size == 0) {
			return true;
		}
		ByteBuffer last = ByteBuffer.allocate(1);
		if (file.read(last, size - 1) == 1 && last.get(0) != '\n') {
			this.skipNext = true;
		}
		boolean whole = read(file, size);
		this.skipNext = false;
		return whole;
	}

	private boolean read(FileChannel file, long end) throws IOException {
		// bytes of the line being read, after the last line end seen
		byte[] partial = null;
		byte[] chunk = new byte[(int) Math.min(CHUNK, Math.max(1, Math.min(end, this.budget)))];
		long position = end;
		boolean first = true;
		while (position > 0) {
			if (this.budget <= 0 || System.nanoTime() - this.deadline > 0) {
				this.truncated = true;
				return false;
			}
			int size = (int) Math.min(Math.min(chunk.length, position), this.budget);
			position -= size;
			int read = readFully(file, chunk, size, position);
			if (read < size) {
				// the file shrank under the read: what was read is all there is
				this.truncated = true;
				return false;
			}
			this.budget -= size;
			int lineEnd = size;
			for (int i = size - 1; i >= 0; i--) {
				if (chunk[i] != '\n') {
					continue;
				}
				if (first && i == size - 1 && position + i == end - 1) {
					// the file's last line end ends the last line
					lineEnd = i;
					first = false;
					continue;
				}
				first = false;
				addLine(chunk, i + 1, lineEnd, partial);
				partial = null;
				lineEnd = i;
				if (this.found.size() >= this.lines) {
					return false;
				}
			}
			first = false;
			partial = prepend(chunk, 0, lineEnd, partial);
		}
		if (partial != null) {
			addLine(new byte[0], 0, 0, partial);
		}
		return true;
	}

	private static int readFully(FileChannel file, byte[] chunk, int size, long position) throws IOException {
		ByteBuffer buffer = ByteBuffer.wrap(chunk, 0, size);
		while (buffer.hasRemaining()) {
			if (file.read(buffer, position + buffer.position()) < 0) {
				break;
			}
		}
		return buffer.position();
	}

	// keep at most one line's worth of bytes of an over-long line: its start
	private byte[] prepend(byte[] chunk, int from, int to, byte @Nullable [] partial) {
		int kept = (partial != null) ? partial.length : 0;
		int limit = maxLineBytes();
		int length = to - from;
		int total = Math.min(length + kept, limit);
		byte[] joined = new byte[total];
		int copied = Math.min(length, total);
		System.arraycopy(chunk, from, joined, 0, copied);
		if (partial != null && total > copied) {
			System.arraycopy(partial, 0, joined, copied, total - copied);
		}
		if (length + kept > limit) {
			this.truncated = true;
		}
		return joined;
	}

	private void addLine(byte[] chunk, int from, int to, byte @Nullable [] partial) {
		byte[] line = prepend(chunk, from, to, partial);
		if (this.skipNext) {
			this.skipNext = false;
			return;
		}
		this.found.push(line);
	}

	// a line's text is cut at ServiceLog.MAX_LINE_LENGTH characters: four bytes each at
	// most
	private static int maxLineBytes() {
		return ServiceLog.MAX_LINE_LENGTH * 4;
	}

	private ServiceLog result() {
		List<ServiceLog.Line> result = new ArrayList<>(this.found.size());
		for (byte[] bytes : this.found) {
			String raw = new String(bytes, StandardCharsets.UTF_8);
			if (raw.length() > ServiceLog.MAX_LINE_LENGTH) {
				this.truncated = true;
			}
			result.add(this.format.line(raw, this.zone));
		}
		return new ServiceLog(result, this.truncated);
	}

	private record Rotated(Path path, Object key) {

	}

	/**
	 * Thrown when a log file exists but is not a regular file, so it is never opened (a
	 * FIFO would block the read).
	 */
	static final class NotARegularFileException extends IOException {

		private static final long serialVersionUID = 1L;

		NotARegularFileException(Path path) {
			super(path + " is not a regular file; refusing to open it");
		}

	}

}
