package io.github.supervision.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * Reads the output of every running embedded process on one worker thread, into each
 * service's {@link OutputTail} and log file.
 * <p>
 * A thread per process would double the threads of a JVM that supervises thousands of
 * processes (the JDK already waits for each child on a thread of its own), and starting
 * each of them costs more the more threads there are. Instead one loop asks each pipe how
 * much it holds ({@link InputStream#available()}), reads only that, so that it never
 * blocks, and pauses between rounds: 1 ms after a round that read something, growing to
 * 50 ms (more with thousands of processes) while all are quiet.
 * <p>
 * Once a process has exited, the JDK keeps what was left in its pipe and closes the pipe;
 * that rest is read, and the process's output then ends. A descendant that outlives the
 * main process cannot add to it.
 *
 * @author Supervision contributors
 */
final class OutputReader {

	private static final System.Logger logger = System.getLogger(OutputReader.class.getName());

	private static final long MIN_IDLE_PAUSE_MILLIS = 50;

	private static final long MAX_PAUSE_MILLIS = 250;

	private static final long EXIT_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

	private static final int READ_PER_ROUND = 64 * 1024;

	private final SupervisorThreads threads;

	private final List<Capture> incoming = new ArrayList<>();

	private boolean looping;

	OutputReader(SupervisorThreads threads) {
		this.threads = threads;
	}

	/**
	 * Read a process's output until it ends.
	 * @param spec the service
	 * @param tail where the output's tail is kept
	 * @param process the process
	 */
	void read(EmbeddedServiceSpec spec, OutputTail tail, Process process) {
		boolean startLoop;
		synchronized (this.incoming) {
			this.incoming.add(new Capture(spec, tail, process));
			startLoop = !this.looping;
			this.looping = true;
		}
		if (startLoop) {
			this.threads.execute(this::loop);
		}
	}

	private void loop() {
		List<Capture> active = new ArrayList<>();
		byte[] buffer = new byte[8192];
		long pause = 1;
		while (true) {
			synchronized (this.incoming) {
				active.addAll(this.incoming);
				this.incoming.clear();
				if (active.isEmpty()) {
					this.looping = false;
					return;
				}
			}
			boolean read = false;
			for (Iterator<Capture> iterator = active.iterator(); iterator.hasNext();) {
				Capture capture = iterator.next();
				int outcome = capture.poll(buffer);
				if (outcome < 0) {
					capture.close();
					iterator.remove();
				}
				read |= outcome > 0;
			}
			// an idle round costs one call per process: pause longer with thousands
			long idlePause = Math.min(MAX_PAUSE_MILLIS, Math.max(MIN_IDLE_PAUSE_MILLIS, active.size() / 50));
			pause = read ? 1 : Math.min(pause * 2, idlePause);
			try {
				Thread.sleep(pause);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				active.forEach(Capture::close);
				synchronized (this.incoming) {
					this.looping = false;
				}
				return;
			}
		}
	}

	/**
	 * The output of one process.
	 */
	private static final class Capture {

		private final EmbeddedServiceSpec spec;

		private final OutputTail tail;

		private final Process process;

		private final InputStream input;

		private @Nullable OutputStream log;

		private boolean opened;

		private long exitSeenAt;

		Capture(EmbeddedServiceSpec spec, OutputTail tail, Process process) {
			this.spec = spec;
			this.tail = tail;
			this.process = process;
			this.input = process.getInputStream();
		}

		/**
		 * Read what the pipe holds, without blocking.
		 * @param buffer the buffer to read with
		 * @return how many bytes were read, or {@code -1} when the output has ended
		 */
		int poll(byte[] buffer) {
			openLog();
			try {
				int total = 0;
				int available;
				while (total < READ_PER_ROUND && (available = this.input.available()) > 0) {
					int read = this.input.read(buffer, 0, Math.min(available, buffer.length));
					if (read < 0) {
						return -1;
					}
					write(buffer, read);
					total += read;
				}
				if (total > 0 || this.process.isAlive()) {
					return total;
				}
				// the JDK drains and closes the pipe just after the exit: wait for it
				long now = System.nanoTime();
				if (this.exitSeenAt == 0) {
					this.exitSeenAt = now;
				}
				return (now - this.exitSeenAt > EXIT_GRACE_NANOS) ? -1 : 0;
			}
			catch (IOException ex) {
				return -1;
			}
		}

		private void openLog() {
			if (this.opened) {
				return;
			}
			this.opened = true;
			Path logFile = this.spec.logFile();
			if (logFile != null) {
				try {
					this.log = Files.newOutputStream(logFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
							StandardOpenOption.WRITE);
				}
				catch (IOException ex) {
					logger.log(System.Logger.Level.WARNING,
							"Cannot append the output of embedded service ''{0}'' to its log file: {1}",
							this.spec.name(), ex.getClass().getSimpleName());
				}
			}
		}

		private void write(byte[] buffer, int length) {
			this.tail.write(buffer, 0, length);
			OutputStream log = this.log;
			if (log != null) {
				try {
					log.write(buffer, 0, length);
				}
				catch (IOException ex) {
					logger.log(System.Logger.Level.WARNING,
							"Stopped appending the output of embedded service ''{0}'' to its log file: {1}",
							this.spec.name(), ex.getClass().getSimpleName());
					closeQuietly(log);
					this.log = null;
				}
			}
		}

		void close() {
			try {
				this.input.close();
			}
			catch (IOException ex) {
				// nothing more to read
			}
			OutputStream log = this.log;
			if (log != null) {
				closeQuietly(log);
				this.log = null;
			}
		}

		private static void closeQuietly(OutputStream stream) {
			try {
				stream.close();
			}
			catch (IOException ex) {
				// nothing more to write
			}
		}

	}

}
