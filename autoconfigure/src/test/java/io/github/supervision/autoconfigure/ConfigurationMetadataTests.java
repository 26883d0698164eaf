package io.github.supervision.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the configuration metadata that IDEs read: the JSON the configuration
 * processor writes from the properties classes and merges with
 * {@code additional-spring-configuration-metadata.json}.
 *
 * @author Supervision contributors
 */
class ConfigurationMetadataTests {

	private static final String MAP_KEYS = ".keys";

	private static final String MAP_VALUES = ".values";

	private final DocumentContext metadata = read();

	@Test
	void everyHintNamesAPropertyOrTheKeysOrSimpleValuesOfAMap() {
		List<String> hints = this.metadata.read("$.hints[*].name");
		assertThat(hints).isNotEmpty().allSatisfy((hint) -> {
			if (hint.endsWith(MAP_KEYS)) {
				assertThat(type(hint.substring(0, hint.length() - MAP_KEYS.length()))).startsWith("java.util.Map<");
			}
			else if (hint.endsWith(MAP_VALUES)) {
				// the format defines value hints for a map's values only when they are
				// simple: a hint on the properties of a map's object values does nothing
				assertThat(type(hint.substring(0, hint.length() - MAP_VALUES.length())))
					.matches("java\\.util\\.Map<[^,<>]+,java\\.lang\\.[A-Za-z]+>");
			}
			else {
				assertThat(type(hint)).isNotNull();
			}
		});
	}

	@Test
	void hintsTheRegistrationModeSupervisorAndScope() throws ClassNotFoundException {
		for (String property : List.of("supervision.registration.mode", "supervision.registration.supervisor",
				"supervision.registration.systemd.scope", "supervision.systemd.scope")) {
			assertThat(hintValues(property)).as(property).containsExactlyElementsOf(enumValues(property));
		}
	}

	@Test
	void hintsTheSectionsOfSystemdDirectives() {
		assertThat(hintValues("supervision.registration.systemd.directives.keys")).containsExactly("Unit", "Service",
				"Install");
	}

	@Test
	void describesTheDeclaredServicesMap() {
		assertThat(type("supervision.services")).isEqualTo(
				"java.util.Map<java.lang.String,io.github.supervision.autoconfigure.SupervisionProperties$Service>");
	}

	private List<String> hintValues(String name) {
		return this.metadata.read("$.hints[?(@.name == '" + name + "')].values[*].value");
	}

	private List<String> enumValues(String property) throws ClassNotFoundException {
		String type = type(property);
		assertThat(type).as(property).isNotNull();
		Class<?> enumType = Class.forName(type);
		assertThat(enumType.isEnum()).as(type).isTrue();
		return Arrays.stream(enumType.getEnumConstants())
			.map((constant) -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-'))
			.toList();
	}

	private String type(String property) {
		List<Map<String, Object>> matches = this.metadata.read("$.properties[?(@.name == '" + property + "')]");
		assertThat(matches).as(property).hasSize(1);
		return (String) matches.get(0).get("type");
	}

	// the module's own file, not the first one on the class path (Spring Boot's jars have
	// theirs): beside the classes the module compiled
	private static DocumentContext read() {
		URL classes = SupervisionProperties.class.getProtectionDomain().getCodeSource().getLocation();
		try (URLClassLoader loader = new URLClassLoader(new URL[] { classes }, null);
				InputStream in = loader.getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("metadata in " + classes).isNotNull();
			return JsonPath.parse(in);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
