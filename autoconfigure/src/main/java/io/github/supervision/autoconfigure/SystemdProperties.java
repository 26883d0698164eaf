package io.github.supervision.autoconfigure;

import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.supervision.systemd.KillWhom;
import io.github.supervision.systemd.SystemdOptions;
import io.github.supervision.systemd.SystemdScope;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.Assert;

/**
 * Configuration properties of the systemd backend.
 *
 * @author Supervision contributors
 */
@ConfigurationProperties("supervision.systemd")
public class SystemdProperties {

	/**
	 * Whether the systemd backend is enabled. By default it is created only when in use:
	 * a declared service names a unit, or 'discover' is set. 'true' creates it even when
	 * nothing uses it; 'false' never creates it.
	 */
	private boolean enabled = true;

	/**
	 * D-Bus address of the bus the systemd manager is on, such as
	 * 'unix:path=/run/dbus/system_bus_socket'. Defaults to the system bus (honouring
	 * DBUS_SYSTEM_BUS_ADDRESS), or to the user's session bus when the scope is 'user'.
	 */
	private @Nullable String busAddress;

	/**
	 * Which systemd manager to talk to: 'system' (PID 1) or 'user' (systemctl --user).
	 */
	private SystemdScope scope = SystemdScope.SYSTEM;

	/**
	 * Unit patterns, such as '*.service', whose units are listed read-only besides the
	 * declared services.
	 */
	private List<String> discover = new ArrayList<>();

	/**
	 * Most time one attempt to connect to the bus may take. Must be positive.
	 */
	private Duration connectTimeout = Duration.ofSeconds(5);

	/**
	 * Wait before the first attempt to reconnect after the bus connection dropped or an
	 * attempt to connect failed; it doubles after each failed attempt. Must be positive.
	 */
	private Duration reconnectBackoff = Duration.ofMillis(100);

	/**
	 * Longest wait between two attempts to reconnect to the bus. Must not be shorter than
	 * the reconnect backoff.
	 */
	private Duration reconnectMaxBackoff = Duration.ofSeconds(10);

	/**
	 * How long a status that systemd confirmed with a ListUnitsByNames call is answered
	 * from the backend's cache, which systemd's change signals keep up to date, without
	 * asking again. A bus loss, a reconnection, a daemon-reload or a unit being loaded or
	 * unloaded ends it at once. Once it expires otherwise, reads still answer from the
	 * cache while one ListUnitsByNames confirms it in the background. Zero makes one
	 * ListUnitsByNames call per status read.
	 */
	private Duration statusCacheTtl = SystemdOptions.DEFAULT_STATUS_CACHE_TTL;

	/**
	 * Folder of journal files that log tails are read from ('journalctl --directory'),
	 * such as a container's journal mounted into the application's. By default the
	 * system's journal.
	 */
	private @Nullable File journalDirectory;

	/**
	 * Whose processes the 'signal' action reaches: 'main' (the unit's main process) or
	 * 'all' (every process of its control group), as 'systemctl kill --kill-whom'.
	 */
	private KillWhom killWhom = KillWhom.MAIN;

	public KillWhom getKillWhom() {
		return this.killWhom;
	}

	public void setKillWhom(KillWhom killWhom) {
		this.killWhom = killWhom;
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getBusAddress() {
		return this.busAddress;
	}

	public void setBusAddress(@Nullable String busAddress) {
		this.busAddress = busAddress;
	}

	public SystemdScope getScope() {
		return this.scope;
	}

	public void setScope(SystemdScope scope) {
		this.scope = scope;
	}

	public List<String> getDiscover() {
		return this.discover;
	}

	public void setDiscover(List<String> discover) {
		this.discover = discover;
	}

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	public Duration getReconnectBackoff() {
		return this.reconnectBackoff;
	}

	public void setReconnectBackoff(Duration reconnectBackoff) {
		this.reconnectBackoff = reconnectBackoff;
	}

	public Duration getStatusCacheTtl() {
		return this.statusCacheTtl;
	}

	public void setStatusCacheTtl(Duration statusCacheTtl) {
		Assert.isTrue(!statusCacheTtl.isNegative(), "'statusCacheTtl' must not be negative");
		this.statusCacheTtl = statusCacheTtl;
	}

	public Duration getReconnectMaxBackoff() {
		return this.reconnectMaxBackoff;
	}

	public void setReconnectMaxBackoff(Duration reconnectMaxBackoff) {
		this.reconnectMaxBackoff = reconnectMaxBackoff;
	}

	public @Nullable File getJournalDirectory() {
		return this.journalDirectory;
	}

	public void setJournalDirectory(@Nullable File journalDirectory) {
		this.journalDirectory = journalDirectory;
	}

}
