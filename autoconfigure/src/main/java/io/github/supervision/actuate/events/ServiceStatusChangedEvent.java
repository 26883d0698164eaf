package io.github.supervision.actuate.events;

import java.io.Serial;

import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceStatus;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;

/**
 * {@link ApplicationEvent} published when the status of a declared service changes, for
 * example to pause a consumer while its queue's daemon is down. Listeners run one at a
 * time on a thread of the starter's, never on a request thread or a backend's.
 *
 * @author Supervision contributors
 */
public class ServiceStatusChangedEvent extends ApplicationEvent {

	@Serial
	private static final long serialVersionUID = 1L;

	private final String serviceName;

	private final transient @Nullable ServiceStatus oldStatus;

	private final transient ServiceStatus newStatus;

	/**
	 * Create a new event.
	 * @param catalog the catalog whose service changed
	 * @param oldStatus the status before the change, or {@code null} when it is not known
	 * (the first change after start-up, when the first read had not answered yet)
	 * @param newStatus the status after the change
	 */
	public ServiceStatusChangedEvent(ServiceCatalog catalog, @Nullable ServiceStatus oldStatus,
			ServiceStatus newStatus) {
		super(catalog);
		this.serviceName = newStatus.name();
		this.oldStatus = oldStatus;
		this.newStatus = newStatus;
	}

	/**
	 * Return the declared name of the service that changed.
	 * @return the service's name
	 */
	public String getServiceName() {
		return this.serviceName;
	}

	/**
	 * Return the status before the change.
	 * @return the old status, or {@code null} when it is not known
	 */
	public @Nullable ServiceStatus getOldStatus() {
		return this.oldStatus;
	}

	/**
	 * Return the status after the change.
	 * @return the new status
	 */
	public ServiceStatus getNewStatus() {
		return this.newStatus;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[" + this.serviceName + ": "
				+ ((this.oldStatus != null) ? this.oldStatus.state() : "?") + " -> " + this.newStatus.state() + "]";
	}

}
