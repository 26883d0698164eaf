package io.github.supervision.selfregistration;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import io.github.supervision.actuate.ServicesEndpoint.RegistrationDescriptor;
import io.github.supervision.registration.GeneratedFile;
import io.github.supervision.registration.GeneratedFiles;
import io.github.supervision.registration.JvmFacts;
import io.github.supervision.registration.Registration;
import io.github.supervision.registration.RegistrationException;
import io.github.supervision.registration.SupervisorDetection.Supervised;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.core.env.Environment;

/**
 * Reports, for {@code /actuator/services}, how the running application is registered:
 * which supervisor runs it (detected), under which name, and whether the installed
 * definition is what the application would generate now from its own command line and
 * {@code supervision.registration.*}. The definition is generated once; the installed
 * files are compared as a whole set, at most once per {@link #CACHE_PERIOD}, so that a
 * busy {@code /actuator/services} does not read them at every request: a file an earlier
 * install generated and this definition no longer holds is a difference too. Differences
 * name files, line numbers and directive names, never values; a private (environment)
 * file is only said to differ, and one the application may not read is not compared.
 *
 * @author Supervision contributors
 */
public final class RegistrationReport implements Supplier<RegistrationDescriptor> {

	/**
	 * How long a comparison of the installed files is reported before they are read
	 * again.
	 */
	public static final Duration CACHE_PERIOD = Duration.ofSeconds(1);

	private static final int MAX_LINES_LISTED = 5;

	private volatile @Nullable Compared compared;

	private final Optional<Supervised> detected;

	private final String supervisor;

	private final @Nullable Registration registration;

	private final @Nullable GeneratedFiles files;

	private final @Nullable String problem;

	/**
	 * Create a report.
	 * @param environment the application's environment
	 * @param arguments the application's command-line arguments
	 * @param facts how this JVM was started
	 * @param detected the supervisor detected running this process, if any
	 */
	public RegistrationReport(Environment environment, List<String> arguments, JvmFacts facts,
			Optional<Supervised> detected) {
		this.detected = detected;
		String supervisor = environment.getProperty(RegistrationProperties.PREFIX + ".supervisor", "systemd");
		Registration generated = null;
		GeneratedFiles installed = null;
		String failure = null;
		try {
			RegistrationProperties properties = SelfRegistration.bind(environment);
			detected.ifPresent((supervised) -> properties.setSupervisor(supervised.supervisor()));
			supervisor = properties.getSupervisor().id();
			SelfRegistration registration = new SelfRegistration(properties, environment, arguments, facts);
			generated = registration.generator().generate(registration.spec());
			installed = registration.files();
		}
		catch (RegistrationException | BindException ex) {
			failure = "The registration cannot be generated: " + ex.getMessage();
		}
		catch (RuntimeException ex) {
			failure = "The registration cannot be generated (" + ex.getClass().getSimpleName() + ")";
		}
		this.supervisor = supervisor;
		this.registration = generated;
		this.files = installed;
		this.problem = failure;
	}

	@Override
	public RegistrationDescriptor get() {
		Compared last = this.compared;
		long now = System.nanoTime();
		if (last != null && now - last.nanos() < CACHE_PERIOD.toNanos()) {
			return last.descriptor();
		}
		RegistrationDescriptor descriptor = compare();
		this.compared = new Compared(descriptor, now);
		return descriptor;
	}

	private RegistrationDescriptor compare() {
		String detectedName = this.detected.map(Supervised::name).orElse(null);
		boolean isDetected = this.detected.isPresent();
		if (this.registration == null || this.files == null) {
			return new RegistrationDescriptor(this.supervisor, isDetected, (detectedName != null) ? detectedName : "",
					null, false, false, List.of(), this.problem);
		}
		GeneratedFile main = this.registration.files()
			.stream()
			.filter((file) -> file.path().endsWith("/run") || file.path().endsWith(".service")
					|| file.path().endsWith(".conf"))
			.filter((file) -> !file.path().contains("/log/"))
			.findFirst()
			.orElse(this.registration.files().get(0));
		boolean registered = true;
		List<String> differences = new ArrayList<>();
		for (GeneratedFile file : this.registration.files()) {
			Path path = this.files.resolve(file);
			if (file.isPrivate() && !isVisible(path)) {
				continue;
			}
			if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
				registered = false;
				differences.add(file.path() + ": not installed");
				continue;
			}
			String difference = compare(file, path);
			if (difference != null) {
				differences.add(difference);
			}
		}
		this.files.stale(this.registration)
			.forEach((path) -> differences.add(path + ": installed but no longer generated"));
		String name = (detectedName != null) ? detectedName : this.registration.name();
		String message = null;
		if (detectedName != null && !detectedName.equals(this.registration.name())) {
			message = this.supervisor + " runs the application as '" + detectedName
					+ "', but its registration is named '" + this.registration.name() + "'";
		}
		return new RegistrationDescriptor(this.supervisor, isDetected, name, this.files.resolve(main).toString(),
				registered, differences.isEmpty(), differences, message);
	}

	// A private file of root's cannot be checked by a service running as another user:
	// that is no difference
	private static boolean isVisible(Path path) {
		Path directory = path.getParent();
		if (directory != null && Files.isDirectory(directory) && !Files.isExecutable(directory)) {
			return false;
		}
		return !Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) || Files.isReadable(path);
	}

	private static @Nullable String compare(GeneratedFile file, Path path) {
		List<String> installed;
		try {
			installed = Files.readString(path, StandardCharsets.UTF_8).lines().toList();
		}
		catch (IOException ex) {
			return file.path() + ": cannot be read (" + ex.getClass().getSimpleName() + ")";
		}
		if (file.isPrivate()) {
			// Its lines are values
			return installed.equals(file.content().lines().toList()) ? null : file.path() + ": differs";
		}
		List<String> expected = file.content().lines().toList();
		List<String> lines = new ArrayList<>();
		int count = 0;
		for (int i = 0; i < Math.max(installed.size(), expected.size()); i++) {
			String have = (i < installed.size()) ? installed.get(i) : null;
			String want = (i < expected.size()) ? expected.get(i) : null;
			if (have == null || !have.equals(want)) {
				count++;
				String line = (want != null) ? want : have;
				if (line != null && lines.size() < MAX_LINES_LISTED) {
					lines.add(describeLine(i + 1, line));
				}
			}
		}
		if (count == 0) {
			return null;
		}
		String more = (count > lines.size()) ? " and " + (count - lines.size()) + " more" : "";
		return file.path() + ": " + String.join(", ", lines) + more + " differ" + ((count == 1) ? "s" : "");
	}

	// Only a directive's or section's name: values may hold secrets
	private static String describeLine(int number, String line) {
		String trimmed = line.strip();
		int equals = trimmed.indexOf('=');
		if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
			return "line " + number + " (" + trimmed + ")";
		}
		if (equals > 0 && trimmed.substring(0, equals).matches("[A-Za-z0-9_.\\-]+")) {
			return "line " + number + " (" + trimmed.substring(0, equals) + ")";
		}
		return "line " + number;
	}

	private record Compared(RegistrationDescriptor descriptor, long nanos) {
	}

}
