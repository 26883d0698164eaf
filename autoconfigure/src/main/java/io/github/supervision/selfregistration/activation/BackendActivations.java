package io.github.supervision.selfregistration.activation;

import java.time.Duration;
import java.util.List;

import io.github.supervision.autoconfigure.SupervisordProperties;
import io.github.supervision.autoconfigure.SystemdProperties;
import io.github.supervision.registration.Activation;
import io.github.supervision.supervisord.SupervisordBackend;
import io.github.supervision.supervisord.SupervisordClient;
import io.github.supervision.systemd.SystemdBackend;
import io.github.supervision.systemd.SystemdOptions;
import io.github.supervision.systemd.SystemdScope;

import org.springframework.boot.context.properties.bind.Binder;

/**
 * Builds the activations that talk to the daemons, with backends configured from
 * {@code supervision.systemd.*} and {@code supervision.supervisord.*} just as the
 * application's own would be. Kept apart from the command that uses them so that the
 * optional libraries are loaded only when they are present.
 *
 * @author Supervision contributors
 */
public final class BackendActivations {

	private BackendActivations() {
	}

	/**
	 * Return an activation through a systemd backend of the registration's scope. The
	 * configured {@code supervision.systemd.bus-address} is used when its scope is the
	 * registration's; otherwise the scope's default bus (the system bus, or the user bus
	 * from {@code DBUS_SESSION_BUS_ADDRESS} or {@code $XDG_RUNTIME_DIR/bus}).
	 * @param binder the binder of the environment
	 * @param scope the registration's scope
	 * @param timeout the most each step may take
	 * @param backends where the backend is kept until the command ends
	 * @return the activation
	 */
	public static Activation systemd(Binder binder, SystemdScope scope, Duration timeout, Backends backends) {
		SystemdProperties systemd = binder.bindOrCreate("supervision.systemd", SystemdProperties.class);
		String address = (systemd.getScope() == scope) ? systemd.getBusAddress() : null;
		SystemdBackend backend = backends.add(new SystemdBackend(new SystemdOptions(address, scope, List.of(),
				systemd.getConnectTimeout(), systemd.getReconnectBackoff(), systemd.getReconnectMaxBackoff())));
		return new SystemdActivation(backend, scope, timeout);
	}

	/**
	 * Return an activation through a supervisord backend configured from
	 * {@code supervision.supervisord.*}.
	 * @param binder the binder of the environment
	 * @param timeout the most each step may take
	 * @param backends where the backend is kept until the command ends
	 * @return the activation
	 */
	public static Activation supervisord(Binder binder, Duration timeout, Backends backends) {
		SupervisordProperties supervisord = binder.bindOrCreate("supervision.supervisord", SupervisordProperties.class);
		SupervisordClient client = new SupervisordClient(supervisord.getUrl(), supervisord.getUsername(),
				supervisord.getPassword(), supervisord.getConnectTimeout(), supervisord.getMaxInFlight(),
				(int) supervisord.getMaxResponseSize().toBytes());
		SupervisordBackend backend = backends
			.add(new SupervisordBackend(client, timeout, supervisord.getPollInterval(), false));
		return new SupervisordActivation(backend, timeout);
	}

}
