package io.github.supervision.actuate.events;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceLog;
import io.github.supervision.ServiceName;
import io.github.supervision.support.DaemonThreadFactory;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Follows the logs of the services that event stream clients asked to follow
 * ({@code ?service=x&log=true}): every {@link #INTERVAL} it reads the last {@link #LINES}
 * lines of each followed service once, through
 * {@link ServiceCatalog#tailLog(ServiceName, int)}, whatever its backend, and offers each
 * client the lines that are new since the last read as {@code event: log} frames. A line
 * is new when it comes after the last lines of the previous read ({@value #ANCHOR} lines,
 * compared with their time, stream and text); when they are not found (more lines were
 * written than one read holds, or the log was rotated or cleared) every line read is
 * sent. A log that repeats the same lines may so show fewer new lines than it wrote.
 *
 * @author Supervision contributors
 */
final class LogFollower implements AutoCloseable {

	/**
	 * How often each followed log is read.
	 */
	static final Duration INTERVAL = Duration.ofSeconds(1);

	/**
	 * How many lines one read of a followed log holds at most.
	 */
	static final int LINES = 100;

	private static final int ANCHOR = 10;

	private static final Log logger = LogFactory.getLog(LogFollower.class);

	private final ServiceCatalog catalog;

	private final LongSupplier lastId;

	private final Map<String, Followed> followed = new HashMap<>();

	private @Nullable ScheduledExecutorService poller;

	/**
	 * Create a new follower.
	 * @param catalog the catalog to read the logs through
	 * @param lastId the id of the stream's latest event, for a {@code resync} a client
	 * that reads too slowly is sent
	 */
	LogFollower(ServiceCatalog catalog, LongSupplier lastId) {
		this.catalog = catalog;
		this.lastId = lastId;
	}

	/**
	 * Send a client the new lines of the given services' logs until it is
	 * {@linkplain #unfollow(EventStreamClient) unfollowed}.
	 * @param services the declared services whose logs may be read
	 * @param client the client
	 */
	synchronized void follow(Set<String> services, EventStreamClient client) {
		services
			.forEach((service) -> this.followed.computeIfAbsent(service, (name) -> new Followed()).clients.add(client));
		if (this.poller == null) {
			ScheduledExecutorService poller = Executors
				.newSingleThreadScheduledExecutor(new DaemonThreadFactory("supervision-log-follower-"));
			poller.scheduleWithFixedDelay(this::poll, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
			this.poller = poller;
		}
	}

	/**
	 * Stop sending a client log lines.
	 * @param client the client
	 */
	synchronized void unfollow(EventStreamClient client) {
		this.followed.values().forEach((followed) -> followed.clients.remove(client));
		this.followed.values().removeIf((followed) -> followed.clients.isEmpty());
	}

	/**
	 * Return how many services' logs are followed.
	 * @return the number of services
	 */
	synchronized int followedServices() {
		return this.followed.size();
	}

	private void poll() {
		Map<String, Followed> now;
		synchronized (this) {
			now = Map.copyOf(this.followed);
		}
		now.forEach(this::poll);
	}

	private void poll(String service, Followed followed) {
		List<ServiceLog.Line> lines;
		try {
			lines = this.catalog.tailLog(ServiceName.of(service), LINES).lines();
		}
		catch (RuntimeException ex) {
			if (logger.isDebugEnabled()) {
				logger.debug("Could not read the log of '" + service + "' to follow it: " + ex.getMessage());
			}
			return;
		}
		List<ServiceLog.Line> before = followed.last;
		followed.last = lines;
		if (before == null) {
			// the first read only marks where the log stood when following began
			return;
		}
		List<ServiceLog.Line> added = added(before, lines);
		if (added.isEmpty()) {
			return;
		}
		Set<EventStreamClient> clients;
		synchronized (this) {
			clients = Set.copyOf(followed.clients);
		}
		long id = this.lastId.getAsLong();
		for (ServiceLog.Line line : added) {
			byte[] frame = frame(service, line);
			clients.forEach((client) -> client.offer(frame, id));
		}
	}

	static List<ServiceLog.Line> added(List<ServiceLog.Line> before, List<ServiceLog.Line> now) {
		if (before.isEmpty()) {
			return now;
		}
		int anchor = Math.min(ANCHOR, before.size());
		List<ServiceLog.Line> last = before.subList(before.size() - anchor, before.size());
		for (int i = now.size() - anchor; i >= 0; i--) {
			if (now.subList(i, i + anchor).equals(last)) {
				return now.subList(i + anchor, now.size());
			}
		}
		return now;
	}

	static byte[] frame(String service, ServiceLog.Line line) {
		StringBuilder json = new StringBuilder(line.text().length() + 64);
		json.append("event: log\ndata: {\"service\":");
		string(json, service);
		Instant time = line.time();
		if (time != null) {
			json.append(",\"time\":");
			string(json, time.toString());
		}
		String stream = line.stream();
		if (stream != null) {
			json.append(",\"stream\":");
			string(json, stream);
		}
		json.append(",\"text\":");
		string(json, line.text());
		json.append("}\n\n");
		return json.toString().getBytes(StandardCharsets.UTF_8);
	}

	private static void string(StringBuilder json, String value) {
		json.append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '"' || c == '\\') {
				json.append('\\').append(c);
			}
			else if (c < 0x20 || c == '\u2028' || c == '\u2029') {
				json.append(String.format("\\u%04x", (int) c));
			}
			else {
				json.append(c);
			}
		}
		json.append('"');
	}

	@Override
	public synchronized void close() {
		this.followed.clear();
		if (this.poller != null) {
			this.poller.shutdownNow();
			this.poller = null;
		}
	}

	/**
	 * One followed log: who follows it, and the lines of its last read.
	 */
	private static final class Followed {

		private final Set<EventStreamClient> clients = new LinkedHashSet<>();

		private volatile @Nullable List<ServiceLog.Line> last;

	}

}
