package io.github.supervision.runit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.github.supervision.InvalidServiceNameException;
import io.github.supervision.testsupport.Runsvdir;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for the file-system side of {@link RunitBackend#enable} and
 * {@link RunitBackend#disable} (the daemon side is in {@link RunitBackendTests}).
 *
 * @author Supervision contributors
 */
class RunitEnableTests {

	@TempDir
	Path temp;

	private Path scan;

	private Path definition;

	private RunitBackend backend;

	@BeforeEach
	void createDirectories() throws Exception {
		this.scan = Files.createDirectories(this.temp.resolve("service"));
		this.definition = Files.createDirectories(this.temp.resolve("sv/web"));
		Runsvdir.script(this.definition.resolve("run"), "exec sleep 1000");
		this.backend = new RunitBackend(this.scan, false, Duration.ofSeconds(1), false, RunitBackend.DEFAULT_LOG_FILE,
				List.of());
	}

	@Test
	void linksTheServiceAndIsIdempotent() throws Exception {
		Path link = this.backend.enable("web", this.definition, true);
		assertThat(Files.readSymbolicLink(link)).isEqualTo(this.definition);
		assertThat(this.definition.resolve("down")).doesNotExist();
		assertThat(this.backend.enable("web", this.definition, false)).isEqualTo(link);
		assertThat(this.definition.resolve("down")).exists();
	}

	@Test
	void switchesBetweenNormallyUpAndDown() {
		this.backend.setNormallyUp(this.definition.toString(), false);
		assertThat(this.definition.resolve("down")).exists();
		this.backend.setNormallyUp(this.definition.toString(), true);
		assertThat(this.definition.resolve("down")).doesNotExist();
	}

	@Test
	void refusesANameThatIsAPath() {
		assertThatExceptionOfType(InvalidServiceNameException.class)
			.isThrownBy(() -> this.backend.enable("../web", this.definition, true));
		assertThatExceptionOfType(InvalidServiceNameException.class)
			.isThrownBy(() -> this.backend.disable(".web", Duration.ofSeconds(1)));
		assertThat(this.scan).isEmptyDirectory();
	}

	@Test
	void refusesADirectoryWithoutARunScript() throws Exception {
		Path empty = Files.createDirectories(this.temp.resolve("sv/empty"));
		assertThatIllegalStateException().isThrownBy(() -> this.backend.enable("empty", empty, true))
			.withMessageContaining("no executable run script");
		assertThat(this.scan).isEmptyDirectory();
	}

	@Test
	void refusesANameTakenBySomethingElse() throws Exception {
		Files.createDirectories(this.scan.resolve("web"));
		assertThatIllegalStateException().isThrownBy(() -> this.backend.enable("web", this.definition, true))
			.withMessageContaining("already exists");
	}

	@Test
	void removesOnlyASymbolicLink() throws Exception {
		Path directory = Files.createDirectories(this.scan.resolve("real"));
		assertThatIllegalStateException().isThrownBy(() -> this.backend.disable("real", Duration.ofSeconds(1)))
			.withMessageContaining("not a symbolic link");
		assertThat(directory).isDirectory();
		assertThat(this.backend.disable("absent", Duration.ofSeconds(1))).isTrue();
		Path link = this.backend.enable("web", this.definition, true);
		assertThat(this.backend.disable("web", Duration.ofSeconds(1))).isTrue();
		assertThat(link).doesNotExist();
		assertThat(this.definition).isDirectory();
	}

}
