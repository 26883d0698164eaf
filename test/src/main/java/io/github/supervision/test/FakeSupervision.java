package io.github.supervision.test;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceState;
import io.github.supervision.SupervisionException;
import io.github.supervision.autoconfigure.DeclaredServices;
import io.github.supervision.autoconfigure.DeclaredServices.DeclaredService;

import org.springframework.util.Assert;

/**
 * The fake backends of a test, addressed by the services' declared names: set a service's
 * state, make an action on it fail, and read the actions asked of it. The
 * {@link AutoConfigureSupervisionTest} annotation makes one bean of it.
 *
 * @author Supervision contributors
 */
public class FakeSupervision {

	/**
	 * Ids of the built-in backends that the fakes stand in for.
	 */
	public static final List<String> BUILT_IN_BACKENDS = List.of("systemd", "runit", "supervisord", "embedded");

	private final DeclaredServices declaredServices;

	private final Map<String, FakeSupervisionBackend> backends = new ConcurrentHashMap<>();

	/**
	 * Create the fakes for the given declared services.
	 * @param declaredServices the services declared in {@code supervision.services}
	 * @param backendIds the ids of the backends to fake
	 */
	public FakeSupervision(DeclaredServices declaredServices, Collection<String> backendIds) {
		Assert.notNull(declaredServices, "'declaredServices' must not be null");
		this.declaredServices = declaredServices;
		backendIds.forEach(this::backend);
	}

	/**
	 * Return the fake backend with the given id, made when first asked for.
	 * @param id the backend's id, such as {@code systemd}
	 * @return the fake
	 */
	public FakeSupervisionBackend backend(String id) {
		return this.backends.computeIfAbsent(id, FakeSupervisionBackend::new);
	}

	/**
	 * Set the state a declared service reports from now on.
	 * @param service the declared name
	 * @param state the state
	 */
	public void setState(String service, ServiceState state) {
		DeclaredService declared = declared(service);
		backend(declared.backend()).setState(declared.target(), state);
	}

	/**
	 * Return the state a declared service reports now.
	 * @param service the declared name
	 * @return the state
	 */
	public ServiceState getState(String service) {
		DeclaredService declared = declared(service);
		return backend(declared.backend()).getState(declared.target());
	}

	/**
	 * Make every following {@code action} on a declared service fail with outcome
	 * {@code failed} (HTTP 502) and the given message, leaving its state as it is.
	 * @param service the declared name
	 * @param action the action
	 * @param message what the supervisor answered
	 */
	public void failAction(String service, ServiceAction action, String message) {
		DeclaredService declared = declared(service);
		backend(declared.backend()).failAction(declared.target(), action, message);
	}

	/**
	 * Make every following {@code action} on a declared service fail with the given
	 * exception (for example a {@code BackendUnavailableException}, HTTP 503).
	 * @param service the declared name
	 * @param action the action
	 * @param exception the exception
	 */
	public void failAction(String service, ServiceAction action, SupervisionException exception) {
		DeclaredService declared = declared(service);
		backend(declared.backend()).failAction(declared.target(), action, exception);
	}

	/**
	 * Return the actions asked of a declared service so far, oldest first, including
	 * those that failed. Actions the catalog refused (not declared, not allowed) never
	 * reach a backend, so they are not recorded.
	 * @param service the declared name
	 * @return the actions
	 */
	public List<ServiceAction> getActions(String service) {
		DeclaredService declared = declared(service);
		return backend(declared.backend()).getActions()
			.stream()
			.filter((action) -> action.target().equals(declared.target()))
			.map(FakeSupervisionBackend.RecordedAction::action)
			.toList();
	}

	/**
	 * Reset every fake: states, failures and recorded actions.
	 */
	public void reset() {
		this.backends.values().forEach(FakeSupervisionBackend::reset);
	}

	private DeclaredService declared(String service) {
		return this.declaredServices.all()
			.stream()
			.filter((declared) -> declared.name().value().equals(service))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("No service named '" + service
					+ "' is declared in supervision.services: declare it in the test's configuration"));
	}

}
