package io.github.supervision.embedded;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * Starts the child process of an embedded service and ends its process tree: builds the
 * command, environment and working directory, has the output read into the service's
 * {@link OutputTail} (and log file) by the {@link OutputReader}, and stops trees through
 * the {@link TreeStopper}.
 * <p>
 * It keeps no state of any service. Everything that blocks (reading output, waiting for a
 * tree to end, running {@code kill}) runs on the supervisor's worker threads.
 *
 * @author Supervision contributors
 */
final class ProcessLauncher {

	/**
	 * How long to wait for a process tree to end after SIGKILL.
	 */
	static final Duration KILL_GRACE = Duration.ofSeconds(2);

	private static final System.Logger logger = System.getLogger(ProcessLauncher.class.getName());

	private final ProcessTree tree;

	private final SupervisorThreads threads;

	private final TreeStopper stopper;

	private final OutputReader output;

	private final Set<CompletableFuture<Void>> cleanups = ConcurrentHashMap.newKeySet();

	ProcessLauncher(ProcessTree tree, SupervisorThreads threads) {
		this.tree = tree;
		this.threads = threads;
		this.stopper = new TreeStopper(tree, threads);
		this.output = new OutputReader(threads);
	}

	/**
	 * Return the full path of a command's executable as the process would find it.
	 * @param spec the service
	 * @return the executable, or {@code null} when it does not exist or cannot be run
	 */
	static @Nullable Path findExecutable(EmbeddedServiceSpec spec) {
		String executable = spec.command().get(0);
		if (executable.isEmpty()) {
			return null;
		}
		if (executable.contains("/")) {
			Path path = Path.of(executable);
			if (!path.isAbsolute() && spec.workingDirectory() != null) {
				path = spec.workingDirectory().resolve(path);
			}
			return isExecutableFile(path) ? path : null;
		}
		String searchPath = spec.environment().getOrDefault("PATH", System.getenv("PATH"));
		if (searchPath == null) {
			return null;
		}
		for (String directory : searchPath.split(File.pathSeparator)) {
			if (!directory.isEmpty()) {
				Path candidate = Path.of(directory).resolve(executable);
				if (isExecutableFile(candidate)) {
					return candidate;
				}
			}
		}
		return null;
	}

	private static boolean isExecutableFile(Path path) {
		return Files.isRegularFile(path) && Files.isExecutable(path);
	}

	/**
	 * Start a service's process on one of the spawner threads (see
	 * {@link SupervisorThreads#spawn(Runnable)}), in a process group of its own, with
	 * stdin from {@code /dev/null} and stdout and stderr merged; the output goes to the
	 * tail and the log file, or is discarded when the service keeps neither.
	 * @param spec the service
	 * @param tail where the output's tail is kept
	 * @return the process, or the {@link IOException} or {@link RuntimeException} that
	 * kept it from starting
	 */
	CompletableFuture<Process> launch(EmbeddedServiceSpec spec, OutputTail tail) {
		CompletableFuture<Process> launched = new CompletableFuture<>();
		boolean accepted = this.threads.spawn(() -> {
			try {
				launched.complete(start(spec, tail));
			}
			catch (IOException | RuntimeException ex) {
				launched.completeExceptionally(ex);
			}
		});
		if (!accepted) {
			launched.completeExceptionally(new IOException("The embedded supervisor is shut down"));
		}
		return launched;
	}

	private Process start(EmbeddedServiceSpec spec, OutputTail tail) throws IOException {
		ProcessBuilder builder = new ProcessBuilder(this.tree.command(spec.command()));
		if (spec.workingDirectory() != null) {
			builder.directory(spec.workingDirectory().toFile());
		}
		builder.environment().putAll(spec.environment());
		builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
		builder.redirectErrorStream(true);
		boolean capture = spec.tailBytes() > 0 || spec.logFile() != null;
		if (!capture) {
			builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
		}
		Process process = builder.start();
		if (capture) {
			this.output.read(spec, tail, process);
		}
		return process;
	}

	/**
	 * Return why a process could not be started, for a person.
	 * @param failure what {@link #launch} completed with
	 * @return the reason
	 */
	static String reason(@Nullable Throwable failure) {
		Throwable ex = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		if (ex == null) {
			return "unknown";
		}
		String message = ex.getMessage();
		int error = (message != null) ? message.indexOf("error=") : -1;
		return (message != null && error >= 0) ? message.substring(error) : ex.getClass().getSimpleName();
	}

	/**
	 * Send SIGHUP to a process, on a worker thread.
	 * @param pid the process
	 * @return whether the signal was sent
	 */
	CompletableFuture<Boolean> hangUp(long pid) {
		return CompletableFuture.supplyAsync(() -> this.tree.signal(pid, "HUP"), this.threads.workers());
	}

	/**
	 * Send a signal to a process's group (the process alone where groups are not used),
	 * on a worker thread.
	 * @param pid the process, the leader of its group
	 * @param signal the signal's name, such as {@code USR1}
	 * @return whether the signal was sent
	 */
	CompletableFuture<Boolean> signalGroup(long pid, String signal) {
		return CompletableFuture.supplyAsync(() -> this.tree.signalGroup(pid, signal), this.threads.workers());
	}

	/**
	 * Send SIGKILL to a process's tree, on a worker thread, without waiting.
	 * @param process the process
	 */
	void kill(Process process) {
		this.threads.execute(() -> killNow(process));
	}

	/**
	 * Send SIGKILL to a process's tree on the calling thread: for a process whose start
	 * completed after the supervisor shut down.
	 * @param process the process
	 */
	void killNow(Process process) {
		this.tree.kill(process.toHandle(), process.pid());
	}

	/**
	 * Stop a process's tree on a worker thread: SIGTERM, then SIGKILL after the timeout
	 * (see {@link TreeStopper}).
	 * @param process the process
	 * @param timeout how long to wait after SIGTERM
	 * @return how the tree ended; never completes once shut down
	 */
	CompletableFuture<ProcessTree.Termination> terminate(Process process, Duration timeout) {
		return this.stopper.stop(process.toHandle(), process.pid(), timeout, KILL_GRACE, false);
	}

	/**
	 * Stop, on a worker thread, what a process that exited left behind in its process
	 * group.
	 * @param name the service's name, for the log
	 * @param pgid the process group, the pid of the process that exited
	 * @param timeout how long to wait after SIGTERM
	 */
	void cleanUpGroup(String name, long pgid, Duration timeout) {
		if (!this.tree.usesProcessGroups()) {
			return;
		}
		CompletableFuture<Void> cleanup = this.stopper.stop(null, pgid, timeout, KILL_GRACE, true)
			.thenAccept((termination) -> {
				if (termination != ProcessTree.Termination.NOTHING_LEFT) {
					logger.log(System.Logger.Level.INFO,
							"Stopped processes left behind by embedded service ''{0}'' (process group {1}): {2}", name,
							pgid, termination.name().toLowerCase(Locale.ROOT));
				}
			});
		this.cleanups.add(cleanup);
		cleanup.whenComplete((done, ex) -> this.cleanups.remove(cleanup));
	}

	/**
	 * Return a future that completes when the clean-ups under way now have ended.
	 * @return the future
	 */
	CompletableFuture<Void> cleanedUp() {
		return CompletableFuture.allOf(this.cleanups.toArray(CompletableFuture[]::new));
	}

}
