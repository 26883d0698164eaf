package io.github.supervision;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * SPI implemented by each supervisor backend (systemd, runit, supervisord, embedded).
 * Services are addressed by their <em>target</em>: the backend's own name for them (a
 * unit name, a service directory, a program name).
 * <p>
 * Implementations must be thread-safe, must never let a caller wait without a deadline,
 * and must not fail to construct when their daemon is absent: connections are made lazily
 * and {@link #availability()} says why a backend cannot be reached.
 * <p>
 * Beyond status, actions and watching, a backend may offer optional
 * {@linkplain ServiceCapability capabilities}, each one small interface of this package
 * (such as {@link LogTailCapability}). A backend offers one by implementing its
 * interface, or by overriding {@link #capability(Class)} to return a part of its own that
 * does; the catalog asks for each capability once and routes calls to it, and the
 * endpoint lists what each service's backend offers. A backend that does not implement an
 * interface does not offer it: there is no switch on backend ids anywhere.
 *
 * @author Supervision contributors
 */
public interface SupervisionBackend extends AutoCloseable {

	/**
	 * Return the backend's id, such as {@code systemd}. It is the value of
	 * {@code supervision.services.<name>.backend}.
	 * @return the id
	 */
	String id();

	/**
	 * Return whether the backend can be reached now. This call is cheap and does not wait
	 * on the daemon.
	 * @return the availability
	 */
	BackendAvailability availability();

	/**
	 * Check that a target is valid for this backend, before it is used anywhere.
	 * @param target the backend's name for a service
	 * @throws InvalidServiceNameException if the target breaks the backend's naming rules
	 */
	void validateTarget(String target);

	/**
	 * Return the status of many services at once, in a constant number of round trips to
	 * the daemon (one call, or a cache kept fresh by the daemon's own signals). Targets
	 * the backend cannot read are answered with an {@link ServiceState#UNKNOWN} status
	 * that says why; this method does not throw when the daemon is down.
	 * @param targets the targets, each already validated
	 * @param timeout the most this call may wait
	 * @return the status of each target, keyed by target
	 */
	Map<String, ServiceStatus> status(Collection<String> targets, Duration timeout);

	/**
	 * Perform an action and complete once its effect is seen (or the deadline passes). A
	 * failed action completes the future with an {@link ActionResult} whose outcome says
	 * what happened and whose status was read back after the action. The future completes
	 * exceptionally only with a {@link SupervisionException} that says the action could
	 * not be tried at all: {@link BackendUnavailableException},
	 * {@link PermissionDeniedException} or {@link UnknownServiceException}.
	 * <p>
	 * The {@link ServiceCatalog} decides whether an action may be tried: it calls this
	 * method only with an action of {@link #supportedActions()}, it keeps one action at a
	 * time in flight on a service, and it guards against a backend that breaks its
	 * deadline. The backend only executes. Called concurrently for one target anyway (by
	 * code that bypasses the catalog), each call must still complete within its deadline;
	 * its outcome may then say another action overtook it.
	 * @param target the target, already validated
	 * @param action the action, one of {@link #supportedActions()}
	 * @param timeout the deadline for the whole action, after which the future completes
	 * with {@link ActionResult.Outcome#TIMEOUT}
	 * @return the result
	 */
	CompletableFuture<ActionResult> perform(String target, ServiceAction action, Duration timeout);

	/**
	 * Register a listener for state changes. Listeners are called on a thread of the
	 * backend's choosing, never while the backend holds a lock, and a slow listener must
	 * not delay the backend.
	 * @param listener the listener
	 * @return a handle that stops the notifications when closed
	 */
	Subscription watch(ServiceStatusListener listener);

	/**
	 * Return the actions this backend performs itself. The catalog answers an action
	 * outside this set with {@link ActionResult.Outcome#UNSUPPORTED} and never passes it
	 * to {@link #perform}. The actions that have a {@linkplain ServiceAction#capability()
	 * capability} ({@code enable}, {@code disable}, {@code reset-failed}, {@code signal})
	 * are never passed to {@link #perform}: the catalog calls the capability, and this
	 * set says nothing of them. The default is start, stop, restart, reload, kill, once,
	 * pause and continue.
	 * @return the supported actions
	 */
	default Set<ServiceAction> supportedActions() {
		return ServiceAction.CLASSIC;
	}

	/**
	 * Return why this backend does not offer a capability, for the answer of an action
	 * that needs it. The default says nothing more than that it does not.
	 * @param capability a capability that {@link #capability(Class)} does not offer
	 * @return a sentence a person can act on, or {@code null}
	 */
	default @Nullable String unsupportedReason(ServiceCapability<?> capability) {
		return null;
	}

	/**
	 * Return this backend's implementation of an optional capability, or nothing when it
	 * does not offer it. The answer must not change during the backend's life: the
	 * catalog asks once. The default returns the backend itself when it implements the
	 * interface.
	 * @param <T> the capability's interface
	 * @param type the capability's interface, such as {@link LogTailCapability}
	 * @return the implementation, or empty
	 * @see ServiceCapability
	 */
	default <T> Optional<T> capability(Class<T> type) {
		return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
	}

	/**
	 * Whether {@link #discover(Duration)} can return anything: the catalog skips the call
	 * otherwise. The default is {@code false}, matching the default {@code discover}.
	 * @return whether the backend discovers services
	 */
	default boolean isDiscovering() {
		return false;
	}

	/**
	 * Return the status of the services the backend discovers by itself (a systemd unit
	 * pattern, every service in a runit scan directory), read-only. The default discovers
	 * nothing.
	 * @param timeout the most this call may wait
	 * @return the discovered services' status
	 */
	default List<ServiceStatus> discover(Duration timeout) {
		return List.of();
	}

	/**
	 * Called once the application has started, so that the backend may start what it
	 * should start (the embedded backend's autostart services). The default does nothing.
	 */
	default void start() {
	}

	/**
	 * Release the backend's resources: connections, threads, and for the embedded
	 * backend, its child processes.
	 */
	@Override
	void close();

}
