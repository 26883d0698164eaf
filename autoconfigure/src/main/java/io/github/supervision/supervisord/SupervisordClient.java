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
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

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
 * An XML-RPC client for one supervisord instance, over its Unix socket
 * ({@code unix:///var/run/supervisor.sock}) or its TCP server
 * ({@code http://127.0.0.1:9001}). Each call opens a new connection, so that a
 * supervisord that restarted is simply reached again; at most a few actions and a few
 * reads are in flight at once (supervisord is single-threaded), each kind in slots of its
 * own so that a read never waits behind slow actions, and the others wait for a slot
 * within their own deadline. Answers are read up to a byte cap, parsed by
 * {@link XmlRpcCodec} and decoded into records by one typed method per remote call, which
 * throws what {@link #call(SupervisordMethod, List, Duration)} throws, and
 * {@link MalformedAnswerException} for an answer of another shape. Credentials are sent
 * as a basic authorization header and appear in no message.
 */
public final class SupervisordClient implements AutoCloseable {

	private static final String UNIX_PREFIX = "unix://";

	private static final ContentType TEXT_XML = ContentType.create("text/xml", StandardCharsets.UTF_8);

	private final String description;

	private final @Nullable Path socket;

	private final URI uri;

	private final @Nullable String authorization;

	private final Duration connectTimeout;

	private final int maxResponseBytes;

	private final int maxInFlight;

	private final Semaphore readSlots;

	private final Semaphore actionSlots;

	private final Object lock = new Object();

	private final Map<SupervisordMethod, LongAdder> sent = new EnumMap<>(SupervisordMethod.class);

	private @Nullable CloseableHttpAsyncClient httpClient;

	private volatile boolean closed;

	/**
	 * Create a new client. Nothing is connected until the first call.
	 * @param url {@code unix:///path/to/supervisor.sock} or {@code http://host:port} (the
	 * path defaults to {@code /RPC2})
	 * @param username the username, or {@code null} when supervisord needs none
	 * @param password the password, or {@code null}
	 * @param connectTimeout the most a connection may take to open
	 * @param maxInFlight how many reads, and apart from them how many actions, may be in
	 * flight at once
	 * @param maxResponseBytes the largest answer read; reading stops beyond it
	 * @throws IllegalArgumentException if the URL is not one of the accepted forms
	 */
	public SupervisordClient(String url, @Nullable String username, @Nullable String password, Duration connectTimeout,
			int maxInFlight, int maxResponseBytes) {
		if (url == null || url.isBlank()) {
			throw new IllegalArgumentException("The supervisord URL must not be empty");
		}
		if (maxInFlight < 1) {
			throw new IllegalArgumentException("At least one call must be allowed in flight");
		}
		if (maxResponseBytes < 1024) {
			throw new IllegalArgumentException("The response size cap must be at least 1 KB");
		}
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
		this.maxInFlight = maxInFlight;
		this.readSlots = new Semaphore(maxInFlight, true);
		this.actionSlots = new Semaphore(maxInFlight, true);
		for (SupervisordMethod method : SupervisordMethod.values()) {
			this.sent.put(method, new LongAdder());
		}
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
	 * Return where this client talks to, without credentials, for messages.
	 * @return the URL
	 */
	public String description() {
		return this.description;
	}

	/**
	 * Call a method and return its answer as XML-RPC values; the typed methods below
	 * decode it.
	 * @param method the method
	 * @param params its parameters
	 * @param timeout the most the call may take, including the wait for a free slot
	 * @return the answer (see {@link XmlRpcCodec#decodeResponse(byte[])})
	 * @throws SupervisordFaultException if supervisord answers with a fault
	 * @throws BackendUnavailableException if supervisord cannot be reached
	 * @throws AnswerLostException if the call was sent but the answer is an HTTP error,
	 * not XML-RPC or too large (the call may have taken effect)
	 * @throws PermissionDeniedException if the socket may not be opened or the
	 * credentials are rejected
	 * @throws ConnectionLostException if supervisord closed the connection before it
	 * answered (the call may have taken effect)
	 * @throws SupervisionTimeoutException if the deadline passes
	 */
	public @Nullable Object call(SupervisordMethod method, List<?> params, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		checkSocket();
		byte[] body = XmlRpcCodec.encodeCall(method, params);
		Semaphore slots = method.isRead() ? this.readSlots : this.actionSlots;
		boolean acquired;
		try {
			acquired = slots.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SupervisionTimeoutException("Interrupted while waiting to call supervisord", timeout);
		}
		if (!acquired) {
			throw new SupervisionTimeoutException("Waiting for one of the calls in flight to supervisord", timeout);
		}
		try {
			Objects.requireNonNull(this.sent.get(method)).increment();
			CappedResponseConsumer.Response response = exchange(method, body, deadline, timeout);
			return decode(method, response);
		}
		finally {
			slots.release();
		}
	}

	/**
	 * Return how many calls of a method this client has sent, for tests and benchmarks.
	 * @param method the method
	 * @return the number of calls sent
	 */
	long callsSent(SupervisordMethod method) {
		return Objects.requireNonNull(this.sent.get(method)).sum();
	}

	/**
	 * Call {@code supervisor.getAPIVersion()}.
	 * @param timeout the most the call may take
	 * @return the RPC API version, {@code 3.0} for supervisord 3.x and 4.x
	 * @throws MalformedAnswerException if the answer is not a string
	 */
	public String getAPIVersion(Duration timeout) {
		return XmlRpcAnswers.string(SupervisordMethod.GET_API_VERSION,
				call(SupervisordMethod.GET_API_VERSION, List.of(), timeout));
	}

	/**
	 * Call {@code supervisor.getState()}.
	 * @param timeout the most the call may take
	 * @return supervisord's own state
	 * @throws MalformedAnswerException if the answer is not a state struct
	 */
	public SupervisorState getState(Duration timeout) {
		return XmlRpcAnswers.state(call(SupervisordMethod.GET_STATE, List.of(), timeout));
	}

	/**
	 * Call {@code supervisor.getAllProcessInfo()}.
	 * @param timeout the most the call may take
	 * @return every process, in supervisord's order
	 * @throws MalformedAnswerException if the answer is not an array
	 */
	public List<ProcessInfo> getAllProcessInfo(Duration timeout) {
		return XmlRpcAnswers.processInfos(call(SupervisordMethod.GET_ALL_PROCESS_INFO, List.of(), timeout));
	}

	/**
	 * Call {@code supervisor.getProcessInfo(name)}.
	 * @param name the process, {@code name} or {@code group:name}
	 * @param timeout the most the call may take
	 * @return the process
	 * @throws MalformedAnswerException if the answer is not a struct
	 */
	public ProcessInfo getProcessInfo(String name, Duration timeout) {
		return XmlRpcAnswers.processInfo(call(SupervisordMethod.GET_PROCESS_INFO, List.of(name), timeout));
	}

	/**
	 * Call {@code supervisor.startProcess(name, wait)}.
	 * @param name the process, {@code name} or {@code group:name}
	 * @param wait whether supervisord answers only once the process is running
	 * @param timeout the most the call may take
	 */
	public void startProcess(String name, boolean wait, Duration timeout) {
		call(SupervisordMethod.START_PROCESS, List.of(name, wait), timeout);
	}

	/**
	 * Call {@code supervisor.stopProcess(name, wait)}.
	 * @param name the process, {@code name} or {@code group:name}
	 * @param wait whether supervisord answers only once the process has stopped
	 * @param timeout the most the call may take
	 */
	public void stopProcess(String name, boolean wait, Duration timeout) {
		call(SupervisordMethod.STOP_PROCESS, List.of(name, wait), timeout);
	}

	/**
	 * Call {@code supervisor.stopProcessGroup(name, wait)}.
	 * @param name the group
	 * @param wait whether supervisord answers only once its processes have stopped
	 * @param timeout the most the call may take
	 */
	public void stopProcessGroup(String name, boolean wait, Duration timeout) {
		call(SupervisordMethod.STOP_PROCESS_GROUP, List.of(name, wait), timeout);
	}

	/**
	 * Call {@code supervisor.startProcessGroup(name, wait)}.
	 * @param name the group
	 * @param wait whether supervisord answers only once its processes have started
	 * @param timeout the most the call may take
	 */
	public void startProcessGroup(String name, boolean wait, Duration timeout) {
		call(SupervisordMethod.START_PROCESS_GROUP, List.of(name, wait), timeout);
	}

	/**
	 * Call {@code supervisor.signalProcessGroup(name, signal)}.
	 * @param name the group
	 * @param signal the signal's name without {@code SIG}, such as {@code HUP}
	 * @param timeout the most the call may take
	 */
	public void signalProcessGroup(String name, String signal, Duration timeout) {
		call(SupervisordMethod.SIGNAL_PROCESS_GROUP, List.of(name, signal), timeout);
	}

	/**
	 * Call {@code supervisor.signalProcess(name, signal)}.
	 * @param name the process, {@code name} or {@code group:name}
	 * @param signal the signal's name without {@code SIG}, such as {@code HUP}
	 * @param timeout the most the call may take
	 */
	public void signalProcess(String name, String signal, Duration timeout) {
		call(SupervisordMethod.SIGNAL_PROCESS, List.of(name, signal), timeout);
	}

	/**
	 * Call {@code supervisor.tailProcessStdoutLog(name, offset, length)}.
	 * @param name the process, {@code name} or {@code group:name}
	 * @param offset where to start, {@code 0} for the last {@code length} bytes
	 * @param length how many bytes to read at most
	 * @param timeout the most the call may take
	 * @return the log's end
	 * @throws MalformedAnswerException if the answer is not a log tail
	 */
	public LogTail tailProcessStdoutLog(String name, int offset, int length, Duration timeout) {
		return tail(SupervisordMethod.TAIL_PROCESS_STDOUT_LOG, name, offset, length, timeout);
	}

	/**
	 * Call {@code supervisor.tailProcessStderrLog(name, offset, length)}.
	 * @param name the process, {@code name} or {@code group:name}
	 * @param offset where to start, {@code 0} for the last {@code length} bytes
	 * @param length how many bytes to read at most
	 * @param timeout the most the call may take
	 * @return the log's end
	 * @throws MalformedAnswerException if the answer is not a log tail
	 */
	public LogTail tailProcessStderrLog(String name, int offset, int length, Duration timeout) {
		return tail(SupervisordMethod.TAIL_PROCESS_STDERR_LOG, name, offset, length, timeout);
	}

	private LogTail tail(SupervisordMethod method, String name, int offset, int length, Duration timeout) {
		return XmlRpcAnswers.logTail(method, call(method, List.of(name, offset, length), timeout));
	}

	/**
	 * Call {@code supervisor.reloadConfig()}: re-read the configuration, applying
	 * nothing.
	 * @param timeout the most the call may take
	 * @return the groups the configuration adds, changes and removes
	 * @throws MalformedAnswerException if the answer is not the three lists of groups
	 */
	public UpdateResult reloadConfig(Duration timeout) {
		return XmlRpcAnswers.reloadConfig(call(SupervisordMethod.RELOAD_CONFIG, List.of(), timeout));
	}

	/**
	 * Call {@code supervisor.addProcessGroup(name)}.
	 * @param name the group, as the configuration names it
	 * @param timeout the most the call may take
	 */
	public void addProcessGroup(String name, Duration timeout) {
		call(SupervisordMethod.ADD_PROCESS_GROUP, List.of(name), timeout);
	}

	/**
	 * Call {@code supervisor.removeProcessGroup(name)}.
	 * @param name the group, whose processes must be stopped
	 * @param timeout the most the call may take
	 */
	public void removeProcessGroup(String name, Duration timeout) {
		call(SupervisordMethod.REMOVE_PROCESS_GROUP, List.of(name), timeout);
	}

	private void checkSocket() {
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
						.setMaxConnTotal(2 * this.maxInFlight)
						.setMaxConnPerRoute(2 * this.maxInFlight)
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
