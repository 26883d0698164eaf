package io.github.supervision.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * Signals and watches the process tree of one embedded service on Linux. Each service's
 * process is started through {@code setsid}, which (as the JVM's child is never a
 * process-group leader) does not fork: the process keeps its pid and leads a new session
 * and process group whose id is that pid. Every descendant that does not create a session
 * of its own stays in that group, also after it is re-parented to init by a double fork,
 * so that signalling the group reaches it. A snapshot of
 * {@link ProcessHandle#descendants()} covers those that do call {@code setsid} while
 * their parent still lives.
 * <p>
 * Without {@code /usr/bin/setsid}, {@code /bin/kill} and {@code /proc} (not Linux), only
 * the main process and its descendants snapshot are signalled.
 *
 * @author Supervision contributors
 */
final class ProcessTree {

	private static final Path SETSID = Path.of("/usr/bin/setsid");

	private static final Path KILL = Path.of("/bin/kill");

	private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

	private static final Path PROC = Path.of("/proc");

	private static final Duration KILL_COMMAND_TIMEOUT = Duration.ofSeconds(2);

	private static final int GROUPS_PER_KILL = 500;

	private final boolean groups;

	private final SignalDefaults signalDefaults;

	private volatile @Nullable Boolean parentDeathSignal;

	ProcessTree() {
		this(SignalDefaults.forThisProcess());
	}

	ProcessTree(SignalDefaults signalDefaults) {
		this(Files.isExecutable(SETSID) && Files.isExecutable(KILL) && Files.isDirectory(PROC.resolve("self")),
				signalDefaults);
	}

	ProcessTree(boolean groups) {
		this(groups, SignalDefaults.forThisProcess());
	}

	ProcessTree(boolean groups, SignalDefaults signalDefaults) {
		this.groups = groups;
		this.signalDefaults = signalDefaults;
	}

	/**
	 * Whether each service runs in a process group of its own that is signalled as a
	 * whole.
	 * @return {@code true} on Linux with setsid and kill
	 */
	boolean usesProcessGroups() {
		return this.groups;
	}

	/**
	 * Return the argv that starts a command in a session of its own, with the default
	 * handling of the signals the application ignores ({@link SignalDefaults}).
	 * @param command the service's command
	 * @return the command to run
	 */
	List<String> command(List<String> command) {
		List<String> withDefaults = this.signalDefaults.command(command);
		if (!this.groups) {
			return withDefaults;
		}
		List<String> argv = new ArrayList<>(withDefaults.size() + 4);
		argv.add(SETSID.toString());
		if (hasParentDeathSignal()) {
			argv.addAll(List.of(SETPRIV.toString(), "--pdeathsig", "TERM"));
		}
		argv.addAll(withDefaults);
		return argv;
	}

	/**
	 * Whether {@code setpriv --pdeathsig} (util-linux 2.33 and later) can ask the kernel
	 * to send SIGTERM to the main process when the thread that started it ends, which
	 * happens when the JVM dies without closing the backend. Checked once, by running it.
	 * @return whether setpriv is used
	 */
	boolean hasParentDeathSignal() {
		Boolean available = this.parentDeathSignal;
		if (available == null) {
			available = Files.isExecutable(SETPRIV) && Files.isExecutable(Path.of("/bin/true"))
					&& run(SETPRIV.toString(), "--pdeathsig", "TERM", "/bin/true");
			this.parentDeathSignal = available;
		}
		return available;
	}

	/**
	 * Send a signal to one process.
	 * @param pid the process id
	 * @param signal the signal's name, such as {@code HUP}
	 * @return whether the signal was delivered
	 */
	boolean signal(long pid, String signal) {
		return runKill(signal, Long.toString(pid));
	}

	/**
	 * Send a signal to the process group a service's main process leads, or to the main
	 * process alone where services do not run in groups of their own.
	 * @param pid the main process, the leader of its group
	 * @param signal the signal's name, such as {@code USR1}
	 * @return whether the signal was delivered
	 */
	boolean signalGroup(long pid, String signal) {
		return runKill(signal, this.groups ? "-" + pid : Long.toString(pid));
	}

	/**
	 * Send SIGKILL to a process tree without waiting.
	 * @param main the main process
	 * @param pgid the process group id
	 */
	void kill(ProcessHandle main, long pgid) {
		signalAll(main, pgid, snapshot(main), true);
	}

	/**
	 * Return the live (not zombie) members of a process group.
	 * @param pgid the process group id
	 * @return their pids
	 */
	List<Long> groupMembers(long pgid) {
		return groupMembers(pgid, scan());
	}

	/**
	 * Return the live (not zombie) members of a process group in a scan.
	 * @param pgid the process group id
	 * @param scan what {@link #scan()} returned
	 * @return their pids
	 */
	List<Long> groupMembers(long pgid, Map<Long, Stat> scan) {
		List<Long> members = new ArrayList<>();
		for (Stat stat : scan.values()) {
			if (stat.pgrp() == pgid && stat.isLive()) {
				members.add(stat.pid());
			}
		}
		return members;
	}

	/**
	 * Read the stat file of every process on the machine, once, for many trees at a time.
	 * @return the processes by pid; empty without process groups
	 */
	Map<Long, Stat> scan() {
		Map<Long, Stat> processes = new HashMap<>();
		if (!this.groups) {
			return processes;
		}
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC)) {
			for (Path entry : entries) {
				String name = entry.getFileName().toString();
				if (isNumber(name)) {
					Stat stat = Stat.read(Long.parseLong(name));
					if (stat != null) {
						processes.put(stat.pid(), stat);
					}
				}
			}
		}
		catch (IOException | UncheckedIOException ex) {
			// /proc vanished: nothing can be said about the groups
		}
		return processes;
	}

	/**
	 * Return the descendants of a process with their start times, read from a scan (or
	 * from {@link ProcessHandle#descendants()} without process groups).
	 * @param main the process
	 * @param scan what {@link #scan()} returned
	 * @return the start ticks of each descendant by pid; {@code -1} when unknown
	 */
	Map<Long, Long> descendants(ProcessHandle main, Map<Long, Stat> scan) {
		if (!this.groups) {
			return snapshot(main);
		}
		Map<Long, List<Stat>> children = new HashMap<>();
		for (Stat stat : scan.values()) {
			children.computeIfAbsent(stat.ppid(), (ppid) -> new ArrayList<>()).add(stat);
		}
		Map<Long, Long> descendants = new LinkedHashMap<>();
		Deque<Long> parents = new ArrayDeque<>(List.of(main.pid()));
		while (!parents.isEmpty()) {
			for (Stat child : children.getOrDefault(parents.poll(), List.of())) {
				if (descendants.put(child.pid(), child.startTicks()) == null) {
					parents.add(child.pid());
				}
			}
		}
		return descendants;
	}

	/**
	 * Return the descendants of a process with their start times, from
	 * {@link ProcessHandle#descendants()}.
	 * @param main the process
	 * @return the start ticks of each descendant by pid; {@code -1} when unknown
	 */
	Map<Long, Long> descendants(ProcessHandle main) {
		return snapshot(main);
	}

	/**
	 * Whether a process of a snapshot still lives (and is the same process).
	 * @param pid the process id
	 * @param startTicks its start ticks, {@code -1} when unknown
	 * @param scan what {@link #scan()} returned
	 * @return whether it lives
	 */
	boolean isLive(long pid, long startTicks, Map<Long, Stat> scan) {
		if (!this.groups) {
			return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
		}
		Stat stat = scan.get(pid);
		return stat != null && stat.isLive() && (startTicks < 0 || stat.startTicks() == startTicks);
	}

	/**
	 * Send SIGTERM or SIGKILL to process groups, with as few {@code kill} commands as
	 * possible; does nothing without process groups.
	 * @param pgids the process groups
	 * @param kill whether to send SIGKILL
	 */
	void signalGroups(Collection<Long> pgids, boolean kill) {
		if (!this.groups || pgids.isEmpty()) {
			return;
		}
		List<Long> all = List.copyOf(pgids);
		for (int from = 0; from < all.size(); from += GROUPS_PER_KILL) {
			List<String> command = new ArrayList<>(List.of(KILL.toString(), "-s", kill ? "KILL" : "TERM", "--"));
			all.subList(from, Math.min(all.size(), from + GROUPS_PER_KILL)).forEach((pgid) -> command.add("-" + pgid));
			run(command.toArray(String[]::new));
		}
	}

	/**
	 * Send SIGTERM or SIGKILL to one process.
	 * @param handle the process
	 * @param kill whether to send SIGKILL
	 */
	static void destroy(ProcessHandle handle, boolean kill) {
		if (kill) {
			handle.destroyForcibly();
		}
		else {
			handle.destroy();
		}
	}

	private Map<Long, Long> snapshot(@Nullable ProcessHandle main) {
		Map<Long, Long> snapshot = new LinkedHashMap<>();
		if (main == null) {
			return snapshot;
		}
		main.descendants().forEach((handle) -> {
			Stat stat = Stat.read(handle.pid());
			snapshot.put(handle.pid(), (stat != null) ? stat.startTicks() : -1L);
		});
		return snapshot;
	}

	private void signalAll(@Nullable ProcessHandle main, long pgid, Map<Long, Long> snapshot, boolean kill) {
		if (this.groups) {
			runKill(kill ? "KILL" : "TERM", "-" + pgid);
		}
		if (main != null) {
			destroy(main, kill);
		}
		snapshot.keySet().forEach((pid) -> ProcessHandle.of(pid).ifPresent((handle) -> destroy(handle, kill)));
	}

	private boolean runKill(String signal, String target) {
		if (!Files.isExecutable(KILL)) {
			ProcessHandle handle = target.startsWith("-") ? null
					: ProcessHandle.of(Long.parseLong(target)).orElse(null);
			if (handle == null) {
				return false;
			}
			return switch (signal) {
				case "KILL" -> handle.destroyForcibly();
				case "TERM" -> handle.destroy();
				default -> false;
			};
		}
		return run(KILL.toString(), "-s", signal, "--", target);
	}

	/**
	 * Run a short command to its end, its output discarded.
	 * @param command the command
	 * @return whether it exited with 0 within two seconds
	 */
	static boolean run(String... command) {
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD);
		try {
			Process process = builder.start();
			if (!process.waitFor(KILL_COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				return false;
			}
			return process.exitValue() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private static boolean isNumber(String name) {
		if (name.isEmpty()) {
			return false;
		}
		for (int i = 0; i < name.length(); i++) {
			if (!Character.isDigit(name.charAt(i))) {
				return false;
			}
		}
		return true;
	}

	/**
	 * How a process tree ended.
	 */
	enum Termination {

		/**
		 * Every process exited after SIGTERM.
		 */
		EXITED,

		/**
		 * Some process outlived the timeout and was killed with SIGKILL.
		 */
		KILLED,

		/**
		 * Some process still lived after SIGKILL (uninterruptible sleep, or it escaped).
		 */
		SURVIVED,

		/**
		 * Nothing was left to stop: a clean-up found no live member of the group.
		 */
		NOTHING_LEFT

	}

	/**
	 * The fields of {@code /proc/<pid>/stat} that matter here.
	 *
	 * @param pid the process id
	 * @param state the state letter ({@code R}, {@code S}, {@code Z}...)
	 * @param ppid the parent's pid
	 * @param pgrp the process group id
	 * @param session the session id
	 * @param startTicks when the process started, in clock ticks after boot (tells a
	 * reused pid apart)
	 */
	record Stat(long pid, char state, long ppid, long pgrp, long session, long startTicks) {

		/**
		 * Whether the process still runs (is not a zombie waiting to be reaped).
		 * @return {@code true} unless the state is {@code Z} or {@code X}
		 */
		boolean isLive() {
			return this.state != 'Z' && this.state != 'X' && this.state != 'x';
		}

		/**
		 * Read a process's stat file.
		 * @param pid the process id
		 * @return its fields, or {@code null} when the process does not exist
		 */
		static @Nullable Stat read(long pid) {
			String text;
			try {
				text = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.ISO_8859_1);
			}
			catch (IOException | UncheckedIOException ex) {
				return null;
			}
			return parse(pid, text);
		}

		/**
		 * Parse the text of a stat file; the command name may hold spaces and
		 * parentheses, so fields are counted from the last {@code ')'}.
		 * @param pid the process id
		 * @param text the file's content
		 * @return its fields, or {@code null} when the text is not a stat line
		 */
		static @Nullable Stat parse(long pid, String text) {
			int end = text.lastIndexOf(')');
			if (end < 0 || end + 2 >= text.length()) {
				return null;
			}
			String[] fields = text.substring(end + 2).trim().split(" ");
			if (fields.length < 20) {
				return null;
			}
			try {
				return new Stat(pid, fields[0].charAt(0), Long.parseLong(fields[1]), Long.parseLong(fields[2]),
						Long.parseLong(fields[3]), Long.parseLong(fields[19]));
			}
			catch (NumberFormatException ex) {
				return null;
			}
		}

	}

}
