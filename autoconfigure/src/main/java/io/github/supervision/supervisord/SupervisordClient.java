package io.github.supervision.supervisord;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.github.supervision.BackendUnavailableException;
import io.github.supervision.PermissionDeniedException;
import io.github.supervision.SupervisionException;
import io.github.supervision.SupervisionTimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * An XML-RPC client for one supervisord instance, over its Unix socket
 * ({@code unix:///var/run/supervisor.sock}) or its TCP server
 * ({@code http://127.0.0.1:9001}), through an {@link XmlRpcTransport}. Each call opens a
 * new connection, so that a supervisord that restarted is simply reached again; at most a
 * few actions and a few reads are in flight at once (supervisord is single-threaded),
 * each kind in slots of its own so that a read never waits behind slow actions, and the
 * others wait for a slot within their own deadline. Answers are read up to a byte cap,
 * parsed by {@link XmlRpcCodec} and decoded into records by one typed method per remote
 * call, which throws what {@link #call(SupervisordMethod, List, Duration)} throws, and
 * {@link MalformedAnswerException} for an answer of another shape. Credentials are sent
 * as a basic authorization header and appear in no message.
 */
public final class SupervisordClient implements AutoCloseable {

	private final XmlRpcTransport transport;

	private final Semaphore readSlots;

	private final Semaphore actionSlots;

	private final Map<SupervisordMethod, LongAdder> sent = new EnumMap<>(SupervisordMethod.class);

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
		this.transport = new XmlRpcTransport(url, username, password, connectTimeout, 2 * maxInFlight,
				maxResponseBytes);
		this.readSlots = new Semaphore(maxInFlight, true);
		this.actionSlots = new Semaphore(maxInFlight, true);
		for (SupervisordMethod method : SupervisordMethod.values()) {
			this.sent.put(method, new LongAdder());
		}
	}

	/**
	 * Return where this client talks to, without credentials, for messages.
	 * @return the URL
	 */
	public String description() {
		return this.transport.description();
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
		this.transport.checkSocket();
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
			return this.transport.send(method, body, deadline, timeout);
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

	/**
	 * Say what a failed exchange means, for tests.
	 * @param cause what the exchange failed with
	 * @param method the method called
	 * @param timeout the call's deadline
	 * @return the exception to throw
	 */
	SupervisionException failure(@Nullable Throwable cause, SupervisordMethod method, Duration timeout) {
		return this.transport.failure(cause, method, timeout);
	}

	@Override
	public void close() {
		this.transport.close();
	}

}
