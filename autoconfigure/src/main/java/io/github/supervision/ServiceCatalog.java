package io.github.supervision;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;

import io.github.supervision.support.DaemonThreadFactory;
import org.jspecify.annotations.Nullable;

/**
 * The services an application knows: those it declared, each bound to a backend, and
 * those its backends discover. Reads cost a constant number of calls per backend, and
 * concurrent readers share the call in flight to each backend; actions and the
 * {@linkplain ServiceCapability optional capabilities} (such as a log tail) are allowed
 * only on declared services. This is what the actuator endpoint, health and metrics read;
 * they never talk to a daemon themselves.
 *
 * @author Supervision contributors
 */
public final class ServiceCatalog implements AutoCloseable {

	private final Map<ServiceName, ServiceDefinition> definitions;

	private final Map<String, SupervisionBackend> backends;

	private final Map<ServiceName, Set<ServiceAction>> actions;

	private final Map<ServiceName, List<ServiceCapability<?>>> capabilities;

	private final Duration readTimeout;

	private final Duration actionTimeout;

	private final ExecutorService executor;

	private final BackendReads reads;

	private final CatalogListing listing;

	private final ActionPolicy policy;

	private final StatusFanOut fanOut;

	/**
	 * Create a new catalog.
	 * @param definitions the declared services
	 * @param backends the available backends
	 * @param readTimeout the deadline for reading status
	 * @param actionTimeout the default deadline for an action
	 */
	public ServiceCatalog(Collection<ServiceDefinition> definitions, Collection<SupervisionBackend> backends,
			Duration readTimeout, Duration actionTimeout) {
		Assert.notNull(definitions, "'definitions' must not be null");
		Assert.notNull(backends, "'backends' must not be null");
		Assert.isTrue(readTimeout != null && !readTimeout.isNegative() && !readTimeout.isZero(),
				"'readTimeout' must be positive");
		Assert.isTrue(actionTimeout != null && !actionTimeout.isNegative() && !actionTimeout.isZero(),
				"'actionTimeout' must be positive");
		Map<ServiceName, ServiceDefinition> byName = new LinkedHashMap<>();
		definitions.forEach((definition) -> byName.put(definition.name(), definition));
		this.definitions = Collections.unmodifiableMap(byName);
		Map<String, SupervisionBackend> byId = new LinkedHashMap<>();
		backends.forEach((backend) -> byId.put(backend.id(), backend));
		this.backends = Collections.unmodifiableMap(byId);
		Map<ServiceName, Set<ServiceAction>> allowed = new HashMap<>();
		Map<ServiceName, List<ServiceCapability<?>>> offered = new HashMap<>();
		byName.values().forEach((definition) -> {
			allowed.put(definition.name(), ActionPolicy.allowed(definition, byId.get(definition.backend())));
			offered.put(definition.name(), capabilities(definition));
		});
		this.actions = Collections.unmodifiableMap(allowed);
		this.capabilities = Collections.unmodifiableMap(offered);
		this.readTimeout = readTimeout;
		this.actionTimeout = actionTimeout;
		this.executor = Executors.newCachedThreadPool(new DaemonThreadFactory("supervision-catalog-"));
		this.reads = new BackendReads(this.backends, readTimeout, this.executor);
		this.listing = new CatalogListing(this.definitions, this.backends, this.reads);
		this.policy = new ActionPolicy(this::backendOf, this.reads::actionCompleted);
		this.fanOut = new StatusFanOut(byName.values(), byId.values());
	}

	/**
	 * Return the declared services, in declaration order.
	 * @return the definitions keyed by name
	 */
	public Map<ServiceName, ServiceDefinition> getDefinitions() {
		return this.definitions;
	}

	/**
	 * Return the backends, keyed by id.
	 * @return the backends
	 */
	public Map<String, SupervisionBackend> getBackends() {
		return this.backends;
	}

	/**
	 * Return the actions that may be performed on a service: those its definition allows
	 * that its backend supports.
	 * @param name the service's name
	 * @return the actions, in {@link ServiceAction} order; empty for a service that is
	 * not declared or whose backend is missing
	 */
	public Set<ServiceAction> getActions(ServiceName name) {
		return this.actions.getOrDefault(name, Set.of());
	}

	/**
	 * Return the optional capabilities a service supports: those its backend offers.
	 * @param name the service's name
	 * @return the capabilities, in {@link ServiceCapability#values()} order; empty for a
	 * service that is not declared or whose backend is missing
	 */
	public List<ServiceCapability<?>> getCapabilities(ServiceName name) {
		return this.capabilities.getOrDefault(name, List.of());
	}

	/**
	 * Return the default deadline for actions.
	 * @return the action timeout
	 */
	public Duration getActionTimeout() {
		return this.actionTimeout;
	}

