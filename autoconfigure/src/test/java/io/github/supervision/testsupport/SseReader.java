package io.github.supervision.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * A client of a Server-Sent Events stream over the JDK's {@link HttpClient}, reading the
 * body line by line as it streams ({@link HttpResponse.BodyHandlers#ofLines()}) on a
 * thread of its own, for tests and benchmarks of {@code /actuator/serviceevents}.
 *
 * @author Supervision contributors
 */
public final class SseReader implements AutoCloseable {

	private static final Duration HEADERS_DEADLINE = Duration.ofSeconds(20);

	private final HttpResponse<Stream<String>> response;

	private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

	private final List<String> body = new ArrayList<>();

	private final AtomicInteger comments = new AtomicInteger();

	private final Thread reader;

	private SseReader(HttpResponse<Stream<String>> response) {
		this.response = response;
		this.reader = new Thread(this::read, "sse-reader");
		this.reader.setDaemon(true);
		this.reader.start();
	}

	/**
	 * Open a stream and wait for its response's headers.
	 * @param client the client
	 * @param uri the stream's address
	 * @param headers header names and values, in pairs (such as {@code Last-Event-ID})
	 * @return the reader
	 * @throws Exception if the headers do not come in time
	 */
	public static SseReader open(HttpClient client, URI uri, String... headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET();
		for (int i = 0; i + 1 < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		HttpResponse<Stream<String>> response = client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines())
			.get(HEADERS_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
		return new SseReader(response);
	}

	private void read() {
		String id = null;
		String type = "message";
		StringBuilder data = null;
		try (Stream<String> lines = this.response.body()) {
			for (String line : (Iterable<String>) lines::iterator) {
				synchronized (this.body) {
					this.body.add(line);
				}
				if (line.isEmpty()) {
					if (data != null) {
						this.events.add(new Event(id, type, data.toString(), System.nanoTime()));
					}
					id = null;
					type = "message";
					data = null;
				}
				else if (line.startsWith(":")) {
					this.comments.incrementAndGet();
				}
				else if (line.startsWith("id:")) {
					id = line.substring(3).trim();
				}
				else if (line.startsWith("event:")) {
					type = line.substring(6).trim();
				}
				else if (line.startsWith("data:")) {
					data = (data != null) ? data.append('\n') : new StringBuilder();
					data.append(line.substring(5).trim());
				}
			}
		}
		catch (RuntimeException ex) {
			// closed
		}
	}

	/**
	 * Return the response's status code.
	 * @return the status
	 */
	public int status() {
		return this.response.statusCode();
	}

	/**
	 * Return a response header.
	 * @param name the header's name
	 * @return its first value, or {@code null}
	 */
	public @Nullable String header(String name) {
		return this.response.headers().firstValue(name).orElse(null);
	}

	/**
	 * Return the body's lines read so far (for an error response, its whole body once
	 * read).
	 * @return the lines
	 */
	public List<String> lines() {
		synchronized (this.body) {
			return List.copyOf(this.body);
		}
	}

	/**
	 * Return how many comment lines (heartbeats) were read.
	 * @return the count
	 */
	public int comments() {
		return this.comments.get();
	}

	/**
	 * Wait for the next event that matches, dropping those that do not.
	 * @param condition what the event must be
	 * @param deadline how long to wait
	 * @return the event
	 * @throws InterruptedException if interrupted
	 * @throws AssertionError if none comes in time
	 */
	public Event next(Predicate<Event> condition, Duration deadline) throws InterruptedException {
		long end = System.nanoTime() + deadline.toNanos();
		while (true) {
			long left = end - System.nanoTime();
			Event event = (left > 0) ? this.events.poll(left, TimeUnit.NANOSECONDS) : null;
			if (event == null) {
				throw new AssertionError("No matching event within " + deadline + "; read: " + lines());
			}
			if (condition.test(event)) {
				return event;
			}
		}
	}

	/**
	 * Return the events read and not yet taken, without waiting.
	 * @return the events
	 */
	public List<Event> drain() {
		List<Event> drained = new ArrayList<>();
		this.events.drainTo(drained);
		return drained;
	}

	@Override
	public void close() {
		try {
			this.response.body().close();
		}
		catch (RuntimeException ex) {
			// already closed
		}
		this.reader.interrupt();
	}

	/**
	 * One event.
	 *
	 * @param id its id, or {@code null}
	 * @param type its type ({@code message} when it has none)
	 * @param data its data
	 * @param receivedNanos when it was read, by {@link System#nanoTime()}
	 */
	public record Event(@Nullable String id, String type, String data, long receivedNanos) {

		/**
		 * Return the id as a number.
		 * @return the id
		 */
		public long longId() {
			return Long.parseLong(this.id);
		}

	}

}
