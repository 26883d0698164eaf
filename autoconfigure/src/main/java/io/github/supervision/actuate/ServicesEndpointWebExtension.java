package io.github.supervision.actuate;

import java.security.Principal;
import java.util.function.Supplier;

import io.github.supervision.ActionInProgressException;
import io.github.supervision.ActionNotAllowedException;
import io.github.supervision.ActionResult;
import io.github.supervision.BackendUnavailableException;
import io.github.supervision.CapabilityNotSupportedException;
import io.github.supervision.InvalidActionException;
import io.github.supervision.InvalidServiceNameException;
import io.github.supervision.LogTailCapability;
import io.github.supervision.LogsNotEnabledException;
import io.github.supervision.PermissionDeniedException;
import io.github.supervision.SupervisionException;
import io.github.supervision.SupervisionTimeoutException;
import io.github.supervision.UnknownServiceException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;
import org.springframework.context.annotation.ImportRuntimeHints;

/**
 * {@link EndpointWebExtension @EndpointWebExtension} for the {@link ServicesEndpoint}
 * that answers errors with an HTTP status and a small JSON body ({@code error},
 * {@code message}) instead of a stack trace. The table is the same as in the README and
 * {@code docs/endpoint.md}.
 *
 * <table>
 * <caption>Status codes</caption>
 * <tr>
 * <th>status</th>
 * <th>{@code error} / outcome</th>
 * <th>when</th>
 * </tr>
 * <tr>
 * <td>200</td>
 * <td>outcome {@code done} or {@code no_change}</td>
 * <td>the action was done, or nothing needed doing</td>
 * </tr>
 * <tr>
 * <td>400</td>
 * <td>{@code invalid-name}</td>
 * <td>the name breaks the naming rule (1–255 of letters, digits, {@code _ . @ : - \}, not
 * starting with {@code . : - \}, no {@code ..}); checked before anything else</td>
 * </tr>
 * <tr>
 * <td>400</td>
 * <td>{@code invalid-action}</td>
 * <td>no or unknown action, or a {@code signal} action whose {@code signal} is missing or
 * not one of {@code HUP}, {@code INT}, {@code QUIT}, {@code USR1}, {@code USR2},
 * {@code TERM}, {@code KILL}, {@code ALRM}, {@code CONT}, {@code STOP}, {@code WINCH}
 * (the message lists them), or an {@code action} or {@code signal} in the query string
 * instead of the JSON body; nothing is touched</td>
 * </tr>
 * <tr>
 * <td>400</td>
 * <td>{@code invalid-lines}</td>
 * <td>{@code lines} of a log is not between 1 and 10,000</td>
 * </tr>
 * <tr>
 * <td>400</td>
 * <td>outcome {@code unsupported}</td>
 * <td>the backend cannot do that action (decided before the backend is called; the
 * message lists what it can do, or for {@code enable}, {@code disable},
 * {@code reset-failed} and {@code signal} says why the backend has no such thing), the
 * supervisor cannot send that signal (no control letter), or its daemon refused it as not
 * applicable to the service</td>
 * </tr>
 * <tr>
 * <td>400</td>
 * <td>{@code unsupported}</td>
 * <td>the backend cannot read that service's log</td>
 * </tr>
 * <tr>
 * <td>403</td>
 * <td>{@code not-allowed}</td>
 * <td><code>supervision.services.&lt;name&gt;.actions</code> does not list the
 * action</td>
 * </tr>
 * <tr>
 * <td>403</td>
 * <td>{@code logs-disabled}</td>
 * <td>reading logs is off ({@code supervision.logs.enabled},
 * <code>supervision.services.&lt;name&gt;.logs</code>)</td>
 * </tr>
 * <tr>
 * <td>404</td>
 * <td>{@code unknown-service}</td>
 * <td>not declared (writes, logs), or neither declared nor discovered (reads); the
 * backend is never called</td>
 * </tr>
 * <tr>
 * <td>404</td>
 * <td>{@code not-found}</td>
 * <td>a path under a service other than {@code log}</td>
 * </tr>
 * <tr>
 * <td>405</td>
 * <td></td>
 * <td>writes are not enabled</td>
 * </tr>
 * <tr>
 * <td>409</td>
 * <td>{@code action-in-progress}</td>
 * <td>another action on the same service is still in flight: the catalog keeps one action
 * at a time per service, for every backend; a caller asking for the action already in
 * flight joins it and gets its result, one asking for another is refused</td>
 * </tr>
 * <tr>
 * <td>409</td>
 * <td>outcome {@code canceled}</td>
 * <td>another action or shutdown canceled it</td>
 * </tr>
 * <tr>
 * <td>500</td>
 * <td>{@code permission-denied}</td>
 * <td>the operating system or supervisor refused this process; the message says how to
 * grant it</td>
 * </tr>
 * <tr>
 * <td>500</td>
 * <td>{@code error}</td>
 * <td>any other failure of the backend; the message says what failed</td>
 * </tr>
 * <tr>
 * <td>502</td>
 * <td>outcome {@code failed}</td>
 * <td>the action was tried and failed</td>
 * </tr>
 * <tr>
 * <td>503</td>
 * <td>{@code backend-unavailable}</td>
 * <td>the backend's daemon cannot be reached</td>
 * </tr>
 * <tr>
 * <td>504</td>
 * <td>outcome {@code timeout}, or {@code timeout}</td>
 * <td>the deadline ({@code supervision.action-timeout}, default 30 s) passed; the action
 * may still complete</td>
 * </tr>
 * </table>
 *
 * @author Supervision contributors
 */
