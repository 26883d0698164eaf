package io.github.supervision.registration;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The directives systemd 252 accepts in each section of a service unit, so that a
 * misspelt directive is caught before anything is installed. The table
 * ({@code systemd-directives.txt}) was generated from {@code systemd.directives(7)} and
 * filtered per section by systemd's own parser ({@code systemd-analyze verify}); the
 * script that regenerates it is kept with the tests. Names starting with {@code X-} are
 * extensions systemd ignores, and are always accepted.
 *
 * @author Supervision contributors
 */
public final class SystemdDirectives {

	private static final String RESOURCE = "systemd-directives.txt";

	private static final SystemdDirectives INSTANCE = load();

	private final Map<String, Set<String>> bySection;

	private SystemdDirectives(Map<String, Set<String>> bySection) {
		this.bySection = bySection;
	}

	/**
	 * Return the table shipped with this library.
	 * @return the table
	 */
	public static SystemdDirectives get() {
		return INSTANCE;
	}

	/**
	 * Return the sections the table knows.
	 * @return the section names
	 */
	public Set<String> sections() {
		return this.bySection.keySet();
	}

	/**
	 * Return the directives of a section.
	 * @param section the section name
	 * @return the directive names, empty for an unknown section
	 */
	public Set<String> directives(String section) {
		return this.bySection.getOrDefault(section, Set.of());
	}

	/**
	 * Whether a directive exists in a section.
	 * @param section the section name
	 * @param name the directive name
	 * @return {@code true} if systemd accepts it there
	 */
	public boolean isKnown(String section, String name) {
		return name.startsWith("X-") || directives(section).contains(name);
	}

	/**
	 * Return systemd's spelling of a section name given in any case.
	 * @param section the section name
	 * @return the section as systemd spells it, or empty when there is no such section
	 */
	public Optional<String> canonicalSection(String section) {
		return this.bySection.keySet().stream().filter((candidate) -> candidate.equalsIgnoreCase(section)).findFirst();
	}

	/**
	 * Return systemd's spelling of a directive name given in any case, as Spring's binder
	 * may lower-case map keys.
	 * @param section the section as systemd spells it
	 * @param name the directive name
	 * @return the directive as systemd spells it, or empty when there is no such
	 * directive in the section
	 */
	public Optional<String> canonicalName(String section, String name) {
		if (name.startsWith("X-") || name.startsWith("x-")) {
			return Optional.of("X-" + name.substring(2));
		}
		List<String> matches = directives(section).stream()
			.filter((candidate) -> candidate.equalsIgnoreCase(name))
			.toList();
		return (matches.size() == 1) ? Optional.of(matches.get(0)) : Optional.empty();
	}

	/**
	 * Check that a directive exists in a section.
	 * @param property the property the directive comes from, for the message
	 * @param section the section name
	 * @param name the directive name
	 * @throws RegistrationException if systemd does not know the section or directive
	 */
	public void check(String property, String section, String name) {
		if (!this.bySection.containsKey(section)) {
			throw new RegistrationException(property, "a service unit has no section [" + section + "]; use one of "
					+ String.join(", ", this.bySection.keySet()));
		}
		if (!isKnown(section, name)) {
			String closest = directives(section).stream()
				.min(Comparator.comparingInt((candidate) -> distance(candidate, name)))
				.orElse("");
			throw new RegistrationException(property, "systemd has no directive '" + name + "' in section [" + section
					+ "]; did you mean '" + closest + "'? Names are case-sensitive");
		}
	}

	private static int distance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int cost = (Character.toLowerCase(a.charAt(i - 1)) == Character.toLowerCase(b.charAt(j - 1))) ? 0 : 1;
				current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

	private static SystemdDirectives load() {
		Map<String, Set<String>> bySection = new LinkedHashMap<>();
		try (InputStream stream = SystemdDirectives.class.getResourceAsStream(RESOURCE)) {
			if (stream == null) {
				throw new IllegalStateException("Missing resource " + RESOURCE);
			}
			BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
			String line;
			while ((line = reader.readLine()) != null) {
				if (line.isBlank() || line.startsWith("#")) {
					continue;
				}
				String[] parts = line.trim().split(" ");
				bySection.computeIfAbsent(parts[0], (key) -> new TreeSet<>()).add(parts[1]);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return new SystemdDirectives(bySection);
	}

}
