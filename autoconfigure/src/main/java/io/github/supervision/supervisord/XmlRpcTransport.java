package io.github.supervision.supervisord;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.supervision.BackendUnavailableException;
import io.github.supervision.PermissionDeniedException;
import io.github.supervision.SupervisionException;
import io.github.supervision.SupervisionTimeoutException;
import io.github.supervision.support.DaemonThreadFactory;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;

/**
 * Carries one XML-RPC call to one supervisord over HTTP, through its Unix socket
 * ({@code unix:///var/run/supervisor.sock}) or its TCP server
 * ({@code http://127.0.0.1:9001}), and turns the answer into XML-RPC values or the
 * exception that says what went wrong. Each call opens a new connection, so that a
 * supervisord that restarted is simply reached again; answers are read up to a byte cap.
 * Credentials are sent as a basic authorization header and appear in no message.
 *
 * @author Supervision contributors
 */
final class XmlRpcTransport implements AutoCloseable {

	private static final String UNIX_PREFIX = "unix://";

	private static final ContentType TEXT_XML = ContentType.create("text/xml", StandardCharsets.UTF_8);

	private final String description;

	private final @Nullable Path socket;

	private final URI uri;

	private final @Nullable String authorization;

	private final Duration connectTimeout;

	private final int maxResponseBytes;

	private final int maxConnections;

	private final Object lock = new Object();

	private @Nullable CloseableHttpAsyncClient httpClient;

	private volatile boolean closed;

	/**
	 * Create a transport. Nothing is connected until the first call.
	 * @param url {@code unix:///path/to/supervisor.sock} or {@code http://host:port} (the
	 * path defaults to {@code /RPC2})
	 * @param username the username, or {@code null} when supervisord needs none
	 * @param password the password, or {@code null}
	 * @param connectTimeout the most a connection may take to open
	 * @param maxConnections how many connections may be open at once
	 * @param maxResponseBytes the largest answer read; reading stops beyond it
	 * @throws IllegalArgumentException if the URL is not one of the accepted forms
	 */
	XmlRpcTransport(String url, @Nullable String username, @Nullable String password, Duration connectTimeout,
			int maxConnections, int maxResponseBytes) {
		if (url.startsWith(UNIX_PREFIX)) {
			String path = url.substring(UNIX_PREFIX.length());
			if (!path.startsWith("/") || path.indexOf('\0') >= 0) {
				throw new IllegalArgumentException(
						"A unix: supervisord URL names an absolute socket path, such as unix:///var/run/supervisor.sock");
			}
			this.socket = Path.of(path);
			this.uri = URI.create("http://localhost/RPC2");
			this.description = UNIX_PREFIX + path;
		}
		else {
			this.socket = null;
			this.uri = httpUri(url);
			this.description = this.uri.toString();
		}
		this.authorization = (username != null && !username.isEmpty()) ? "Basic " + Base64.getEncoder()
			.encodeToString((username + ":" + ((password != null) ? password : "")).getBytes(StandardCharsets.UTF_8))
				: null;
		this.connectTimeout = connectTimeout;
		this.maxResponseBytes = maxResponseBytes;
		this.maxConnections = maxConnections;
	}

