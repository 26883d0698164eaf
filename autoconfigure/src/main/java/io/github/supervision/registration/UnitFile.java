package io.github.supervision.registration;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An ordered systemd unit file: sections in order, each an ordered list of directives. A
 * directive that appears several times (several {@code ExecStartPre=} lines) is several
 * {@link Directive}s. Values are stored as they are written to the file, so a value
 * already carries systemd's escaping.
 *
 * @author Supervision contributors
 */
public final class UnitFile {

	private static final Pattern DIRECTIVE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]*|X-[A-Za-z0-9-]+");

	private final List<Section> sections = new ArrayList<>();

	/**
	 * Append a directive to a section, adding the section after the others when it is
	 * new.
	 * @param section the section name, such as {@code Service}
	 * @param name the directive name, such as {@code ExecStart}
	 * @param value the value as written to the file
	 * @return this unit file
	 */
	public UnitFile add(String section, String name, String value) {
		check(section, name, value);
		section(section).directives.add(new Directive(name, value));
		return this;
	}

	/**
	 * Replace every occurrence of a directive with the given values, written where the
	 * first occurrence was (or at the end of the section when there was none).
	 * @param section the section name
	 * @param name the directive name
	 * @param values the values; empty to remove the directive
	 * @return this unit file
	 */
	public UnitFile replace(String section, String name, List<String> values) {
		values.forEach((value) -> check(section, name, value));
		List<Directive> directives = section(section).directives;
		int index = -1;
		for (int i = directives.size() - 1; i >= 0; i--) {
			if (directives.get(i).name().equals(name)) {
				directives.remove(i);
				index = i;
			}
		}
		int position = (index >= 0) ? index : directives.size();
		directives.addAll(position, values.stream().map((value) -> new Directive(name, value)).toList());
		return this;
	}

	/**
	 * Return the values of a directive, in order.
	 * @param section the section name
	 * @param name the directive name
	 * @return the values, empty when the directive is absent
	 */
	public List<String> values(String section, String name) {
		return this.sections.stream()
			.filter((candidate) -> candidate.name().equals(section))
			.flatMap((candidate) -> candidate.directives().stream())
			.filter((directive) -> directive.name().equals(name))
			.map(Directive::value)
			.toList();
	}

	/**
	 * Return the sections, in order.
	 * @return the sections
	 */
	public List<Section> sections() {
		return this.sections.stream()
			.map((section) -> new Section(section.name(), Collections.unmodifiableList(section.directives())))
			.toList();
	}

	/**
	 * Render the unit file, with comment lines first.
	 * @param comments comment lines written before the first section, without {@code #}
	 * @return the unit file's text
	 */
	public String render(List<String> comments) {
		StringBuilder text = new StringBuilder();
		comments.forEach((comment) -> text.append("# ").append(Values.text("comment", comment)).append('\n'));
		for (Section section : this.sections) {
			if (section.directives().isEmpty()) {
				continue;
			}
			if (!text.isEmpty()) {
				text.append('\n');
			}
			text.append('[').append(section.name()).append("]\n");
			section.directives()
				.forEach((
						directive) -> text.append(directive.name()).append('=').append(directive.value()).append('\n'));
		}
		return text.toString();
	}

	private Section section(String name) {
		for (Section section : this.sections) {
			if (section.name().equals(name)) {
				return section;
			}
		}
		Section section = new Section(name, new ArrayList<>());
		this.sections.add(section);
		return section;
	}

	private static void check(String section, String name, String value) {
		String property = section + "." + name;
		if (!DIRECTIVE_NAME.matcher(section).matches() || !DIRECTIVE_NAME.matcher(name).matches()) {
			throw new RegistrationException(property, "section and directive names are letters and digits");
		}
		Values.text(property, value);
		if (value.endsWith("\\")) {
			throw new RegistrationException(property,
					"a value ending in a backslash would continue on the next line; remove the backslash");
		}
	}

	/**
	 * One {@code Name=value} line.
	 *
	 * @param name the directive name
	 * @param value the value as written to the file
	 */
	public record Directive(String name, String value) {

	}

	/**
	 * One {@code [Name]} section and its directives.
	 *
	 * @param name the section name
	 * @param directives the directives, in order
	 */
	public record Section(String name, List<Directive> directives) {

	}

}