	/**
	 * Return the availability of every backend, keyed by id.
	 * @return the availabilities
	 */
	public Map<String, BackendAvailability> availability() {
		Map<String, BackendAvailability> result = new LinkedHashMap<>();
		this.backends.forEach((id, backend) -> result.put(id, backend.availability()));
		return result;
	}

	/**
	 * Return the status of every declared service, then of every discovered one. Each
	 * backend is asked once, all backends at the same time, each within the read
	 * deadline.
	 * @return the statuses, declared services first in declaration order
	 */
	public List<ServiceStatus> list() {
		return this.listing.list(true);
	}

	/**
	 * Return the status of every declared service, each backend asked once, all at the
	 * same time, each within the read deadline. Nothing is discovered.
	 * @return the statuses in declaration order
	 */
	public List<ServiceStatus> listDeclared() {
		return this.listing.list(false);
	}

	/**
	 * Return how many reads of a backend's declared services {@link #list()} and
	 * {@link #listDeclared()} have started: concurrent callers share one.
	 * @param backendId the backend's id
	 * @return the number of reads started, {@code 0} for an unknown backend
	 */
	long sharedReadsStarted(String backendId) {
		return this.reads.sharedReadsStarted(backendId);
	}

	/**
	 * Return the status of one service, declared or discovered.
	 * @param name the service's name
	 * @return the status
	 * @throws UnknownServiceException if no such service is declared or discovered
	 */
	public ServiceStatus status(ServiceName name) {
		ServiceDefinition definition = this.definitions.get(name);
		if (definition != null) {
			return this.listing.status(definition);
		}
		for (ServiceStatus status : list()) {
			if (status.name().equals(name.value())) {
				return status;
			}
		}
		throw new UnknownServiceException(name.value());
	}

	/**
	 * Whether a service of that name is declared (and so may be acted upon).
	 * @param name the name
	 * @return {@code true} if it is declared
	 */
	public boolean isDeclared(ServiceName name) {
		return this.definitions.containsKey(name);
	}

	/**
	 * Perform an action on a declared service, within the default action deadline.
	 * @param name the service's name
	 * @param action the action
	 * @return the result, named by the service's declared name
	 * @throws UnknownServiceException if the service is not declared (discovered services
	 * are read-only)
	 * @throws ActionNotAllowedException if the action is not allowed on the service
	 * @throws BackendUnavailableException if its backend cannot be reached
	 * @throws PermissionDeniedException if the backend refuses this process
	 */
	public ActionResult perform(ServiceName name, ServiceAction action) {
		return perform(name, action, this.actionTimeout);
	}

	/**
	 * Perform an action on a declared service. The catalog decides whether the action may
	 * be tried: an action the definition does not allow is refused, and one the backend
	 * does not {@linkplain SupervisionBackend#supportedActions() support} answers
	 * {@link ActionResult.Outcome#UNSUPPORTED} without calling the backend. One action at
	 * a time is in flight on a service: a caller asking for the action in flight joins
	 * it, one asking for another gets an {@link ActionInProgressException}. It also
	 * guards the deadline: a backend that breaks its own never holds the caller past it
	 * for long.
	 * @param name the service's name
	 * @param action the action
	 * @param timeout the deadline
	 * @return the result, named by the service's declared name
	 * @see #perform(ServiceName, ServiceAction)
	 */
	public ActionResult perform(ServiceName name, ServiceAction action, Duration timeout) {
		return act(name, action, null, timeout);
	}

	/**
	 * Send a declared service a signal, within the default action deadline: the action
	 * {@link ServiceAction#SIGNAL}, on the same path as every other action.
	 * @param name the service's name
	 * @param signal the signal
	 * @return the result, named by the service's declared name
	 * @see #signal(ServiceName, ServiceSignal, Duration)
	 */
	public ActionResult signal(ServiceName name, ServiceSignal signal) {
		return signal(name, signal, this.actionTimeout);
	}

	/**
	 * Send a declared service a signal through its backend's {@link SignalCapability}:
	 * the action {@link ServiceAction#SIGNAL}, allowed, guarded and intercepted as every
	 * other action is. A signal in flight is joined only by the same signal.
	 * @param name the service's name
	 * @param signal the signal
	 * @param timeout the deadline
	 * @return the result, named by the service's declared name
	 * @see #perform(ServiceName, ServiceAction, Duration)
	 */
	public ActionResult signal(ServiceName name, ServiceSignal signal, Duration timeout) {
		Assert.notNull(signal, "'signal' must not be null");
		return act(name, ServiceAction.SIGNAL, signal, timeout);
	}

	private ActionResult act(ServiceName name, ServiceAction action, @Nullable ServiceSignal signal, Duration timeout) {
		Assert.notNull(action, "'action' must not be null");
		if (action == ServiceAction.SIGNAL && signal == null) {
			ServiceSignal.of(null);
		}
		return this.policy.perform(declared(name), action, signal, timeout);
	}

