package io.github.supervision.actuate;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.supervision.ActionResult;
import io.github.supervision.BackendAvailability;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceCapability;
import io.github.supervision.ServiceCatalog;
import io.github.supervision.ServiceDefinition;
import io.github.supervision.ServiceLog;
import io.github.supervision.ServiceName;
import io.github.supervision.ServiceSignal;
import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import io.github.supervision.SupervisionException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.annotation.JsonSerialize;

import org.springframework.boot.actuate.audit.listener.AuditApplicationEvent;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;
import org.springframework.core.log.LogMessage;
import org.springframework.util.Assert;

/**
 * {@link Endpoint @Endpoint} that lists the services an application depends on and, when
 * its access is {@link Access#UNRESTRICTED unrestricted}, acts on the declared ones.
 * Reads only are allowed by default. Every action that reaches a service is published as
 * an {@link AuditApplicationEvent} of type {@value #AUDIT_TYPE}.
 *
 * @author Supervision contributors
 */
@Endpoint(id = ServicesEndpoint.ID, defaultAccess = Access.READ_ONLY)
public class ServicesEndpoint implements ApplicationEventPublisherAware {

	/**
	 * The endpoint's id.
	 */
	public static final String ID = "services";

	/**
	 * The type of the audit events of actions.
	 */
	public static final String AUDIT_TYPE = "SERVICE_ACTION";

	private static final Log logger = LogFactory.getLog(ServicesEndpoint.class);

	private final ServiceCatalog catalog;

	private static final int MAX_FORMATTED = 10_000;

	private static final Map<ServiceState, String> STATES = words(ServiceState.class);

	private static final Map<ActionResult.Outcome, String> OUTCOMES = words(ActionResult.Outcome.class);

	private final Clock clock;

	private final Map<String, Declared> declared;

	private final Map<String, FormattedInstant> formattedSince = new ConcurrentHashMap<>();

	private final @Nullable Supplier<RegistrationDescriptor> registration;

	private @Nullable ApplicationEventPublisher eventPublisher;

	/**
	 * Create a new endpoint.
	 * @param catalog the catalog to read and act through
	 */
	public ServicesEndpoint(ServiceCatalog catalog) {
		this(catalog, Clock.systemUTC(), null);
	}

	/**
	 * Create a new endpoint that also reports the application's own registration.
	 * @param catalog the catalog to read and act through
	 * @param registration reports how the application itself is registered with its
	 * supervisor, or {@code null} to leave it out
	 */
	public ServicesEndpoint(ServiceCatalog catalog, @Nullable Supplier<RegistrationDescriptor> registration) {
		this(catalog, Clock.systemUTC(), registration);
	}

	ServicesEndpoint(ServiceCatalog catalog, Clock clock) {
		this(catalog, clock, null);
	}

