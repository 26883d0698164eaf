package io.github.supervision.actuate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the README, {@code docs/endpoint.md} and the javadoc of
 * {@link ServicesEndpointWebExtension} give the same table of HTTP status codes.
 *
 * @author Supervision contributors
 */
class StatusCodeTablesTests {

	private static final String HEADER = "| status | `error` / outcome | when |";

	private static final Pattern CELL = Pattern.compile("<t[dh]>(.*?)</t[dh]>", Pattern.DOTALL);

	private static final Pattern CODE = Pattern.compile("\\{@code ([^}]*)}|<code>(.*?)</code>");

	@Test
	void readmeEndpointDocsAndJavadocGiveTheSameStatusCodes() throws IOException {
		List<String> endpointDocs = markdownTable(Path.of("../docs/endpoint.md"));
		assertThat(endpointDocs).hasSizeGreaterThan(10);
		assertThat(markdownTable(Path.of("../README.md"))).isEqualTo(endpointDocs);
		assertThat(
				javadocTable(Path.of("src/main/java/io/github/supervision/actuate/ServicesEndpointWebExtension.java")))
			.isEqualTo(endpointDocs);
	}

	private static List<String> markdownTable(Path file) throws IOException {
		List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
		int header = lines.indexOf(HEADER);
		assertThat(header).as("status table in " + file).isNotNegative();
		List<String> rows = new ArrayList<>();
		rows.add(normalized(HEADER));
		for (String line : lines.subList(header + 2, lines.size())) {
			if (!line.startsWith("|")) {
				break;
			}
			rows.add(normalized(line));
		}
		return rows;
	}

	private static List<String> javadocTable(Path file) throws IOException {
		String source = Files.readString(file, StandardCharsets.UTF_8);
		String table = source.substring(source.indexOf("<table>"), source.indexOf("</table>"))
			.replaceAll("\n\\s*\\* ?", " ");
		List<String> rows = new ArrayList<>();
		for (String row : table.split("<tr>")) {
			Matcher cells = CELL.matcher(row);
			StringBuilder markdown = new StringBuilder("|");
			boolean any = false;
			while (cells.find()) {
				markdown.append(' ').append(cells.group(1).trim()).append(" |");
				any = true;
			}
			if (any) {
				rows.add(normalized(CODE.matcher(markdown)
					.replaceAll(StatusCodeTablesTests::markdownCode)
					.replace("&lt;", "<")
					.replace("&gt;", ">")
					.replace("&amp;", "&")));
			}
		}
		return rows;
	}

	private static String markdownCode(MatchResult code) {
		return Matcher.quoteReplacement("`" + ((code.group(1) != null) ? code.group(1) : code.group(2)) + "`");
	}

	private static String normalized(String row) {
		return row.replaceAll("\\s+", " ").replace("| |", "||");
	}

}