@EndpointWebExtension(endpoint = ServicesEndpoint.class)
@ImportRuntimeHints(ServicesEndpointRuntimeHints.class)
public class ServicesEndpointWebExtension {

	/**
	 * The lines a log answer holds when the request does not say.
	 */
	public static final int DEFAULT_LINES = 100;

	private static final Log logger = LogFactory.getLog(ServicesEndpointWebExtension.class);

	private final ServicesEndpoint delegate;

	/**
	 * Create a new extension.
	 * @param delegate the endpoint
	 */
	public ServicesEndpointWebExtension(ServicesEndpoint delegate) {
		this.delegate = delegate;
	}

	/**
	 * List the services.
	 * @return the services
	 */
	@ReadOperation
	public WebEndpointResponse<? extends OperationResponseBody> services() {
		return respond(() -> new WebEndpointResponse<>(this.delegate.services()));
	}

	/**
	 * Describe one service.
	 * @param name the service's name
	 * @return the service, or an error
	 */
	@ReadOperation
	public WebEndpointResponse<? extends OperationResponseBody> service(@Selector String name) {
		return respond(() -> new WebEndpointResponse<>(this.delegate.service(name)));
	}

	/**
	 * Return the latest lines of a declared service's log: {@code GET
	 * /actuator/services/{name}/log?lines=N}. Not offered over JMX.
	 * @param name the service's name
	 * @param part the path segment after the name: only {@code log} exists
	 * @param lines the most lines to return, 1 to {@link LogTailCapability#MAX_LINES};
	 * {@value #DEFAULT_LINES} when not given
	 * @return the lines, or an error
	 */
	@ReadOperation
	public WebEndpointResponse<? extends OperationResponseBody> log(@Selector String name, @Selector String part,
			@Nullable Integer lines) {
		if (!"log".equals(part)) {
			return new WebEndpointResponse<>(
					new ErrorDescriptor("not-found", "A service has only one path below it: /log"),
					WebEndpointResponse.STATUS_NOT_FOUND);
		}
		int count = (lines != null) ? lines : DEFAULT_LINES;
		if (count < 1 || count > LogTailCapability.MAX_LINES) {
			return new WebEndpointResponse<>(
					new ErrorDescriptor("invalid-lines",
							"'lines' must be between 1 and " + LogTailCapability.MAX_LINES),
					WebEndpointResponse.STATUS_BAD_REQUEST);
		}
		return respond(() -> new WebEndpointResponse<>(this.delegate.log(name, count)));
	}

