package io.github.supervision.runit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.github.supervision.ServiceState;
import io.github.supervision.testsupport.RealDaemonTest;
import io.github.supervision.testsupport.RealDaemons;
import io.github.supervision.testsupport.Runsvdir;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that a process that may not enter {@code supervise/} or the log directory (mode
 * 0700, owned by root) gets a permission error with a hint, not an empty answer: the
 * backend runs in a second JVM as {@code nobody}, started with {@code chpst -u nobody},
 * against a real runsv.
 *
 * @author Supervision contributors
 */
@RealDaemonTest
class RunitPermissionTests {

	private static final String CHPST = "/usr/bin/chpst";

	// nobody's group on Debian
	private static final String NOGROUP = "nogroup";

	@RegisterExtension
	static final Runsvdir runsvdir = Runsvdir.create();

	private static Path service = Path.of("");

	@BeforeAll
	static void startRunsv() throws Exception {
		RealDaemons.requireRoot();
		RealDaemons.requireExecutables(CHPST);
		Files.setPosixFilePermissions(runsvdir.root(), PosixFilePermissions.fromString("rwxr-xr-x"));
		service = runsvdir.service(runsvdir.root(), "guarded", "exec sleep 1000", false);
		// a log only root may look into: nobody must not be told it is empty
		Path log = Files.createDirectories(service.resolve("log/main"));
		Files.writeString(log.resolve("current"), "a line nobody may read\n");
		Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rwx------"));
		runsvdir.runsv(service);
	}

	@Test
	void reportsAPermissionErrorWithAHintToAnUnprivilegedUser() throws Exception {
		String output = probeAsNobody(service);
		assertThat(output).contains("status " + ServiceState.UNKNOWN + " Permission denied reading")
			.contains("perform PermissionDeniedException Permission denied on")
			.contains("mode 0700")
			.contains("log PermissionDeniedException Permission denied reading " + service.resolve("log/main/current"));
		// the service was not touched
		assertThat(stateAsRoot(service)).isEqualTo(ServiceState.RUNNING);
	}

	@Test
	void controlsAServiceWhoseControlFifoItsGroupMayOnlyWrite() throws Exception {
		// what s6-svperms -G does: the group may enter supervise/ and write, not read,
		// the control FIFO
		Path delegated = runsvdir.service(runsvdir.root(), "delegated", "exec sleep 1000", false);
		runsvdir.runsv(delegated);
		Path supervise = delegated.resolve("supervise");
		for (Path path : List.of(supervise, supervise.resolve("control"))) {
			Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
				.setGroup(path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(NOGROUP));
		}
		Files.setPosixFilePermissions(supervise, PosixFilePermissions.fromString("rwxr-x---"));
		Files.setPosixFilePermissions(supervise.resolve("control"), PosixFilePermissions.fromString("rw--w----"));
		String output = probeAsNobody(delegated);
		assertThat(output).contains("status " + ServiceState.RUNNING).contains("perform done");
		assertThat(stateAsRoot(delegated)).isEqualTo(ServiceState.STOPPED);
	}

	private static String probeAsNobody(Path target) throws Exception {
		String java = ProcessHandle.current().info().command().orElse("java");
		// nobody may not read a build under a home directory of mode 0700: it runs copies
		Path classes = runsvdir.root().resolve("classes");
		Path testClasses = runsvdir.root().resolve("test-classes");
		if (!Files.exists(classes)) {
			readableByAll(classes, location(RunitBackend.class));
			readableByAll(testClasses, location(PermissionProbe.class));
		}
		Process probe = new ProcessBuilder(CHPST, "-u", "nobody", java, "-cp", classes + ":" + testClasses,
				PermissionProbe.class.getName(), target.toString())
			.directory(runsvdir.root().toFile())
			.redirectErrorStream(true)
			.start();
		assertThat(probe.waitFor(30, TimeUnit.SECONDS)).isTrue();
		return new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
	}

	private static ServiceState stateAsRoot(Path target) {
		try (RunitBackend backend = new RunitBackend()) {
			return backend.status(List.of(target.toString()), Duration.ofSeconds(2)).get(target.toString()).state();
		}
	}

	private static Path location(Class<?> type) throws Exception {
		return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
	}

	private static Path readableByAll(Path copy, Path classes) throws IOException {
		try (Stream<Path> files = Files.walk(classes)) {
			for (Path file : files.toList()) {
				Path target = copy.resolve(classes.relativize(file).toString());
				if (Files.isDirectory(file)) {
					Files.createDirectories(target);
					Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
				}
				else {
					Files.copy(file, target);
					Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
				}
			}
		}
		return copy;
	}

}