	ServicesEndpoint(ServiceCatalog catalog, Clock clock, @Nullable Supplier<RegistrationDescriptor> registration) {
		Assert.notNull(catalog, "'catalog' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		this.catalog = catalog;
		this.clock = clock;
		this.declared = declared(catalog);
		this.registration = registration;
	}

	/**
	 * List every declared service, then every discovered one, with the backends'
	 * availability and, when reported, the application's own registration.
	 * @return the services
	 */
	@ReadOperation
	public ServicesDescriptor services() {
		Instant now = this.clock.instant();
		List<ServiceDescriptor> services = this.catalog.list().stream().map((status) -> describe(status, now)).toList();
		return new ServicesDescriptor(services, backends(),
				(this.registration != null) ? this.registration.get() : null);
	}

	/**
	 * Describe one service.
	 * @param name the service's name
	 * @return the service
	 * @throws io.github.supervision.InvalidServiceNameException if the name is invalid
	 * @throws io.github.supervision.UnknownServiceException if no such service exists
	 */
	@ReadOperation
	public ServiceDescriptor service(@Selector String name) {
		return describe(this.catalog.status(ServiceName.of(name)), this.clock.instant());
	}

	/**
	 * Return the latest lines a declared service wrote. This is not an operation of the
	 * endpoint itself, so that no technology offers it by default: the web extension
	 * offers it over HTTP, where the application's security applies; JMX never does.
	 * @param name the service's name
	 * @param lines the most lines to return, 1 to
	 * {@link io.github.supervision.LogTailCapability#MAX_LINES}
	 * @return the lines, oldest first
	 * @throws io.github.supervision.SupervisionException if the name is invalid, the
	 * service is not declared, reading its log is off, its backend cannot read logs or
	 * cannot be reached, or the deadline passes
	 */
	public LogDescriptor log(String name, int lines) {
		ServiceName serviceName = ServiceName.of(name);
		ServiceLog log = this.catalog.tailLog(serviceName, lines);
		ServiceDefinition definition = this.catalog.getDefinitions().get(serviceName);
		return new LogDescriptor(serviceName.value(), (definition != null) ? definition.backend() : "",
				log.lines().stream().map(LineDescriptor::of).toList(), log.truncated());
	}

	/**
	 * Perform an action on a declared service, log it, and describe the outcome. This is
	 * not an operation of the endpoint itself, so that no technology offers writes by
	 * default: the web extension offers it over HTTP, where the application's security
	 * applies, and the JMX extension only when the application opts in.
	 * @param name the service's name
	 * @param action the action's name, such as {@code restart}
	 * @param principal who asked, when known
	 * @return the outcome, with the status read back afterwards
	 * @throws io.github.supervision.SupervisionException if the request is invalid, the
	 * service is unknown or not declared, the action is not allowed, or the backend
	 * cannot be reached
	 * @see #act(String, String, String)
	 */
	public ActionDescriptor perform(String name, @Nullable String action, @Nullable String principal) {
		return perform(name, action, null, principal);
	}

	/**
	 * Perform an action that may carry a signal on a declared service, log it, and
	 * describe the outcome.
	 * @param name the service's name
	 * @param action the action's name, such as {@code signal}
	 * @param signal the signal's name for the {@code signal} action, such as
	 * {@code USR1}; ignored by other actions
	 * @param principal who asked, when known
	 * @return the outcome, with the status read back afterwards
	 * @see #perform(String, String, String)
	 */
	public ActionDescriptor perform(String name, @Nullable String action, @Nullable String signal,
			@Nullable String principal) {
		return describe(name, act(name, action, signal, principal));
	}

	/**
	 * Perform an action on a declared service and log it, returning its result as it is,
	 * for a caller that maps the outcome itself (the web extension maps it to an HTTP
	 * status) before {@linkplain #describe(String, ActionResult) describing} it.
	 * @param name the service's name
	 * @param action the action's name, such as {@code restart}
	 * @param principal who asked, when known
	 * @return the result
	 * @throws io.github.supervision.SupervisionException if the request is invalid, the
	 * service is unknown or not declared, the action is not allowed, or the backend
	 * cannot be reached
	 */
	public ActionResult act(String name, @Nullable String action, @Nullable String principal) {
		return act(name, action, null, principal);
	}

	/**
	 * Perform an action that may carry a signal on a declared service and log it,
	 * returning its result as it is. A {@code signal} action without a signal of
	 * {@link ServiceSignal}'s list is refused before anything else is looked at.
	 * @param name the service's name
	 * @param action the action's name, such as {@code signal}
	 * @param signal the signal's name for the {@code signal} action, such as
	 * {@code USR1}; ignored by other actions
	 * @param principal who asked, when known
	 * @return the result
	 * @see #act(String, String, String)
	 */
	public ActionResult act(String name, @Nullable String action, @Nullable String signal, @Nullable String principal) {
		ServiceAction serviceAction = ServiceAction.of(action);
		ServiceSignal serviceSignal = (serviceAction == ServiceAction.SIGNAL) ? ServiceSignal.of(signal) : null;
		ServiceName serviceName = ServiceName.of(name);
		String who = (principal != null) ? principal : "an anonymous caller";
		String verb = (serviceSignal != null) ? serviceAction.id() + " " + serviceSignal.name() : serviceAction.id();
		ActionResult result;
		try {
			result = (serviceSignal != null) ? this.catalog.signal(serviceName, serviceSignal)
					: this.catalog.perform(serviceName, serviceAction);
		}
		catch (SupervisionException ex) {
			logger.info(
					LogMessage.format("Action %s on service '%s' by %s refused: %s", verb, name, who, ex.getMessage()));
			audit(principal, serviceName, serviceAction, serviceSignal, "refused", ex.getMessage(), null);
			throw ex;
		}
		logger.info(LogMessage.format("Action %s on service '%s' by %s: %s%s", verb, name, who,
				word(OUTCOMES, result.outcome()),
				(result.backendResult() != null) ? " (" + result.backendResult() + ")" : ""));
		audit(principal, serviceName, serviceAction, serviceSignal, word(OUTCOMES, result.outcome()), result.message(),
				result.backendResult());
		return result;
	}

	// The one place that knows both who asked and what came of it
	private void audit(@Nullable String principal, ServiceName name, ServiceAction action,
			@Nullable ServiceSignal signal, String outcome, @Nullable String message, @Nullable String backendResult) {
		ApplicationEventPublisher publisher = this.eventPublisher;
		if (publisher == null) {
			return;
		}
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("service", name.value());
		data.put("action", action.id());
		if (signal != null) {
			data.put("signal", signal.name());
		}
		data.put("outcome", outcome);
		if (message != null) {
			data.put("message", message);
		}
		if (backendResult != null) {
			data.put("backendResult", backendResult);
		}
		publisher
			.publishEvent(new AuditApplicationEvent((principal != null) ? principal : "anonymous", AUDIT_TYPE, data));
	}

	/**
	 * Describe the status of one service as {@link #services()} and
	 * {@link #service(String)} do, for the event stream.
	 * @param status the status
	 * @return the description
	 */
	public ServiceDescriptor describe(ServiceStatus status) {
		return describe(status, this.clock.instant());
	}

	@Override
	public void setApplicationEventPublisher(ApplicationEventPublisher applicationEventPublisher) {
		this.eventPublisher = applicationEventPublisher;
	}

	/**
	 * Describe the result of an action.
	 * @param name the service's name
	 * @param result the result
	 * @return the description
	 */
	public ActionDescriptor describe(String name, ActionResult result) {
		ServiceStatus status = result.status();
		return new ActionDescriptor(name, result.action().id(), word(OUTCOMES, result.outcome()), result.isSuccessful(),
				result.message(), result.backendResult(),
				(status != null) ? describe(status, this.clock.instant()) : null);
	}

	// What the descriptors say of each declared service does not change: it is worked
	// out once, keyed by the name a status carries.
	private static Map<String, Declared> declared(ServiceCatalog catalog) {
		Map<String, Declared> declared = new HashMap<>();
		catalog.getDefinitions()
			.forEach((name, definition) -> declared.put(name.value(),
					new Declared(definition, catalog.getActions(name).stream().map(ServiceAction::id).toList(),
							catalog.getCapabilities(name).stream().map(ServiceCapability::id).toList())));
		return declared;
	}

	// every constant has its word: words() puts them all
	private static <E extends Enum<E>> String word(Map<E, String> words, E constant) {
		return Objects.requireNonNull(words.get(constant));
	}

	private static <E extends Enum<E>> Map<E, String> words(Class<E> type) {
		Map<E, String> words = new EnumMap<>(type);
		for (E constant : type.getEnumConstants()) {
			words.put(constant, constant.name().toLowerCase(Locale.ROOT));
		}
		return words;
	}

	// Formatting an Instant costs more than the rest of a descriptor; a service's 'since'
	// changes only with its state, so the text is kept per service until it does.
	private String format(String name, Instant since) {
		FormattedInstant formatted = this.formattedSince.get(name);
		if (formatted == null || !formatted.instant().equals(since)) {
			formatted = new FormattedInstant(since, since.toString());
			if (this.formattedSince.size() > MAX_FORMATTED) {
				// discovered services come and go; never let the cache grow without bound
				this.formattedSince.clear();
			}
			this.formattedSince.put(name, formatted);
		}
		return formatted.text();
	}

	private Map<String, BackendDescriptor> backends() {
		Map<String, BackendDescriptor> backends = new LinkedHashMap<>();
		this.catalog.availability().forEach((id, availability) -> backends.put(id, describe(availability)));
		return backends;
	}

	private BackendDescriptor describe(BackendAvailability availability) {
		return new BackendDescriptor(availability.available(), availability.reason());
	}

	private ServiceDescriptor describe(ServiceStatus status, Instant now) {
		Declared known = this.declared.get(status.name());
		ServiceDefinition definition = (known != null) ? known.definition() : null;
		Declared declared = (known != null && known.definition().target().equals(status.target())) ? known : null;
		Instant since = status.since();
		return new ServiceDescriptor(status.name(), status.backend(), status.target(), declared != null,
				word(STATES, status.state()), status.rawState(), status.pid(),
				(since != null) ? format(status.name(), since) : null,
				(since != null) ? Math.max(0, now.getEpochSecond() - since.getEpochSecond()) : null, status.restarts(),
				status.exitStatus(),
				(status.description() != null) ? status.description()
						: ((definition != null) ? definition.description() : null),
				status.message(), status.details(), (declared != null) ? declared.actions() : List.of(),
				(declared != null) ? declared.capabilities() : List.of(),
				declared != null && declared.definition().critical());
	}

	/**
	 * Every service and backend.
	 *
	 * @param services the services, declared first
	 * @param backends the backends' availability, keyed by id
	 * @param registration how the application itself is registered, or {@code null} when
	 * not reported
	 */
	public record ServicesDescriptor(
			@JsonSerialize(contentUsing = ServiceJsonSerializer.class) List<ServiceDescriptor> services,
			Map<String, BackendDescriptor> backends,
			@Nullable RegistrationDescriptor registration) implements OperationResponseBody {

	}

	/**
	 * How the application itself is registered with a supervisor.
	 *
	 * @param supervisor the supervisor that runs it (systemd, runit or supervisord), or,
	 * when none was detected, the configured one
	 * @param detected whether that supervisor was detected running the application
	 * @param name the unit, service or program name it runs under, or would be registered
	 * as
	 * @param definition the installed definition's main file (unit file, run script,
	 * program section), or {@code null} when it cannot be generated
	 * @param registered whether every file of the definition is installed
	 * @param upToDate whether the installed definition is exactly what the application
	 * would generate now
	 * @param differences one line per missing or differing file, naming the differing
	 * lines and directives but no values
	 * @param message a sentence about a problem, or {@code null}
	 */
	public record RegistrationDescriptor(String supervisor, boolean detected, String name, @Nullable String definition,
			boolean registered, boolean upToDate, List<String> differences, @Nullable String message) {

	}

	/**
	 * Whether a backend can be reached.
	 *
	 * @param available whether it can be reached
	 * @param reason why not, or {@code null}
	 */
	public record BackendDescriptor(boolean available, @Nullable String reason) {

	}

	/**
	 * One service.
	 *
	 * @param name the name it is addressed by
	 * @param backend the backend's id
	 * @param target the backend's name for it
	 * @param declared whether it is declared (only declared services can be acted upon)
	 * @param state the normalized state, lower case
	 * @param rawState the backend's own words for the state
	 * @param pid the main process id, or {@code null}
	 * @param since when it entered its state (ISO-8601), or {@code null}
	 * @param uptimeSeconds seconds since then, or {@code null}
	 * @param restarts how often it was restarted, or {@code null}
	 * @param exitStatus the last exit status, or {@code null}
	 * @param description its description, or {@code null}
	 * @param message a sentence explaining the state, or {@code null}
	 * @param details backend-specific facts
	 * @param actions the actions allowed on it
	 * @param capabilities the optional capabilities its backend offers for it, such as
	 * {@code log-tail}
	 * @param critical whether health is down while it does not run
	 */
	public record ServiceDescriptor(String name, String backend, String target, boolean declared, String state,
			String rawState, @Nullable Long pid, @Nullable String since, @Nullable Long uptimeSeconds,
			@Nullable Integer restarts, @Nullable Integer exitStatus, @Nullable String description,
			@Nullable String message, Map<String, String> details, List<String> actions, List<String> capabilities,
			boolean critical) implements OperationResponseBody {

	}

	/**
	 * The outcome of an action.
	 *
	 * @param name the service's name
	 * @param action the action, lower case
	 * @param outcome what came of it: done, no_change, failed, timeout, canceled or
	 * unsupported
	 * @param successful whether the service ended up as asked
	 * @param message a sentence a person can act on
	 * @param backendResult the backend's own word for the result, or {@code null}
	 * @param service the service's status read back after the action, or {@code null}
	 */
	public record ActionDescriptor(String name, String action, String outcome, boolean successful, String message,
			@Nullable String backendResult, @Nullable ServiceDescriptor service) implements OperationResponseBody {

	}

	/**
	 * The latest lines of a service's log.
	 *
	 * @param service the service's name
	 * @param backend the id of its backend
	 * @param lines the lines, oldest first
	 * @param truncated whether lines were left out or shortened to keep the answer
	 * bounded
	 */
	public record LogDescriptor(String service, String backend, List<LineDescriptor> lines,
			boolean truncated) implements OperationResponseBody {

	}

	/**
	 * One line of a log; {@code time} and {@code stream} are left out where the source
	 * does not keep them.
	 *
	 * @param time when it was written (ISO-8601), or {@code null}
	 * @param stream {@code stdout} or {@code stderr}, or {@code null}
	 * @param text the line, cleaned of terminal escapes and control characters
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record LineDescriptor(@Nullable String time, @Nullable String stream, String text) {

		static LineDescriptor of(ServiceLog.Line line) {
			Instant time = line.time();
			return new LineDescriptor((time != null) ? time.toString() : null, line.stream(), line.text());
		}

	}

	private record FormattedInstant(Instant instant, String text) {

	}

	private record Declared(ServiceDefinition definition, List<String> actions, List<String> capabilities) {

	}

}
