package io.github.supervision.registration;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compares generated text with a golden file under
 * {@code src/test/resources/registration/golden}. With {@code UPDATE_GOLDEN=true} in the
 * environment the golden file is rewritten instead, to be reviewed in the diff.
 *
 * @author Supervision contributors
 */
final class Golden {

	private Golden() {
	}

	static void assertMatches(String name, String actual) throws IOException {
		if ("true".equals(System.getenv("UPDATE_GOLDEN"))) {
			Path file = Path.of("src/test/resources/registration/golden", name);
			Files.createDirectories(file.getParent());
			Files.writeString(file, actual, StandardCharsets.UTF_8);
			return;
		}
		try (InputStream stream = Golden.class.getResourceAsStream("/registration/golden/" + name)) {
			assertThat(stream).as("golden file %s", name).isNotNull();
			assertThat(actual).isEqualTo(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
		}
	}

}
