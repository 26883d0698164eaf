package io.github.supervision.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.supervision.ServiceSignal;
import org.jspecify.annotations.Nullable;

/**
 * Gives the embedded services back the default handling of the signals the backend sends
 * them that the application itself ignores. An application started under {@code nohup}
 * ignores SIGHUP, and one started in the background by a shell without job control
 * ignores SIGINT and SIGQUIT; an ignored signal stays ignored across {@code exec}, and a
 * shell cannot trap a signal that was ignored when it started, so {@code reload} and
 * {@code signal} would do nothing to the services.
 * <p>
 * The application's ignored signals are read once, from {@code SigIgn} in
 * {@code /proc/self/status} (a hexadecimal mask, bit n-1 for signal n). When any of
 * {@link ServiceSignal}'s is ignored, each command starts through
 * {@code env --default-signal=SIG,... --} (GNU coreutils 8.31 and later), checked once by
 * running it; where that does not work, a warning says so and commands start as before.
 *
 * @author Supervision contributors
 */
final class SignalDefaults {

	private static final System.Logger logger = System.getLogger(SignalDefaults.class.getName());

	private static final Path ENV = Path.of("/usr/bin/env");

	private static final Path STATUS = Path.of("/proc/self/status");

	private static final String SIG_IGN = "SigIgn:";

	private final Set<ServiceSignal> ignored;

	private volatile @Nullable List<String> prefix;

	/**
	 * Create the defaults for signals that are ignored.
	 * @param ignored the signals the application ignores
	 */
	SignalDefaults(Collection<ServiceSignal> ignored) {
		// in ServiceSignal's order, which Set.copyOf would not keep
		this.ignored = ignored.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(ignored));
	}

	/**
	 * Return the defaults for the signals this JVM ignores; none where
	 * {@code /proc/self/status} cannot be read.
	 * @return the defaults
	 */
	static SignalDefaults forThisProcess() {
		try {
			return new SignalDefaults(ignored(Files.readString(STATUS)));
		}
		catch (IOException ex) {
			return new SignalDefaults(Set.of());
		}
	}

	/**
	 * Return which of the backend's signals a process ignores.
	 * @param procStatus the text of the process's {@code /proc/<pid>/status}
	 * @return the ignored signals; none when the text has no valid {@code SigIgn} line
	 */
	static Set<ServiceSignal> ignored(String procStatus) {
		long mask = procStatus.lines()
			.filter((line) -> line.startsWith(SIG_IGN))
			.mapToLong((line) -> parseMask(line.substring(SIG_IGN.length()).strip()))
			.findFirst()
			.orElse(0);
		Set<ServiceSignal> ignored = EnumSet.noneOf(ServiceSignal.class);
		for (ServiceSignal signal : ServiceSignal.values()) {
			if ((mask & (1L << (signal.number() - 1))) != 0) {
				ignored.add(signal);
			}
		}
		return ignored;
	}

	private static long parseMask(String hex) {
		try {
			return Long.parseUnsignedLong(hex, 16);
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	/**
	 * Return the signals whose default handling the services get back.
	 * @return the signals the application ignores, in {@link ServiceSignal}'s order
	 */
	Set<ServiceSignal> ignored() {
		return this.ignored;
	}

	/**
	 * Return the argv that starts a command with the default handling of the ignored
	 * signals, or the command itself when none is ignored or {@code env} cannot do it.
	 * @param command the command
	 * @return the command to run
	 */
	List<String> command(List<String> command) {
		List<String> prefix = prefix();
		if (prefix.isEmpty()) {
			return command;
		}
		List<String> argv = new ArrayList<>(prefix.size() + command.size());
		argv.addAll(prefix);
		argv.addAll(command);
		return argv;
	}

	/**
	 * Return what goes before each command: {@code env --default-signal=... --}, or
	 * nothing. Decided on first use, by running {@code env} once.
	 * @return the prefix
	 */
	List<String> prefix() {
		List<String> prefix = this.prefix;
		if (prefix == null) {
			prefix = decide();
			this.prefix = prefix;
		}
		return prefix;
	}

	private List<String> decide() {
		if (this.ignored.isEmpty()) {
			return List.of();
		}
		String names = this.ignored.stream().map(ServiceSignal::name).collect(Collectors.joining(","));
		List<String> prefix = List.of(ENV.toString(), "--default-signal=" + names, "--");
		List<String> check = new ArrayList<>(prefix);
		check.add("/bin/true");
		if (Files.isExecutable(ENV) && ProcessTree.run(check.toArray(String[]::new))) {
			logger.log(System.Logger.Level.INFO,
					"This application ignores SIG{0} (started under nohup or in the background?): embedded services "
							+ "start through ''env --default-signal={0}'' to get the default handling back",
					names.replace(",", ", SIG"));
			return prefix;
		}
		logger.log(System.Logger.Level.WARNING,
				"This application ignores SIG{0} (started under nohup or in the background?) and its embedded "
						+ "services inherit that, so reload and signals that are ignored do nothing to them; "
						+ "''{1} --default-signal'' (GNU coreutils 8.31 or later) is not available to undo it. "
						+ "Start the application without ignoring these signals",
				names.replace(",", ", SIG"), ENV);
		return List.of();
	}

}
