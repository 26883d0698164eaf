package io.github.supervision.runit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

/**
 * Writes command letters to a {@code supervise/control} FIFO without ever hanging.
 * <p>
 * {@code sv} opens the FIFO write-only and non-blocking; Java cannot. A write-only open
 * blocks until a reader appears, forever when the supervisor is gone. This class opens
 * the FIFO read-write instead, which on Linux never blocks (the open itself provides a
 * reader), and checks beforehand that the file is a FIFO. A byte written while no
 * supervisor reads is dropped when the channel closes, so callers check that the
 * supervisor runs before writing and read the status back after. The write itself could
 * only block on a full pipe (a supervisor that stopped reading); it runs on a worker
 * thread and is interrupted at the deadline, which closes the channel.
 * <p>
 * A FIFO this process may write but not read ({@code s6-svperms -G} gives its group mode
 * {@code 0620}) cannot be opened read-write. It is then opened write-only on a worker
 * thread, which returns at once while the supervisor (its reader) runs, as the callers
 * checked. Should the supervisor die between that check and the open, the open waits past
 * the deadline, the write is given up as timed out, and the worker thread stays blocked
 * until a supervisor opens the FIFO again; the channel it then gets is closed unused.
 *
 * @author Supervision contributors
 */
final class ControlFifo {

	private static final int S_IFMT = 0170000;

	private static final int S_IFIFO = 0010000;

	private static final Object GIVEN_UP = new Object();

	private ControlFifo() {
	}

	/**
	 * Whether a file is a FIFO, not following a symbolic link.
	 * @param path the file
	 * @return {@code true} for a FIFO
	 * @throws NoSuchFileException if it does not exist
	 * @throws AccessDeniedException if it cannot be examined
	 * @throws IOException on other errors
	 */
	static boolean isFifo(Path path) throws IOException {
		Object mode = Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
		return (((Integer) mode) & S_IFMT) == S_IFIFO;
	}

	/**
	 * Write a command to a control FIFO.
	 * @param control the FIFO, already checked to be one
	 * @param command the command letters
	 * @param timeoutNanos the most the write may take
	 * @param executor where the write runs
	 * @throws IOException if the FIFO cannot be opened or written
	 * @throws TimeoutException if the write did not complete in time (it was then
	 * abandoned)
	 */
	static void write(Path control, byte[] command, long timeoutNanos, ExecutorService executor)
			throws IOException, TimeoutException {
		long start = System.nanoTime();
		try (FileChannel channel = open(control, timeoutNanos, executor)) {
			timeoutNanos -= System.nanoTime() - start;
			Future<Integer> written = executor.submit(() -> channel.write(ByteBuffer.wrap(command)));
			try {
				written.get(Math.max(timeoutNanos, 0), TimeUnit.NANOSECONDS);
			}
			catch (TimeoutException ex) {
				written.cancel(true);
				throw ex;
			}
			catch (InterruptedException ex) {
				written.cancel(true);
				Thread.currentThread().interrupt();
				throw new IOException("Interrupted while writing to " + control);
			}
			catch (ExecutionException ex) {
				if (ex.getCause() instanceof IOException ioException) {
					throw ioException;
				}
				throw new IOException("Writing to " + control + " failed", ex.getCause());
			}
		}
	}

	private static FileChannel open(Path control, long timeoutNanos, ExecutorService executor)
			throws IOException, TimeoutException {
		try {
			return FileChannel.open(control, StandardOpenOption.READ, StandardOpenOption.WRITE,
					LinkOption.NOFOLLOW_LINKS);
		}
		catch (AccessDeniedException ex) {
			if (!Files.isWritable(control)) {
				throw ex;
			}
			return openWriteOnly(control, timeoutNanos, executor);
		}
	}

	private static FileChannel openWriteOnly(Path control, long timeoutNanos, ExecutorService executor)
			throws IOException, TimeoutException {
		// whichever comes second, the open or the giving up, closes the channel
		AtomicReference<@Nullable Object> handOver = new AtomicReference<>();
		Future<FileChannel> opened = executor.submit(() -> {
			FileChannel channel = FileChannel.open(control, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
			if (!handOver.compareAndSet(null, channel)) {
				channel.close();
			}
			return channel;
		});
		try {
			return opened.get(Math.max(timeoutNanos, 0), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			giveUp(handOver);
			throw ex;
		}
		catch (InterruptedException ex) {
			giveUp(handOver);
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted while opening " + control);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof IOException ioException) {
				throw ioException;
			}
			throw new IOException("Opening " + control + " failed", ex.getCause());
		}
	}

	private static void giveUp(AtomicReference<@Nullable Object> handOver) {
		if (handOver.getAndSet(GIVEN_UP) instanceof FileChannel channel) {
			try {
				channel.close();
			}
			catch (IOException ex) {
				// nothing was written through it
			}
		}
	}

}
