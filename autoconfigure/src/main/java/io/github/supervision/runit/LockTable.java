package io.github.supervision.runit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A snapshot of the file locks held on this machine, read from {@code /proc/locks}. A
 * supervisor holds a lock on {@code supervise/lock} for as long as it runs (runsv and
 * daemontools with {@code flock}, s6 with {@code fcntl}); Java's own lock API does not
 * see {@code flock} locks, {@code /proc/locks} lists both. Reading it never blocks and
 * needs no permission.
 *
 * @author Supervision contributors
 */
final class LockTable {

	static final Path PROC_LOCKS = Path.of("/proc/locks");

	private final @Nullable Set<FileKey> locked;

	private LockTable(@Nullable Set<FileKey> locked) {
		this.locked = locked;
	}

	/**
	 * Read the locks from {@code /proc/locks}.
	 * @return the snapshot, which answers {@code null} to every question when the file
	 * cannot be read
	 */
	static LockTable read() {
		return read(PROC_LOCKS);
	}

	static LockTable read(Path file) {
		try {
			return parse(new String(Files.readAllBytes(file), StandardCharsets.US_ASCII));
		}
		catch (IOException | SecurityException ex) {
			return new LockTable(null);
		}
	}

	/**
	 * Parse the content of {@code /proc/locks}, whose lines read
	 * {@code 1: FLOCK  ADVISORY  WRITE 6851 fe:00:2147429 0 EOF} (and
	 * {@code 1: -> FLOCK ...} for a waiting lock, which is skipped).
	 * @param content the content
	 * @return the snapshot
	 */
	static LockTable parse(String content) {
		int length = content.length();
		// A line is 40 to 60 characters: room for every lock without a resize
		Set<FileKey> locked = new HashSet<>(Math.max(16, length / 20));
		int lineStart = 0;
		while (lineStart < length) {
			int lineEnd = content.indexOf('\n', lineStart);
			if (lineEnd < 0) {
				lineEnd = length;
			}
			FileKey key = parseLine(content, lineStart, lineEnd);
			if (key != null) {
				locked.add(key);
			}
			lineStart = lineEnd + 1;
		}
		return new LockTable(locked);
	}

	// Hand-written rather than split on a regex: /proc/locks has a line per lock on the
	// machine and is parsed on every status call
	private static @Nullable FileKey parseLine(String content, int start, int end) {
		int field = 0;
		int i = start;
		while (i < end) {
			while (i < end && content.charAt(i) == ' ') {
				i++;
			}
			int tokenStart = i;
			while (i < end && content.charAt(i) != ' ') {
				i++;
			}
			if (tokenStart == i) {
				break;
			}
			if (i - tokenStart == 2 && content.startsWith("->", tokenStart)) {
				return null;
			}
			if (field == 5) {
				return fileKey(content, tokenStart, i);
			}
			field++;
		}
		return null;
	}

	private static @Nullable FileKey fileKey(String content, int start, int end) {
		int first = content.indexOf(':', start);
		int second = (first >= 0) ? content.indexOf(':', first + 1) : -1;
		if (first < 0 || second < 0 || second >= end) {
			return null;
		}
		try {
			return new FileKey(Long.parseLong(content, start, first, 16),
					Long.parseLong(content, first + 1, second, 16), Long.parseLong(content, second + 1, end, 10));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/**
	 * Whether the locks could be read.
	 * @return {@code true} if {@code /proc/locks} was read
	 */
	boolean isKnown() {
		return this.locked != null;
	}

	/**
	 * Whether a file is locked.
	 * @param key the file's device and inode
	 * @return whether it is locked, or {@code null} when the locks are not known
	 */
	@Nullable Boolean isLocked(FileKey key) {
		return (this.locked != null) ? this.locked.contains(key) : null;
	}

	/**
	 * A file's identity as {@code /proc/locks} shows it: device major and minor number,
	 * and inode.
	 *
	 * @param major the device's major number
	 * @param minor the device's minor number
	 * @param inode the inode number
	 */
	record FileKey(long major, long minor, long inode) {

		/**
		 * Return the key of a file from its {@code st_dev} and {@code st_ino}, splitting
		 * the device number as glibc's {@code major()} and {@code minor()} do.
		 * @param device the device number
		 * @param inode the inode number
		 * @return the key
		 */
		static FileKey of(long device, long inode) {
			long major = ((device >>> 8) & 0xfffL) | ((device >>> 32) & 0xfffff000L);
			long minor = (device & 0xffL) | ((device >>> 12) & 0xffffff00L);
			return new FileKey(major, minor, inode);
		}

	}

}
