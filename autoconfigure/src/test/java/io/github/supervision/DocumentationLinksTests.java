package io.github.supervision;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that every relative link of the README and of {@code docs/} names a file of the
 * project, and a heading of it where the link has an anchor.
 *
 * @author Supervision contributors
 */
class DocumentationLinksTests {

	private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

	private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

	@Test
	void everyRelativeLinkNamesAFileAndHeadingOfTheProject() throws IOException {
		List<Path> pages = new ArrayList<>();
		pages.add(ROOT.resolve("README.md"));
		try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
			docs.filter((path) -> path.toString().endsWith(".md")).sorted().forEach(pages::add);
		}
		List<String> broken = new ArrayList<>();
		for (Path page : pages) {
			Matcher links = LINK.matcher(Files.readString(page, StandardCharsets.UTF_8));
			while (links.find()) {
				String link = links.group(1);
				if (link.matches("[a-z]+:.*")) {
					continue;
				}
				int hash = link.indexOf('#');
				String file = (hash < 0) ? link : link.substring(0, hash);
				Path target = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
				if (!target.startsWith(ROOT) || !Files.exists(target)) {
					broken.add(ROOT.relativize(page) + ": " + link + " (no such file in the project)");
				}
				else if (hash >= 0 && target.toString().endsWith(".md")
						&& !anchors(target).contains(link.substring(hash + 1))) {
					broken.add(ROOT.relativize(page) + ": " + link + " (no such heading)");
				}
			}
		}
		assertThat(pages).hasSizeGreaterThan(5);
		assertThat(broken).isEmpty();
	}

	// GitHub's anchors: the heading in lower case, without punctuation, spaces as hyphens
	private static Set<String> anchors(Path page) throws IOException {
		return Files.readAllLines(page, StandardCharsets.UTF_8)
			.stream()
			.filter((line) -> line.startsWith("#"))
			.map((line) -> line.replaceFirst("^#+\\s*", "")
				.toLowerCase(Locale.ROOT)
				.replaceAll("[^\\p{L}\\p{N} _-]", "")
				.replace(' ', '-'))
			.collect(Collectors.toSet());
	}

}