	/**
	 * Perform an action on a declared service.
	 * @param name the service's name
	 * @param action the action's name
	 * @param signal the signal's name for the {@code signal} action, such as {@code USR1}
	 * @param securityContext who asks, as the application's security knows them
	 * @return the outcome, or an error
	 */
	@WriteOperation
	public WebEndpointResponse<? extends OperationResponseBody> perform(@Selector String name, @Nullable String action,
			@Nullable String signal, SecurityContext securityContext) {
		Principal principal = securityContext.getPrincipal();
		return respond(() -> {
			ActionResult result = this.delegate.act(name, action, signal,
					(principal != null) ? principal.getName() : null);
			return new WebEndpointResponse<>(this.delegate.describe(name, result), statusOf(result.outcome()));
		});
	}

	private WebEndpointResponse<? extends OperationResponseBody> respond(
			Supplier<WebEndpointResponse<? extends OperationResponseBody>> operation) {
		try {
			return operation.get();
		}
		catch (SupervisionException ex) {
			return error(ex);
		}
	}

	private static int statusOf(ActionResult.Outcome outcome) {
		return switch (outcome) {
			case DONE, NO_CHANGE -> WebEndpointResponse.STATUS_OK;
			case UNSUPPORTED -> WebEndpointResponse.STATUS_BAD_REQUEST;
			case CANCELED -> 409;
			case FAILED -> 502;
			case TIMEOUT -> 504;
		};
	}

	private WebEndpointResponse<ErrorDescriptor> error(SupervisionException ex) {
		ErrorCode code = ErrorCode.of(ex);
		if (code.status >= 500) {
			logger.warn("services endpoint: " + code.id + ": " + ex.getMessage());
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("services endpoint: " + code.id + ": " + ex.getMessage());
		}
		return new WebEndpointResponse<>(new ErrorDescriptor(code.id, ex.getMessage()), code.status);
	}

	/**
	 * The body of an error response.
	 *
	 * @param error a stable code: invalid-name, invalid-action, invalid-lines,
	 * unsupported, not-allowed, logs-disabled, unknown-service, not-found,
	 * action-in-progress, permission-denied, backend-unavailable, timeout or error
	 * @param message a sentence a person can act on
	 */
	public record ErrorDescriptor(String error, @Nullable String message) implements OperationResponseBody {

	}

	private enum ErrorCode {

		INVALID_NAME("invalid-name", 400), INVALID_ACTION("invalid-action", 400), UNSUPPORTED("unsupported", 400),
		NOT_ALLOWED("not-allowed", 403), LOGS_DISABLED("logs-disabled", 403), UNKNOWN_SERVICE("unknown-service", 404),
		IN_PROGRESS("action-in-progress", 409), PERMISSION_DENIED("permission-denied", 500),
		BACKEND_UNAVAILABLE("backend-unavailable", 503), TIMEOUT("timeout", 504), ERROR("error", 500);

		private final String id;

		private final int status;

		ErrorCode(String id, int status) {
			this.id = id;
			this.status = status;
		}

		static ErrorCode of(SupervisionException ex) {
			if (ex instanceof InvalidServiceNameException) {
				return INVALID_NAME;
			}
			if (ex instanceof InvalidActionException) {
				return INVALID_ACTION;
			}
			if (ex instanceof CapabilityNotSupportedException) {
				return UNSUPPORTED;
			}
			if (ex instanceof ActionNotAllowedException) {
				return NOT_ALLOWED;
			}
			if (ex instanceof LogsNotEnabledException) {
				return LOGS_DISABLED;
			}
			if (ex instanceof UnknownServiceException) {
				return UNKNOWN_SERVICE;
			}
			if (ex instanceof ActionInProgressException) {
				return IN_PROGRESS;
			}
			if (ex instanceof PermissionDeniedException) {
				return PERMISSION_DENIED;
			}
			if (ex instanceof BackendUnavailableException) {
				return BACKEND_UNAVAILABLE;
			}
			if (ex instanceof SupervisionTimeoutException) {
				return TIMEOUT;
			}
			return ERROR;
		}

	}

}
