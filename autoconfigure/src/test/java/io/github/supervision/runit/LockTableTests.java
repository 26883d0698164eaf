package io.github.supervision.runit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LockTable}.
 *
 * @author Supervision contributors
 */
class LockTableTests {

	private static final String LOCKS = """
			1: FLOCK  ADVISORY  WRITE 6800 fe:00:2147416 0 EOF
			2: POSIX  ADVISORY  WRITE 6803 fe:00:2147423 0 EOF
			3: -> FLOCK  ADVISORY  WRITE 7000 08:01:99 0 EOF
			4: OFDLCK ADVISORY  READ  -1 103:02:12 0 EOF
			""";

	@Test
	void findsFlockAndFcntlLocksByDeviceAndInode() {
		LockTable table = LockTable.parse(LOCKS);
		assertThat(table.isKnown()).isTrue();
		assertThat(table.isLocked(new LockTable.FileKey(0xfe, 0, 2147416))).isTrue();
		assertThat(table.isLocked(new LockTable.FileKey(0xfe, 0, 2147423))).isTrue();
		assertThat(table.isLocked(new LockTable.FileKey(0x103, 2, 12))).isTrue();
		assertThat(table.isLocked(new LockTable.FileKey(0xfe, 1, 2147416))).isFalse();
	}

	@Test
	void skipsLocksThatAreOnlyWaitedFor() {
		assertThat(LockTable.parse(LOCKS).isLocked(new LockTable.FileKey(8, 1, 99))).isFalse();
	}

	@Test
	void answersNullWhenTheLocksCannotBeRead(@TempDir Path temp) {
		LockTable table = LockTable.read(temp.resolve("missing"));
		assertThat(table.isKnown()).isFalse();
		assertThat(table.isLocked(new LockTable.FileKey(1, 2, 3))).isNull();
	}

	@Test
	void splitsDeviceNumbersAsGlibcDoes() {
		assertThat(LockTable.FileKey.of(0xfe00, 5)).isEqualTo(new LockTable.FileKey(0xfe, 0, 5));
		assertThat(LockTable.FileKey.of(0x10302, 5)).isEqualTo(new LockTable.FileKey(0x103, 2, 5));
		assertThat(LockTable.FileKey.of(0x801, 5)).isEqualTo(new LockTable.FileKey(8, 1, 5));
	}

	@Test
	void seesALockThatThisProcessHolds(@TempDir Path temp) throws Exception {
		Path file = Files.createFile(temp.resolve("lock"));
		Map<String, Object> attributes = Files.readAttributes(file, "unix:dev,ino");
		LockTable.FileKey key = LockTable.FileKey.of((Long) attributes.get("dev"), (Long) attributes.get("ino"));
		assertThat(LockTable.read().isLocked(key)).isFalse();
		try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE);
				var lock = channel.lock()) {
			assertThat(LockTable.read().isLocked(key)).isTrue();
		}
	}

}