	/**
	 * Register an interceptor that wraps every action on a declared service from now on.
	 * Interceptors registered later wrap those registered earlier.
	 * @param interceptor the interceptor
	 * @return a handle that removes the interceptor when closed
	 */
	public Subscription intercept(ActionInterceptor interceptor) {
		Assert.notNull(interceptor, "'interceptor' must not be null");
		return this.policy.intercept(interceptor);
	}

	/**
	 * Return the latest lines a declared service wrote, read by its backend's
	 * {@link LogTailCapability} within the read deadline. Reading is refused before any
	 * backend is called unless the service's {@link ServiceDefinition#logs() logs} are
	 * on.
	 * @param name the service's name
	 * @param lines the most lines to return, 1 to {@link LogTailCapability#MAX_LINES}
	 * @return the lines, oldest first
	 * @throws UnknownServiceException if the service is not declared
	 * @throws LogsNotEnabledException if reading its log is off
	 * @throws BackendUnavailableException if its backend is missing or cannot be reached
	 * @throws CapabilityNotSupportedException if its backend cannot read logs
	 * @throws SupervisionTimeoutException if the backend does not answer in time
	 */
	public ServiceLog tailLog(ServiceName name, int lines) {
		Assert.isTrue(lines >= 1 && lines <= LogTailCapability.MAX_LINES,
				"'lines' must be between 1 and " + LogTailCapability.MAX_LINES);
		checkLogsEnabled(name);
		return use(name, ServiceCapability.LOG_TAIL, (logs, target) -> logs.tailLog(target, lines, this.readTimeout));
	}

	/**
	 * Check that a declared service's log may be read, as {@link #tailLog} does, for a
	 * caller that follows the log (the event stream) and must refuse before it starts.
	 * @param name the service's name
	 * @throws UnknownServiceException if the service is not declared
	 * @throws LogsNotEnabledException if reading its log is off
	 */
	public void checkLogsEnabled(ServiceName name) {
		if (!declared(name).logs()) {
			throw new LogsNotEnabledException(name.value());
		}
	}

	// The one path to a capability: declared, then backend present, then capability
	// offered, then the call, on a catalog thread so that a backend that breaks its
	// deadline never holds the caller past it for long.
	private <T, R> R use(ServiceName name, ServiceCapability<T> capability, BiFunction<T, String, R> call) {
		ServiceDefinition definition = declared(name);
		SupervisionBackend backend = backendOf(definition);
		T implementation = backend.capability(capability.type())
			.orElseThrow(() -> new CapabilityNotSupportedException(name.value(), backend.id(), capability));
		CompletableFuture<R> future = CompletableFuture
			.supplyAsync(() -> call.apply(implementation, definition.target()), this.executor);
		try {
			return future.get(this.readTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			future.cancel(true);
			throw new SupervisionTimeoutException("Reading " + capability.id() + " of '" + name + "'",
					this.readTimeout);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SupervisionTimeoutException("Reading " + capability.id() + " of '" + name + "' (interrupted)",
					this.readTimeout);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException(ex.getCause());
		}
	}

	private ServiceDefinition declared(ServiceName name) {
		Assert.notNull(name, "'name' must not be null");
		ServiceDefinition definition = this.definitions.get(name);
		if (definition == null) {
			throw new UnknownServiceException(name.value());
		}
		return definition;
	}

	private SupervisionBackend backendOf(ServiceDefinition definition) {
		SupervisionBackend backend = this.backends.get(definition.backend());
		if (backend == null) {
			throw new BackendUnavailableException(CatalogListing.noBackend(definition));
		}
		return backend;
	}

	private List<ServiceCapability<?>> capabilities(ServiceDefinition definition) {
		SupervisionBackend backend = this.backends.get(definition.backend());
		if (backend == null) {
			return List.of();
		}
		return ServiceCapability.values()
			.stream()
			.filter((capability) -> backend.capability(capability.type()).isPresent())
			.toList();
	}

	/**
	 * Register a listener for the status changes of every service, declared or
	 * discovered. The catalog subscribes once to every backend's
	 * {@link SupervisionBackend#watch(ServiceStatusListener) watch} while it has
	 * listeners, and names each change as {@link #list()} does: a declared service by its
	 * declared name (a target declared under two names is reported under each), a
	 * discovered one by its target. Listeners are called one at a time on a thread of the
	 * catalog's, never on a backend's, so a slow listener delays only the others.
	 * @param listener the listener
	 * @return a handle that stops the notifications when closed
	 */
	public Subscription watch(ServiceStatusListener listener) {
		Assert.notNull(listener, "'listener' must not be null");
		return this.fanOut.watch(listener);
	}

	@Override
	public void close() {
		this.fanOut.close();
		this.executor.shutdownNow();
	}

	/**
	 * Look up a backend by id.
	 * @param id the backend's id
	 * @return the backend, or {@code null}
	 */
	public @Nullable SupervisionBackend getBackend(String id) {
		return this.backends.get(id);
	}

}