	private static URI httpUri(String url) {
		URI uri;
		try {
			uri = new URI(url);
		}
		catch (URISyntaxException ex) {
			throw new IllegalArgumentException(
					"The supervisord URL is not a valid URL; use unix:///path/to/socket " + "or http://host:port");
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		if ((!scheme.equals("http") && !scheme.equals("https")) || uri.getHost() == null) {
			throw new IllegalArgumentException(
					"The supervisord URL must start with unix:// or http:// (https://) and name a host");
		}
		if (uri.getRawUserInfo() != null) {
			throw new IllegalArgumentException(
					"Do not put credentials in the supervisord URL; set the username and password properties");
		}
		String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/")) ? "/RPC2"
				: uri.getRawPath();
		return URI.create(scheme + "://" + uri.getHost() + ((uri.getPort() != -1) ? ":" + uri.getPort() : "") + path);
	}

	/**
	 * Return where this transport talks to, without credentials, for messages.
	 * @return the URL
	 */
	String description() {
		return this.description;
	}

	/**
	 * Send a call and return its answer as XML-RPC values.
	 * @param method the method
	 * @param body the encoded call
	 * @param deadline when the call must be answered, in {@link System#nanoTime()}
	 * @param timeout the call's whole deadline, for messages
	 * @return the answer (see {@link XmlRpcCodec#decodeResponse(byte[])})
	 */
	@Nullable Object send(SupervisordMethod method, byte[] body, long deadline, Duration timeout) {
		return decode(method, exchange(method, body, deadline, timeout));
	}

	/**
	 * Check that the socket, if the transport uses one, exists and may be opened.
	 */
	void checkSocket() {
		if (this.socket == null) {
			return;
		}
		if (!Files.exists(this.socket)) {
			throw new BackendUnavailableException("supervisord's socket " + this.socket
					+ " does not exist: supervisord is not running, or [unix_http_server] file= names another path");
		}
		if (!Files.isReadable(this.socket) || !Files.isWritable(this.socket)) {
			throw permissionDenied();
		}
	}

	private PermissionDeniedException permissionDenied() {
		return new PermissionDeniedException("This process may not open supervisord's socket " + this.socket,
				"The socket's mode comes from [unix_http_server] chmod= (0700 by default) and its owner from chown=; "
						+ "set for example chmod=0770 and chown=root:<a group of this application's user>, "
						+ "or use [inet_http_server] with a username and password");
	}

	private CappedResponseConsumer.Response exchange(SupervisordMethod method, byte[] body, long deadline,
			Duration timeout) {
		long remaining = deadline - System.nanoTime();
		if (remaining <= 0) {
			throw new SupervisionTimeoutException("Calling supervisord's " + method.methodName(), timeout);
		}
		SimpleRequestBuilder request = SimpleRequestBuilder.post(this.uri)
			.setBody(body, TEXT_XML)
			.setHeader(HttpHeaders.CONNECTION, "close");
		if (this.authorization != null) {
			request.setHeader(HttpHeaders.AUTHORIZATION, this.authorization);
		}
		RequestConfig.Builder config = RequestConfig.custom()
			.setAuthenticationEnabled(false)
			.setRedirectsEnabled(false)
			.setResponseTimeout(Timeout.of(remaining, TimeUnit.NANOSECONDS));
		if (this.socket != null) {
			config.setUnixDomainSocket(this.socket);
		}
		request.setRequestConfig(config.build());
		Future<CappedResponseConsumer.Response> future = httpClient().execute(
				SimpleRequestProducer.create(request.build()), new CappedResponseConsumer(this.maxResponseBytes), null);
		try {
			return future.get(remaining, TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			future.cancel(true);
			throw new SupervisionTimeoutException("Calling supervisord's " + method.methodName(), timeout);
		}
		catch (InterruptedException ex) {
			future.cancel(true);
			Thread.currentThread().interrupt();
			throw new SupervisionTimeoutException("Interrupted while calling supervisord", timeout);
		}
		catch (ExecutionException ex) {
			throw failure(ex.getCause(), method, timeout);
		}
	}

	/**
	 * Say what a failed exchange means.
	 * @param cause what the exchange failed with
	 * @param method the method called
	 * @param timeout the call's deadline
	 * @return the exception to throw
	 */
	SupervisionException failure(@Nullable Throwable cause, SupervisordMethod method, Duration timeout) {
		if (cause instanceof CappedResponseConsumer.ResponseTooLargeException) {
			return new AnswerLostException(
					"supervisord at " + this.description + " sent an answer larger than " + this.maxResponseBytes
							+ " bytes; reading stopped there (raise supervision.supervisord.max-response-size if it is "
							+ "really supervisord)");
		}
		if (cause instanceof SocketTimeoutException) {
			return new SupervisionTimeoutException("Calling supervisord's " + method.methodName(), timeout);
		}
		String text = (cause != null && cause.getMessage() != null) ? cause.getMessage().toLowerCase(Locale.ROOT) : "";
		if (text.contains("permission denied") && this.socket != null) {
			return permissionDenied();
		}
		if (cause instanceof ConnectException || cause instanceof NoRouteToHostException
				|| text.contains("connection refused")) {
			return new BackendUnavailableException("supervisord is not reachable at " + this.description
					+ ": the connection was refused; is supervisord running?");
		}
		if (cause instanceof ConnectionClosedException || cause instanceof SocketException) {
			return new ConnectionLostException("supervisord at " + this.description
					+ " closed the connection before it answered; it may be restarting");
		}
		String kind = (cause != null) ? cause.getClass().getSimpleName() : "unknown error";
		return new BackendUnavailableException("Calling supervisord at " + this.description + " failed (" + kind + ")");
	}

	private @Nullable Object decode(SupervisordMethod method, CappedResponseConsumer.Response response) {
		if (response.status() == 401) {
			throw new PermissionDeniedException("supervisord at " + this.description + " rejected the credentials",
					(this.authorization != null)
							? "Check supervision.supervisord.username and password against the username and "
									+ "password of supervisord's [unix_http_server] or [inet_http_server] section"
							: "supervisord asks for a username and password: set supervision.supervisord.username "
									+ "and password");
		}
		if (response.status() == 500 && (method == SupervisordMethod.TAIL_PROCESS_STDOUT_LOG
				|| method == SupervisordMethod.TAIL_PROCESS_STDERR_LOG)) {
			throw new UndecodableLogException("supervisord at " + this.description + " could not send the end of the "
					+ "log as text (HTTP 500): supervisord decodes logs as strict UTF-8, and these bytes are not");
		}
		if (response.status() != 200) {
			String what = (isHtml(response)) ? " with an HTML page" : "";
			throw new AnswerLostException("supervisord at " + this.description + " answered HTTP " + response.status()
					+ what + " instead of an XML-RPC response; check that the URL points at "
					+ "supervisord and that its [rpcinterface:supervisor] section is configured");
		}
		try {
			return XmlRpcCodec.decodeResponse(response.body());
		}
		catch (XmlRpcResponseException ex) {
			throw new AnswerLostException(
					"supervisord at " + this.description + " sent an invalid XML-RPC response: " + ex.getMessage(), ex);
		}
	}

	private static boolean isHtml(CappedResponseConsumer.Response response) {
		return response.contentType() != null && response.contentType().toLowerCase(Locale.ROOT).contains("html");
	}

	private CloseableHttpAsyncClient httpClient() {
		synchronized (this.lock) {
			if (this.closed) {
				throw new BackendUnavailableException("The supervisord client is closed");
			}
			if (this.httpClient == null) {
				CloseableHttpAsyncClient client = HttpAsyncClients.custom()
					.setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
						.setDefaultConnectionConfig(
								ConnectionConfig.custom().setConnectTimeout(Timeout.of(this.connectTimeout)).build())
						.setMaxConnTotal(this.maxConnections)
						.setMaxConnPerRoute(this.maxConnections)
						.build())
					.setIOReactorConfig(IOReactorConfig.custom().setIoThreadCount(1).build())
					.setThreadFactory(new DaemonThreadFactory("supervisord-client-"))
					.setConnectionReuseStrategy((request, response, context) -> false)
					.disableAutomaticRetries()
					.disableRedirectHandling()
					.disableCookieManagement()
					.disableAuthCaching()
					.disableContentCompression()
					.build();
				client.start();
				this.httpClient = client;
			}
			return this.httpClient;
		}
	}

	@Override
	public void close() {
		synchronized (this.lock) {
			this.closed = true;
			if (this.httpClient != null) {
				this.httpClient.close(CloseMode.GRACEFUL);
				this.httpClient = null;
			}
		}
	}

}
