package io.github.supervision.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.Assert;

/**
 * Configuration properties for the status-change events of declared services: the
 * application events and the Server-Sent Events stream at
 * {@code /actuator/serviceevents}.
 *
 * @author Supervision contributors
 */
@ConfigurationProperties("supervision.events")
public class EventsProperties {

	/**
	 * Whether to publish a ServiceStatusChangedEvent for each status change of a declared
	 * service and to offer the event stream (which is also off until exposed as
	 * 'serviceevents').
	 */
	private boolean enabled = true;

	/**
	 * How often the event stream sends each client a comment line, so that proxies keep
	 * an idle stream open.
	 */
	private Duration heartbeat = Duration.ofSeconds(15);

	/**
	 * How many of the latest events are kept for clients that resume with Last-Event-ID.
	 * A client that missed more is sent a 'resync' event.
	 */
	private int history = 256;

	/**
	 * How many events may wait for one client that reads slowly. Beyond that its waiting
	 * events are dropped and it is sent one 'resync' event; other clients never wait for
	 * it.
	 */
	private int clientBuffer = 64;

	/**
	 * Most clients of the event stream at once; more are answered 503.
	 */
	private int maxClients = 100;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getHeartbeat() {
		return this.heartbeat;
	}

	public void setHeartbeat(Duration heartbeat) {
		Assert.isTrue(heartbeat != null && !heartbeat.isNegative() && !heartbeat.isZero(),
				"'heartbeat' must be positive");
		this.heartbeat = heartbeat;
	}

	public int getHistory() {
		return this.history;
	}

	public void setHistory(int history) {
		Assert.isTrue(history >= 0, "'history' must not be negative");
		this.history = history;
	}

	public int getClientBuffer() {
		return this.clientBuffer;
	}

	public void setClientBuffer(int clientBuffer) {
		Assert.isTrue(clientBuffer >= 1, "'clientBuffer' must be at least 1");
		this.clientBuffer = clientBuffer;
	}

	public int getMaxClients() {
		return this.maxClients;
	}

	public void setMaxClients(int maxClients) {
		Assert.isTrue(maxClients >= 0, "'maxClients' must not be negative");
		this.maxClients = maxClients;
	}

}
