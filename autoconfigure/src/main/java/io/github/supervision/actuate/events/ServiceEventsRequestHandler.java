package io.github.supervision.actuate.events;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

import io.github.supervision.CapabilityNotSupportedException;
import io.github.supervision.InvalidServiceNameException;
import io.github.supervision.LogsNotEnabledException;
import io.github.supervision.ServiceName;
import io.github.supervision.UnknownServiceException;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.util.Assert;
import org.springframework.web.HttpRequestHandler;

/**
 * {@link HttpRequestHandler} of {@code GET /actuator/serviceevents}: a Server-Sent Events
 * stream of the status changes of declared services, each event carrying the JSON of the
 * service's entry in {@code /actuator/services}. {@code ?service=a,b} filters it;
 * {@code ?service=a&log=true} adds the new lines of those services' logs as {@code log}
 * events (only where their logs are on). {@code Last-Event-ID} resumes it. The response
 * is asynchronous: no request thread waits while a client listens.
 *
 * @author Supervision contributors
 */
public class ServiceEventsRequestHandler implements HttpRequestHandler {

	/**
	 * The id under which the stream is exposed and secured, like an endpoint's.
	 */
	public static final String ID = "serviceevents";

	private static final String EVENT_STREAM = "text/event-stream;charset=UTF-8";

	private final ServiceEventBroadcaster broadcaster;

	/**
	 * Create a new handler.
	 * @param broadcaster the source of the events
	 */
	public ServiceEventsRequestHandler(ServiceEventBroadcaster broadcaster) {
		Assert.notNull(broadcaster, "'broadcaster' must not be null");
		this.broadcaster = broadcaster;
	}

	@Override
	public void handleRequest(HttpServletRequest request, HttpServletResponse response) throws IOException {
		if (!"GET".equals(request.getMethod())) {
			response.setHeader(HttpHeaders.ALLOW, "GET");
			error(response, 405, "method-not-allowed", "The event stream is read with GET");
			return;
		}
		Set<String> services;
		try {
			services = services(request.getParameterValues("service"));
		}
		catch (InvalidServiceNameException ex) {
			error(response, 400, "invalid-name", ex.getMessage());
			return;
		}
		catch (UnknownServiceException ex) {
			error(response, 404, "unknown-service", ex.getMessage());
			return;
		}
		boolean followLogs = "true".equals(request.getParameter("log"));
		if (followLogs) {
			if (services == null) {
				error(response, 400, "invalid-request", "Following logs needs the services: ?service=name&log=true");
				return;
			}
			try {
				this.broadcaster.checkLogs(services);
			}
			catch (LogsNotEnabledException ex) {
				error(response, 403, "logs-disabled", ex.getMessage());
				return;
			}
			catch (CapabilityNotSupportedException ex) {
				error(response, 400, "unsupported", ex.getMessage());
				return;
			}
		}
		if (!request.isAsyncSupported()) {
			error(response, 500, "error", "The event stream needs asynchronous requests");
			return;
		}
		response.setStatus(200);
		response.setContentType(EVENT_STREAM);
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
		// nginx buffers responses unless told not to
		response.setHeader("X-Accel-Buffering", "no");
		AsyncContext async = request.startAsync(request, response);
		async.setTimeout(0);
		ServiceEventBroadcaster.Client client = this.broadcaster.open(services, request.getHeader("Last-Event-ID"),
				response.getOutputStream(), () -> complete(async), followLogs);
		if (client == null) {
			response.reset();
			response.setHeader(HttpHeaders.RETRY_AFTER, "10");
			error(response, 503, "too-many-clients", "The event stream has its maximum number of clients");
			async.complete();
			return;
		}
		async.addListener(new ClientListener(client));
		// the headers go out now: the client knows the stream is open before any event;
		// only then may the writer, on another thread, use the response
		response.flushBuffer();
		client.start();
	}

	private @Nullable Set<String> services(String @Nullable [] values) {
		if (values == null) {
			return null;
		}
		Set<String> services = new LinkedHashSet<>();
		for (String value : values) {
			for (String each : value.split(",", -1)) {
				String name = ServiceName.of(each.trim()).value();
				if (!this.broadcaster.isDeclared(name)) {
					throw new UnknownServiceException(name);
				}
				services.add(name);
			}
		}
		return services;
	}

	private static void complete(AsyncContext async) {
		try {
			async.complete();
		}
		catch (IllegalStateException ex) {
			// already completed, or the request was recycled
		}
	}

	private static void error(HttpServletResponse response, int status, String code, @Nullable String message)
			throws IOException {
		response.setStatus(status);
		response.setContentType("application/json");
		byte[] body = ("{\"error\":\"" + code + "\",\"message\":\"" + escape(message) + "\"}")
			.getBytes(StandardCharsets.UTF_8);
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

	private static String escape(@Nullable String message) {
		if (message == null) {
			return "";
		}
		StringBuilder escaped = new StringBuilder(message.length());
		for (int i = 0; i < message.length(); i++) {
			char c = message.charAt(i);
			if (c == '"' || c == '\\') {
				escaped.append('\\').append(c);
			}
			else if (c < 0x20) {
				escaped.append(String.format("\\u%04x", (int) c));
			}
			else {
				escaped.append(c);
			}
		}
		return escaped.toString();
	}

	// Ends the response whatever ends the client: a request that the container failed
	// and nobody completed would otherwise be dispatched to the error page
	private record ClientListener(ServiceEventBroadcaster.Client client) implements AsyncListener {

		@Override
		public void onComplete(AsyncEvent event) {
			this.client.close();
		}

		@Override
		public void onTimeout(AsyncEvent event) {
			this.client.close();
			complete(event.getAsyncContext());
		}

		@Override
		public void onError(AsyncEvent event) {
			this.client.close();
			complete(event.getAsyncContext());
		}

		@Override
		public void onStartAsync(AsyncEvent event) {
		}

	}

}
