package io.github.supervision.actuate.events;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.github.supervision.CapabilityNotSupportedException;
import io.github.supervision.ServiceCapability;
import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceDefinition;
import io.github.supervision.ServiceName;
import io.github.supervision.ServiceStatus;
import io.github.supervision.Subscription;
import io.github.supervision.support.DaemonThreadFactory;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * Fans the status changes of declared services out to the clients of the event stream: it
 * reads the catalog's one subscription ({@link ServiceCatalog#watch}, from the first
 * client on), turns each change into a Server-Sent Event once (when a client first wants
 * it), keeps the latest ones for clients that resume with {@code Last-Event-ID}, and
 * hands each event to every client's bounded queue without ever waiting for a client.
 *
 * @author Supervision contributors
 */
public class ServiceEventBroadcaster implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ServiceEventBroadcaster.class);

	private final ServiceCatalog catalog;

	private final Function<ServiceStatus, String> json;

	private final Settings settings;

	private final Set<String> declared;

	private final Object lock = new Object();

	private final ArrayDeque<Event> history;

	private final Set<EventStreamClient> clients = ConcurrentHashMap.newKeySet();

	private final ExecutorService writers = Executors
		.newCachedThreadPool(new DaemonThreadFactory("supervision-event-stream-"));

	private long lastId;

	private boolean running;

	private @Nullable Subscription subscription;

	private @Nullable ScheduledExecutorService heartbeats;

	private final LogFollower logs;

	/**
	 * Create a new broadcaster.
	 * @param catalog the catalog to watch
	 * @param json turns a status into the JSON of the service's entry in
	 * {@code /actuator/services}
	 * @param settings the limits
	 */
	public ServiceEventBroadcaster(ServiceCatalog catalog, Function<ServiceStatus, String> json, Settings settings) {
		Assert.notNull(catalog, "'catalog' must not be null");
		Assert.notNull(json, "'json' must not be null");
		Assert.notNull(settings, "'settings' must not be null");
		this.catalog = catalog;
		this.json = json;
		this.settings = settings;
		this.declared = catalog.getDefinitions().keySet().stream().map(ServiceName::value).collect(Collectors.toSet());
		this.history = new ArrayDeque<>(Math.min(settings.history(), 1024));
		// ids start from the clock, so that an id from an earlier run is older than any
		// this run keeps, and its client is told to resync
		this.lastId = System.currentTimeMillis() * 1000;
		this.logs = new LogFollower(catalog, () -> {
			synchronized (this.lock) {
				return this.lastId;
			}
		});
	}

	/**
	 * Check that the logs of the given services may be followed: each is declared, its
	 * logs are on, and its backend reads logs.
	 * @param services the services' names
	 * @throws io.github.supervision.LogsNotEnabledException if reading a service's log is
	 * off
	 * @throws CapabilityNotSupportedException if a service's backend cannot read logs
	 */
	public void checkLogs(Set<String> services) {
		for (String service : services) {
			ServiceName name = ServiceName.of(service);
			this.catalog.checkLogsEnabled(name);
			if (!this.catalog.getCapabilities(name).contains(ServiceCapability.LOG_TAIL)) {
				ServiceDefinition definition = this.catalog.getDefinitions().get(name);
				throw new CapabilityNotSupportedException(service,
						(definition != null) ? definition.backend() : "unknown", ServiceCapability.LOG_TAIL);
			}
		}
	}

	/**
	 * Return whether a service is declared, and so has events.
	 * @param name the service's name
	 * @return whether it is declared
	 */
	public boolean isDeclared(String name) {
		return this.declared.contains(name);
	}

	/**
	 * Register a client, queueing the events it missed when it resumes. Nothing is
	 * written to it before {@link Client#start()}.
	 * @param services the services it wants, or {@code null} for all
	 * @param lastEventId the {@code Last-Event-ID} it sent, or {@code null}
	 * @param output where its events are written
	 * @param complete ends its response; called once, when it goes away or the stream
	 * stops
	 * @return the client, or {@code null} when the stream has its maximum number of
	 * clients
	 */
	public @Nullable Client open(@Nullable Set<String> services, @Nullable String lastEventId, OutputStream output,
			Runnable complete) {
		return open(services, lastEventId, output, complete, false);
	}

	/**
	 * Register a client as {@link #open(Set, String, OutputStream, Runnable)} does, and,
	 * when asked, send it the new lines of its services' logs as {@code log} events.
	 * Check the services with {@link #checkLogs(Set)} first.
	 * @param services the services it wants, or {@code null} for all
	 * @param lastEventId the {@code Last-Event-ID} it sent, or {@code null}
	 * @param output where its events are written
	 * @param complete ends its response; called once
	 * @param followLogs whether to send it its services' log lines; only with services
	 * @return the client, or {@code null} when the stream has its maximum number of
	 * clients
	 */
	public @Nullable Client open(@Nullable Set<String> services, @Nullable String lastEventId, OutputStream output,
			Runnable complete, boolean followLogs) {
		EventStreamClient client = new EventStreamClient(services, output, this.settings.clientBuffer(), this.writers,
				(closed) -> {
					this.clients.remove(closed);
					this.logs.unfollow(closed);
					complete.run();
				});
		synchronized (this.lock) {
			if (this.clients.size() >= this.settings.maxClients()) {
				return null;
			}
			watch();
			this.clients.add(client);
			if (lastEventId != null) {
				replay(client, lastEventId.trim());
			}
		}
		if (followLogs && services != null) {
			this.logs.follow(services, client);
		}
		return new Client() {

			@Override
			public void start() {
				client.start();
			}

			@Override
			public void close() {
				client.close();
			}

		};
	}

	// Called with the lock held: nothing is published meanwhile
	private void replay(EventStreamClient client, String lastEventId) {
		long from;
		try {
			from = Long.parseLong(lastEventId);
		}
		catch (NumberFormatException ex) {
			client.offerResync(this.lastId, "The Last-Event-ID is not one of this stream's");
			return;
		}
		long oldest = this.history.isEmpty() ? this.lastId + 1 : this.history.peekFirst().id;
		if (from < oldest - 1 || from > this.lastId) {
			client.offerResync(this.lastId, "The events after the Last-Event-ID are no longer kept");
			return;
		}
		List<Event> missed = new ArrayList<>();
		for (Event event : this.history) {
			if (event.id > from && client.accepts(event.service())) {
				missed.add(event);
			}
		}
		missed.forEach((event) -> offer(client, event));
	}

	/**
	 * Return the number of clients connected.
	 * @return the number of clients
	 */
	public int getClientCount() {
		return this.clients.size();
	}

	/**
	 * Return how many {@code resync} events clients got for reading too slowly.
	 * @return the number of resyncs
	 */
	public int getResyncCount() {
		return this.clients.stream().mapToInt(EventStreamClient::resyncs).sum();
	}

	/**
	 * Publish a status change to every client that wants it. Called on the catalog's
	 * thread; it never waits for a client. The change is written as JSON only once a
	 * client wants it: with none connected, as at start-up, it is only kept.
	 * @param status the new status
	 */
	void publish(ServiceStatus status) {
		if (!this.declared.contains(status.name())) {
			return;
		}
		// written outside the lock when a client waits for it
		boolean written = !this.clients.isEmpty();
		byte[] data = written ? data(status) : null;
		synchronized (this.lock) {
			Event event = new Event(++this.lastId, status, data, written);
			if (this.history.size() >= this.settings.history()) {
				this.history.pollFirst();
			}
			if (this.settings.history() > 0) {
				this.history.addLast(event);
			}
			for (EventStreamClient client : this.clients) {
				if (client.accepts(event.service())) {
					offer(client, event);
				}
			}
		}
	}

	// Called with the lock held
	private void offer(EventStreamClient client, Event event) {
		byte[] frame = event.frame(this::data);
		if (frame != null) {
			client.offer(frame, event.id);
		}
	}

	private byte @Nullable [] data(ServiceStatus status) {
		try {
			return this.json.apply(status).getBytes(StandardCharsets.UTF_8);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not write the status of '" + status.name() + "' as JSON", ex);
			return null;
		}
	}

	private void heartbeat() {
		this.clients.forEach(EventStreamClient::heartbeat);
	}

	/**
	 * Start: the catalog is watched from the first client on, as no client can ask for
	 * the events before that.
	 */
	@Override
	public void start() {
		synchronized (this.lock) {
			this.running = true;
			if (!this.clients.isEmpty()) {
				watch();
			}
		}
	}

	// Called with the lock held
	private void watch() {
		if (this.subscription != null || !this.running) {
			return;
		}
		this.subscription = this.catalog.watch(this::publish);
		ScheduledExecutorService heartbeats = Executors
			.newSingleThreadScheduledExecutor(new DaemonThreadFactory("supervision-event-stream-heartbeat-"));
		long period = this.settings.heartbeat().toMillis();
		heartbeats.scheduleAtFixedRate(this::heartbeat, period, period, TimeUnit.MILLISECONDS);
		this.heartbeats = heartbeats;
	}

	/**
	 * Stop: ends every client's response, so that a graceful shutdown does not wait for
	 * streams that never end by themselves.
	 */
	@Override
	public void stop() {
		Subscription subscription;
		ScheduledExecutorService heartbeats;
		synchronized (this.lock) {
			this.running = false;
			subscription = this.subscription;
			heartbeats = this.heartbeats;
			this.subscription = null;
			this.heartbeats = null;
		}
		if (subscription != null) {
			subscription.close();
		}
		if (heartbeats != null) {
			heartbeats.shutdownNow();
		}
		new ArrayList<>(this.clients).forEach(EventStreamClient::close);
	}

	@Override
	public boolean isRunning() {
		synchronized (this.lock) {
			return this.running;
		}
	}

	/**
	 * Close the writers' pool.
	 */
	public void destroy() {
		stop();
		this.logs.close();
		this.writers.shutdownNow();
	}

	/**
	 * The limits of the stream.
	 *
	 * @param heartbeat how often a comment line is sent to every client
	 * @param history how many of the latest events are kept for clients that resume
	 * @param clientBuffer how many events may wait for one client before it is sent a
	 * {@code resync} event instead
	 * @param maxClients how many clients may be connected at once
	 */
	public record Settings(Duration heartbeat, int history, int clientBuffer, int maxClients) {

		/**
		 * Create new settings.
		 * @param heartbeat how often a comment line is sent to every client
		 * @param history how many of the latest events are kept
		 * @param clientBuffer how many events may wait for one client
		 * @param maxClients how many clients may be connected at once
		 */
		public Settings {
			Assert.isTrue(heartbeat != null && !heartbeat.isNegative() && !heartbeat.isZero(),
					"'heartbeat' must be positive");
			Assert.isTrue(history >= 0, "'history' must not be negative");
			Assert.isTrue(clientBuffer >= 1, "'clientBuffer' must be at least 1");
			Assert.isTrue(maxClients >= 0, "'maxClients' must not be negative");
		}

	}

	/**
	 * A registered client.
	 */
	public interface Client {

		/**
		 * Start writing to the client, once its response is set up; until then its events
		 * (those it missed, and new ones) wait in its queue.
		 */
		void start();

		/**
		 * Stop sending to the client and end its response.
		 */
		void close();

	}

	/**
	 * A published change, and its frame once a client wanted it: kept and read with the
	 * broadcaster's lock held.
	 */
	private static final class Event {

		private final long id;

		private final ServiceStatus status;

		private byte @Nullable [] data;

		private byte @Nullable [] frame;

		private boolean unwritable;

		// written: whether the JSON was tried already (data is null when it failed)
		Event(long id, ServiceStatus status, byte @Nullable [] data, boolean written) {
			this.id = id;
			this.status = status;
			this.data = data;
			this.unwritable = written && data == null;
		}

		String service() {
			return this.status.name();
		}

		// null when the status could not be written
		byte @Nullable [] frame(Function<ServiceStatus, byte @Nullable []> json) {
			if (this.frame == null && !this.unwritable) {
				byte[] data = (this.data != null) ? this.data : json.apply(this.status);
				if (data == null) {
					this.unwritable = true;
					return null;
				}
				byte[] head = ("id: " + this.id + "\nevent: service\ndata: ").getBytes(StandardCharsets.UTF_8);
				byte[] frame = Arrays.copyOf(head, head.length + data.length + 2);
				System.arraycopy(data, 0, frame, head.length, data.length);
				frame[frame.length - 2] = '\n';
				frame[frame.length - 1] = '\n';
				this.frame = frame;
				this.data = null;
			}
			return this.frame;
		}

	}

}
