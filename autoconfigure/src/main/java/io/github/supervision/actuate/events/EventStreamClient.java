package io.github.supervision.actuate.events;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * One client of the event stream: a bounded queue of frames and at most one writer at a
 * time, on a thread of the broadcaster's pool, so that a client that does not read blocks
 * only its own writer. When its queue is full, the queue is dropped and replaced by one
 * {@code resync} event.
 *
 * @author Supervision contributors
 */
final class EventStreamClient {

	private static final byte[] HEARTBEAT = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);

	private final @Nullable Set<String> services;

	private final OutputStream output;

	private final int capacity;

	private final Executor writers;

	private final Consumer<EventStreamClient> onClose;

	private final ArrayDeque<byte[]> queue;

	private boolean started;

	private boolean writing;

	private boolean closed;

	private int resyncs;

	EventStreamClient(@Nullable Set<String> services, OutputStream output, int capacity, Executor writers,
			Consumer<EventStreamClient> onClose) {
		this.services = services;
		this.output = output;
		this.capacity = capacity;
		this.writers = writers;
		this.onClose = onClose;
		this.queue = new ArrayDeque<>(Math.min(capacity, 64) + 1);
	}

	boolean accepts(String service) {
		return this.services == null || this.services.contains(service);
	}

	/**
	 * Queue an event, or, when the queue is full, drop the queue for a {@code resync}
	 * event that stands for the events dropped and this one.
	 * @param frame the event's frame
	 * @param id the event's id
	 */
	synchronized void offer(byte[] frame, long id) {
		if (this.closed) {
			return;
		}
		if (this.queue.size() >= this.capacity) {
			this.queue.clear();
			this.queue.add(resync(id, "The client read too slowly; " + this.capacity + " events were waiting"));
			this.resyncs++;
		}
		else {
			this.queue.add(frame);
		}
		schedule();
	}

	synchronized void offerResync(long id, String reason) {
		this.queue.add(resync(id, reason));
		schedule();
	}

	synchronized void heartbeat() {
		// a client with frames waiting hears from us anyway
		if (!this.closed && this.started && this.queue.isEmpty() && !this.writing) {
			this.queue.add(HEARTBEAT);
			schedule();
		}
	}

	/**
	 * Let the writer run: until then frames only queue, so that nothing is written while
	 * the request's own thread still sets the response up.
	 */
	synchronized void start() {
		this.started = true;
		schedule();
	}

	synchronized int resyncs() {
		return this.resyncs;
	}

	private void schedule() {
		if (!this.started || this.writing || this.queue.isEmpty()) {
			return;
		}
		this.writing = true;
		try {
			this.writers.execute(this::drain);
		}
		catch (RejectedExecutionException ex) {
			this.writing = false;
		}
	}

	private void drain() {
		try {
			while (true) {
				byte[] frame;
				boolean last;
				synchronized (this) {
					frame = this.queue.poll();
					if (frame == null || this.closed) {
						this.writing = false;
						return;
					}
					last = this.queue.isEmpty();
				}
				this.output.write(frame);
				if (last) {
					this.output.flush();
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// the client went away (or the container completed the request)
			synchronized (this) {
				this.writing = false;
			}
			close();
		}
	}

	void close() {
		synchronized (this) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			this.queue.clear();
		}
		this.onClose.accept(this);
	}

	static byte[] resync(long id, String reason) {
		return ("id: " + id + "\nevent: resync\ndata: {\"reason\":\"" + reason + "\"}\n\n")
			.getBytes(StandardCharsets.UTF_8);
	}

}
