package io.github.supervision;

import java.util.List;

/**
 * An optional capability a backend may offer beyond status, actions and watching: one
 * small interface ({@link #type()}) that a backend implements or not, and the id the
 * endpoint lists it under. The {@link ServiceCatalog} asks each backend for every
 * capability through {@link SupervisionBackend#capability(Class)} and routes each call to
 * the backend of a declared service; nothing else needs to know which backend offers
 * what.
 * <p>
 * A new capability is a new interface, a constant here (listed in {@link #values()}), one
 * catalog method that calls it, and its implementation in each backend that has it.
 *
 * @param <T> the interface a backend implements to offer the capability
 * @author Supervision contributors
 */
public final class ServiceCapability<T> {

	/**
	 * Reading the latest lines a service wrote: {@link LogTailCapability}, listed as
	 * {@code log-tail}.
	 */
	public static final ServiceCapability<LogTailCapability> LOG_TAIL = new ServiceCapability<>("log-tail",
			LogTailCapability.class);

	/**
	 * Starting a service at boot or not: {@link EnableCapability}, listed as
	 * {@code enable}; it carries out {@link ServiceAction#ENABLE} and
	 * {@link ServiceAction#DISABLE}.
	 */
	public static final ServiceCapability<EnableCapability> ENABLE = new ServiceCapability<>("enable",
			EnableCapability.class);

	/**
	 * Clearing a service's failed state: {@link ResetFailedCapability}, listed as
	 * {@code reset-failed}; it carries out {@link ServiceAction#RESET_FAILED}.
	 */
	public static final ServiceCapability<ResetFailedCapability> RESET_FAILED = new ServiceCapability<>("reset-failed",
			ResetFailedCapability.class);

	/**
	 * Sending a service a named signal: {@link SignalCapability}, listed as
	 * {@code signal}; it carries out {@link ServiceAction#SIGNAL}.
	 */
	public static final ServiceCapability<SignalCapability> SIGNAL = new ServiceCapability<>("signal",
			SignalCapability.class);

	private static final List<ServiceCapability<?>> VALUES = List.of(LOG_TAIL, ENABLE, RESET_FAILED, SIGNAL);

	private final String id;

	private final Class<T> type;

	private ServiceCapability(String id, Class<T> type) {
		this.id = id;
		this.type = type;
	}

	/**
	 * Return every capability, in the order the endpoint lists them.
	 * @return the capabilities
	 */
	public static List<ServiceCapability<?>> values() {
		return VALUES;
	}

	/**
	 * Return the id the endpoint lists the capability under, such as {@code log-tail}.
	 * @return the id
	 */
	public String id() {
		return this.id;
	}

	/**
	 * Return the interface a backend implements to offer the capability.
	 * @return the interface
	 */
	public Class<T> type() {
		return this.type;
	}

	@Override
	public String toString() {
		return this.id;
	}

}
