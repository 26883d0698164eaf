package io.github.supervision.systemd;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Settings of a {@link SystemdBackend}.
 *
 * @param busAddress D-Bus address of the manager's bus, such as
 * {@code unix:path=/run/dbus/system_bus_socket}, or {@code null} for the scope's default
 * bus
 * @param scope which manager to talk to
 * @param discover unit patterns to discover, read-only, such as {@code *.service}; empty
 * for none
 * @param connectTimeout most time one connection attempt may take
 * @param reconnectMinBackoff wait before the first reconnection attempt after the bus
 * dropped or a connection attempt failed; doubles after each failed attempt; positive
 * @param reconnectMaxBackoff longest wait between reconnection attempts; not shorter than
 * {@code reconnectMinBackoff}
 * @param statusCacheTtl how long a {@code ListUnitsByNames} reply, kept fresh by the
 * signals of an unbroken subscription, answers status reads without a new call;
 * {@link Duration#ZERO} for one call per status read
 * @param journalDirectory folder of journal files that log tails read
 * ({@code journalctl --directory}), such as a container's journal, or {@code null} for
 * the system's journal
 * @author Supervision contributors
 */
public record SystemdOptions(@Nullable String busAddress, SystemdScope scope, List<String> discover,
		Duration connectTimeout, Duration reconnectMinBackoff, Duration reconnectMaxBackoff, Duration statusCacheTtl,
		@Nullable Path journalDirectory) {

	/**
	 * Default of {@link #statusCacheTtl()}.
	 */
	public static final Duration DEFAULT_STATUS_CACHE_TTL = Duration.ofSeconds(1);

	private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

	private static final Duration DEFAULT_RECONNECT_MIN_BACKOFF = Duration.ofMillis(100);

	private static final Duration DEFAULT_RECONNECT_MAX_BACKOFF = Duration.ofSeconds(10);

	/**
	 * Create new options.
	 */
	public SystemdOptions {
		if (scope == null) {
			throw new IllegalArgumentException("'scope' must not be null");
		}
		discover = (discover != null) ? List.copyOf(discover) : List.of();
		for (String pattern : discover) {
			if (!UnitNames.isValidPattern(pattern)) {
				throw new IllegalArgumentException("Invalid systemd unit pattern in 'discover': use unit names "
						+ "with * ? [ ] such as '*.service'");
			}
		}
		connectTimeout = (connectTimeout != null) ? connectTimeout : DEFAULT_CONNECT_TIMEOUT;
		reconnectMinBackoff = (reconnectMinBackoff != null) ? reconnectMinBackoff : DEFAULT_RECONNECT_MIN_BACKOFF;
		reconnectMaxBackoff = (reconnectMaxBackoff != null) ? reconnectMaxBackoff : DEFAULT_RECONNECT_MAX_BACKOFF;
		statusCacheTtl = (statusCacheTtl != null) ? statusCacheTtl : DEFAULT_STATUS_CACHE_TTL;
		if (statusCacheTtl.isNegative()) {
			throw new IllegalArgumentException("'statusCacheTtl' must not be negative");
		}
		if (connectTimeout.isNegative() || connectTimeout.isZero()) {
			throw new IllegalArgumentException("'connectTimeout' must be positive");
		}
		// a zero wait would retry a bus that is not there in a tight loop
		if (reconnectMinBackoff.isNegative() || reconnectMinBackoff.isZero()) {
			throw new IllegalArgumentException("'reconnectMinBackoff' must be positive");
		}
		if (reconnectMaxBackoff.compareTo(reconnectMinBackoff) < 0) {
			throw new IllegalArgumentException("'reconnectMaxBackoff' must not be shorter than 'reconnectMinBackoff'");
		}
	}

	/**
	 * Create new options that read the system's journal.
	 * @param busAddress bus address of the manager, or {@code null} for the scope's
	 * default bus
	 * @param scope which manager to talk to
	 * @param discover unit patterns to discover, read-only; empty for none
	 * @param connectTimeout most time one connection attempt may take
	 * @param reconnectMinBackoff wait before the first reconnection attempt
	 * @param reconnectMaxBackoff longest wait between reconnection attempts
	 * @param statusCacheTtl how long a confirmed status may be served from the signal-fed
	 * cache; {@link Duration#ZERO} for one call per status read
	 */
	public SystemdOptions(@Nullable String busAddress, SystemdScope scope, List<String> discover,
			Duration connectTimeout, Duration reconnectMinBackoff, Duration reconnectMaxBackoff,
			Duration statusCacheTtl) {
		this(busAddress, scope, discover, connectTimeout, reconnectMinBackoff, reconnectMaxBackoff, statusCacheTtl,
				null);
	}

	/**
	 * Create new options with the default status cache time to live.
	 * @param busAddress bus address of the manager, or {@code null} for the scope's
	 * default bus
	 * @param scope which manager to talk to
	 * @param discover unit patterns to discover, read-only; empty for none
	 * @param connectTimeout most time one connection attempt may take
	 * @param reconnectMinBackoff wait before the first reconnection attempt
	 * @param reconnectMaxBackoff longest wait between reconnection attempts
	 */
	public SystemdOptions(@Nullable String busAddress, SystemdScope scope, List<String> discover,
			Duration connectTimeout, Duration reconnectMinBackoff, Duration reconnectMaxBackoff) {
		this(busAddress, scope, discover, connectTimeout, reconnectMinBackoff, reconnectMaxBackoff,
				DEFAULT_STATUS_CACHE_TTL);
	}

	/**
	 * Return a copy of these options with another status cache time to live.
	 * @param ttl how long a confirmed status may be served from the signal-fed cache;
	 * {@link Duration#ZERO} for one call per status read
	 * @return the new options
	 */
	public SystemdOptions withStatusCacheTtl(Duration ttl) {
		return new SystemdOptions(this.busAddress, this.scope, this.discover, this.connectTimeout,
				this.reconnectMinBackoff, this.reconnectMaxBackoff, ttl, this.journalDirectory);
	}

	/**
	 * Return a copy of these options that read log tails from another journal.
	 * @param directory folder of journal files ({@code journalctl --directory}), or
	 * {@code null} for the system's journal
	 * @return the new options
	 */
	public SystemdOptions withJournalDirectory(@Nullable Path directory) {
		return new SystemdOptions(this.busAddress, this.scope, this.discover, this.connectTimeout,
				this.reconnectMinBackoff, this.reconnectMaxBackoff, this.statusCacheTtl, directory);
	}

	/**
	 * Return the options for the system manager on the system bus.
	 * @return default options
	 */
	public static SystemdOptions defaults() {
		return new SystemdOptions(null, SystemdScope.SYSTEM, List.of(), DEFAULT_CONNECT_TIMEOUT,
				DEFAULT_RECONNECT_MIN_BACKOFF, DEFAULT_RECONNECT_MAX_BACKOFF, DEFAULT_STATUS_CACHE_TTL);
	}

	/**
	 * Return the options for the manager on the bus at the given address.
	 * @param busAddress the D-Bus address
	 * @return options for that bus
	 */
	public static SystemdOptions forAddress(String busAddress) {
		return new SystemdOptions(busAddress, SystemdScope.SYSTEM, List.of(), DEFAULT_CONNECT_TIMEOUT,
				DEFAULT_RECONNECT_MIN_BACKOFF, DEFAULT_RECONNECT_MAX_BACKOFF, DEFAULT_STATUS_CACHE_TTL);
	}

	/**
	 * Return the bus address to connect to: the configured one, or the scope's default,
	 * honouring {@code DBUS_SYSTEM_BUS_ADDRESS} or {@code DBUS_SESSION_BUS_ADDRESS}.
	 * @param environment the environment variables
	 * @return the address
	 */
	public String resolveAddress(Map<String, String> environment) {
		if (this.busAddress != null && !this.busAddress.isBlank()) {
			return this.busAddress;
		}
		if (this.scope == SystemdScope.USER) {
			String session = environment.get("DBUS_SESSION_BUS_ADDRESS");
			if (session != null && !session.isBlank()) {
				return session;
			}
			String runtime = environment.get("XDG_RUNTIME_DIR");
			return "unix:path=" + ((runtime != null) ? runtime : "/run/user/" + uid()) + "/bus";
		}
		String system = environment.get("DBUS_SYSTEM_BUS_ADDRESS");
		return (system != null && !system.isBlank()) ? system : "unix:path=/run/dbus/system_bus_socket";
	}

	private static String uid() {
		try {
			Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
			return String.valueOf(uid);
		}
		catch (Exception ex) {
			return "0";
		}
	}

}
