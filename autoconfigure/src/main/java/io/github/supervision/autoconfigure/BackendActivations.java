package io.github.supervision.autoconfigure;

import java.util.List;

import io.github.supervision.registration.Activation;
import io.github.supervision.registration.RegistrationSpec.Scope;
import io.github.supervision.supervisord.SupervisordBackend;
import io.github.supervision.supervisord.SupervisordClient;
import io.github.supervision.systemd.SystemdBackend;
import io.github.supervision.systemd.SystemdOptions;
import io.github.supervision.systemd.SystemdScope;

import org.springframework.boot.context.properties.bind.Binder;

/**
 * Builds the activations that talk to the daemons, with backends configured from
 * {@code supervision.systemd.*} and {@code supervision.supervisord.*} just as the
 * application's own would be. Kept apart from {@link RegistrationCommand} so that the
 * optional libraries are loaded only when they are present.
 *
 * @author Supervision contributors
 */
final class BackendActivations {

	private BackendActivations() {
	}

	/**
	 * Return an activation through a systemd backend of the registration's scope. The
	 * configured {@code supervision.systemd.bus-address} is used when its scope is the
	 * registration's; otherwise the scope's default bus (the system bus, or the user bus
	 * from {@code DBUS_SESSION_BUS_ADDRESS} or {@code $XDG_RUNTIME_DIR/bus}).
	 * @param binder the binder of the environment
	 * @param properties the registration properties
	 * @param backends where the backend is kept until the command ends
	 * @return the activation
	 */
	static Activation systemd(Binder binder, RegistrationProperties properties, Backends backends) {
		SystemdProperties systemd = binder.bindOrCreate("supervision.systemd", SystemdProperties.class);
		SystemdScope scope = (properties.getScope() == Scope.USER) ? SystemdScope.USER : SystemdScope.SYSTEM;
		String address = (systemd.getScope() == scope) ? systemd.getBusAddress() : null;
		SystemdBackend backend = backends.add(new SystemdBackend(new SystemdOptions(address, scope, List.of(),
				systemd.getConnectTimeout(), systemd.getReconnectBackoff(), systemd.getReconnectMaxBackoff())));
		return new SystemdActivation(backend, properties.getScope(), properties.getActivationTimeout());
	}

	/**
	 * Return an activation through a supervisord backend configured from
	 * {@code supervision.supervisord.*}.
	 * @param binder the binder of the environment
	 * @param properties the registration properties
	 * @param backends where the backend is kept until the command ends
	 * @return the activation
	 */
	static Activation supervisord(Binder binder, RegistrationProperties properties, Backends backends) {
		SupervisordProperties supervisord = binder.bindOrCreate("supervision.supervisord", SupervisordProperties.class);
		SupervisordClient client = new SupervisordClient(supervisord.getUrl(), supervisord.getUsername(),
				supervisord.getPassword(), supervisord.getConnectTimeout(), supervisord.getMaxInFlight(),
				(int) supervisord.getMaxResponseSize().toBytes());
		SupervisordBackend backend = backends.add(new SupervisordBackend(client, properties.getActivationTimeout(),
				supervisord.getPollInterval(), false));
		return new SupervisordActivation(backend, properties.getActivationTimeout());
	}

}
