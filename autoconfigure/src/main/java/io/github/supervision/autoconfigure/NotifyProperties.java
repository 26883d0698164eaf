package io.github.supervision.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for sd_notify, used when systemd sets {@code NOTIFY_SOCKET}.
 *
 * @author Supervision contributors
 */
@ConfigurationProperties("supervision.notify")
public class NotifyProperties {

	/**
	 * Whether to send sd_notify messages (READY, STATUS, STOPPING, WATCHDOG) when systemd
	 * sets NOTIFY_SOCKET.
	 */
	private boolean enabled = true;

	/**
	 * Extra start-up time asked for with EXTEND_TIMEOUT_USEC, every third of it, while
	 * beans are still being created. Zero never asks, so the unit's TimeoutStartSec
	 * applies as written.
	 */
	private Duration startupExtension = Duration.ofSeconds(30);

	/**
	 * Whether watchdog pings also stop while health is DOWN (they always stop while
	 * liveness is BROKEN). Needs the health endpoint.
	 */
	private boolean watchdogRequiresHealth;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getStartupExtension() {
		return this.startupExtension;
	}

	public void setStartupExtension(Duration startupExtension) {
		this.startupExtension = startupExtension;
	}

	public boolean isWatchdogRequiresHealth() {
		return this.watchdogRequiresHealth;
	}

	public void setWatchdogRequiresHealth(boolean watchdogRequiresHealth) {
		this.watchdogRequiresHealth = watchdogRequiresHealth;
	}

}
