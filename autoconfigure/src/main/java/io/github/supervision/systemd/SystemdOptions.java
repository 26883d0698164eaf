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
 * dropped
 * @param reconnectMaxBackoff longest wait between reconnection attempts
 * @author Supervision contributors
 */
public record SystemdOptions(@Nullable String busAddress, SystemdScope scope, List<String> discover,
		Duration connectTimeout, Duration reconnectMinBackoff, Duration reconnectMaxBackoff) {

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
		connectTimeout = (connectTimeout != null) ? connectTimeout : Duration.ofSeconds(5);
		reconnectMinBackoff = (reconnectMinBackoff != null) ? reconnectMinBackoff : Duration.ofMillis(100);
		reconnectMaxBackoff = (reconnectMaxBackoff != null) ? reconnectMaxBackoff : Duration.ofSeconds(10);
	}

	/**
	 * Return the options for the system manager on the system bus.
	 * @return default options
	 */
	public static SystemdOptions defaults() {
		return new SystemdOptions(null, SystemdScope.SYSTEM, List.of(), null, null, null);
	}

	/**
	 * Return the options for the manager on the bus at the given address.
	 * @param busAddress the D-Bus address
	 * @return options for that bus
	 */
	public static SystemdOptions forAddress(String busAddress) {
		return new SystemdOptions(busAddress, SystemdScope.SYSTEM, List.of(), null, null, null);
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
