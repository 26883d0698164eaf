package io.github.supervision.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import io.github.supervision.registration.SupervisorDetection;

/**
 * A stand-in for the application in registration tests: a real {@code java} main that
 * writes the arguments it received, NUL-separated, to the file named by
 * {@code $ARGV_DUMP_FILE} (and {@code $ROUND_TRIP} to the same file with {@code .env}
 * appended, and the supervisor it detects to {@code .supervisor}), then stays up until it
 * is stopped or a minute has passed.
 *
 * @author Supervision contributors
 */
public final class ArgvDumper {

	private ArgvDumper() {
	}

	/**
	 * Dump the arguments and wait.
	 * @param args the arguments
	 * @throws IOException if the file cannot be written
	 * @throws InterruptedException if interrupted while waiting
	 */
	public static void main(String[] args) throws IOException, InterruptedException {
		System.out.println("argv dumper started");
		String target = System.getenv("ARGV_DUMP_FILE");
		if (target != null) {
			write(Path.of(target + ".env"), String.valueOf(System.getenv("ROUND_TRIP")));
			write(Path.of(target + ".supervisor"),
					SupervisorDetection.detect()
						.map((supervised) -> supervised.supervisor().id() + " " + supervised.name())
						.orElse("none"));
			write(Path.of(target), String.join("\0", args));
		}
		Thread.sleep(60_000);
	}

	private static void write(Path path, String text) throws IOException {
		Path temporary = path.resolveSibling(path.getFileName() + ".tmp");
		Files.writeString(temporary, text, StandardCharsets.UTF_8);
		Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
	}

}
