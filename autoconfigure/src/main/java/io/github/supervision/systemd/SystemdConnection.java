package io.github.supervision.systemd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import io.github.supervision.BackendAvailability;
import io.github.supervision.BackendUnavailableException;
import io.github.supervision.SupervisionException;
import io.github.supervision.support.DaemonThreadFactory;
import io.github.supervision.systemd.dbus.Manager;
import org.freedesktop.dbus.connections.IDisconnectCallback;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.CallbackHandler;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.Variant;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the backend's one bus connection to systemd: it opens it off the request path,
 * reopens it by itself with backoff when it drops or an attempt fails, says whether
 * systemd is available, and fails every call in flight when the connection is lost.
 * <p>
 * Each connection is subscribed to systemd's signals, with the handlers of the
 * {@link Events} in place before {@code Subscribe()} is called.
 *
 * @author Supervision contributors
 */
final class SystemdConnection {

	// the backend's name, which users already configure logging by
	private static final System.Logger logger = System.getLogger(SystemdBackend.class.getName());

	private static final String UNIX_PATH = "unix:path=";

	private final SystemdOptions options;

	private final String address;

	private final Executor workers;

	private final Events events;

	private final ScheduledExecutorService scheduler;

	private final Object lock = new Object();

	/**
	 * Changes when the connection or the manager's configuration changed, which makes
	 * every confirmed status stale.
	 */
	private final AtomicLong epoch = new AtomicLong();

	private @Nullable Session session;

	private @Nullable CompletableFuture<Session> connecting;

	private volatile BackendAvailability availability = BackendAvailability.down("Not connected to systemd yet");

	private long nextAttemptNanos;

	private Duration backoff;

	private int generation;

	private boolean reconnectScheduled;

	private volatile boolean closed;

	/**
	 * Create a connection. Nothing is opened until {@link #session()} is first called.
	 * @param options the settings
	 * @param address the bus address
	 * @param workers where connections are opened
	 * @param events what hears of the connection's life
	 */
	SystemdConnection(SystemdOptions options, String address, Executor workers, Events events) {
		this.options = options;
		this.address = address;
		this.workers = workers;
		this.events = events;
		this.backoff = options.reconnectMinBackoff();
		this.scheduler = Executors.newSingleThreadScheduledExecutor(new DaemonThreadFactory("systemd-reconnect-"));
	}

	/**
	 * Return whether systemd can be reached, or why not.
	 * @return the availability
	 */
	BackendAvailability availability() {
		return this.availability;
	}

	/**
	 * Return the current epoch, which changes whenever what was confirmed over the bus
	 * may no longer hold.
	 * @return the epoch
	 */
	long epoch() {
		return this.epoch.get();
	}

	/**
	 * Start a new epoch, because the manager's configuration changed.
	 */
	void advanceEpoch() {
		this.epoch.incrementAndGet();
	}

	/**
	 * Return whether a connection is open.
	 * @return {@code true} when it is
	 */
	boolean isConnected() {
		return current() != null;
	}

	/**
	 * Return the open connection.
	 * @return the session, or {@code null} when none is open
	 */
	@Nullable Session current() {
		synchronized (this.lock) {
			return this.session;
		}
	}

	/**
	 * Return the open connection, opening it when there is none. Fails at once, with the
	 * last reason, while the backoff after a failed attempt lasts.
	 * @return the session, when it is open
	 */
	CompletableFuture<Session> session() {
		return session(false);
	}

	private CompletableFuture<Session> session(boolean reconnecting) {
		synchronized (this.lock) {
			if (this.closed) {
				return CompletableFuture.failedFuture(new BackendUnavailableException("The systemd backend is closed"));
			}
			if (this.session != null) {
				return CompletableFuture.completedFuture(this.session);
			}
			if (this.connecting != null) {
				return this.connecting;
			}
			if (!reconnecting && System.nanoTime() < this.nextAttemptNanos) {
				return CompletableFuture.failedFuture(new BackendUnavailableException(
						Objects.requireNonNullElse(this.availability.reason(), "systemd is not reachable")));
			}
			int id = ++this.generation;
			CompletableFuture<Session> attempt = CompletableFuture.supplyAsync(() -> open(id), this.workers)
				.exceptionallyCompose((ex) -> CompletableFuture
					.failedFuture(new BackendUnavailableException("Cannot reach systemd on the bus at " + this.address
							+ ": " + Futures.describe(Futures.unwrap(ex)), Futures.unwrap(ex))));
			this.connecting = attempt;
			attempt.whenComplete((opened, ex) -> connected(attempt, opened, ex));
			return attempt;
		}
	}

	private void connected(CompletableFuture<Session> attempt, @Nullable Session opened, @Nullable Throwable ex) {
		boolean refresh = false;
		synchronized (this.lock) {
			if (this.connecting == attempt) {
				this.connecting = null;
			}
			// a connection that dropped before it was installed had its callback ignored
			boolean usable = opened != null && !opened.calls().isLost();
			if (usable && !this.closed) {
				this.epoch.incrementAndGet();
				this.session = opened;
				this.availability = BackendAvailability.up();
				this.backoff = this.options.reconnectMinBackoff();
				this.nextAttemptNanos = 0;
				refresh = true;
			}
			else if (!usable) {
				String reason = (opened != null) ? "The bus connection dropped while connecting to " + this.address
						: Futures.describe(Futures.unwrap(ex));
				this.availability = BackendAvailability.down(reason);
				logger.log(System.Logger.Level.DEBUG, reason);
				this.nextAttemptNanos = System.nanoTime() + this.backoff.toNanos();
				scheduleReconnect();
			}
		}
		if (opened != null && this.closed) {
			opened.connection().disconnect();
		}
		if (refresh && opened != null) {
			this.events.connected(opened);
		}
	}

	private Session open(int id) {
		DBusConnection connection = null;
		PendingCalls calls = new PendingCalls();
		try {
			if (this.address.startsWith(UNIX_PATH) && !this.address.contains(",")
					&& !Files.exists(Path.of(this.address.substring(UNIX_PATH.length())))) {
				// dbus-java retries a missing socket for its transport timeout; fail fast
				throw new NoSuchFileException(this.address.substring(UNIX_PATH.length()), null, "no bus socket there");
			}
			connection = DBusConnectionBuilder.forAddress(this.address)
				.transportConfig()
				.withTimeout((int) Math.min(Integer.MAX_VALUE, this.options.connectTimeout().toMillis()))
				.back()
				.withShared(false)
				.withImportWeakReferences(true)
				.withDisconnectCallback(new Disconnected(id, calls))
				.build();
			Manager manager = connection.getRemoteObject(Manager.BUS_NAME, Manager.OBJECT_PATH, Manager.class);
			this.events.opening(connection);
			Session session = new Session(id, connection, manager, calls);
			CompletableFuture<Object> subscribed = call(session, manager, "Subscribe");
			subscribed.get(this.options.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
			return session;
		}
		catch (DBusException | IOException | ExecutionException | TimeoutException | RuntimeException ex) {
			if (connection != null) {
				connection.disconnect();
			}
			throw new CompletionException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			if (connection != null) {
				connection.disconnect();
			}
			throw new CompletionException(ex);
		}
	}

	private void lost(int id, PendingCalls calls, @Nullable Throwable cause) {
		// first, so that the loads are done before the reconnection reads the units again
		calls.failAll(new BusLostException());
		disconnected(id, cause);
	}

	private void disconnected(int id, @Nullable Throwable cause) {
		Session lost;
		synchronized (this.lock) {
			if (this.session == null || this.session.id() != id || this.closed) {
				return;
			}
			lost = this.session;
			this.session = null;
			this.availability = BackendAvailability
				.down("Lost the connection to systemd on the bus at " + this.address + "; reconnecting");
		}
		logger.log(System.Logger.Level.INFO, "Lost the systemd bus connection ("
				+ ((cause != null) ? cause.getClass().getSimpleName() : "closed") + "); reconnecting");
		this.epoch.incrementAndGet();
		this.events.lost();
		this.workers.execute(lost.connection()::disconnect);
		scheduleReconnect();
	}

	/**
	 * Schedule the next connection attempt, after the connection dropped or an attempt
	 * failed: each failed attempt schedules the next one, with twice the wait, so that
	 * the backend comes back by itself, whether or not anything reads.
	 */
	private void scheduleReconnect() {
		synchronized (this.lock) {
			if (this.closed || this.reconnectScheduled) {
				return;
			}
			this.reconnectScheduled = true;
			Duration delay = this.backoff;
			Duration doubled = this.backoff.multipliedBy(2);
			this.backoff = (doubled.compareTo(this.options.reconnectMaxBackoff()) > 0)
					? this.options.reconnectMaxBackoff() : doubled;
			// under the lock: close() shuts the scheduler down only after setting closed
			this.scheduler.schedule(() -> {
				synchronized (this.lock) {
					this.reconnectScheduled = false;
				}
				session(true);
			}, delay.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	/**
	 * Call a method over a connection, without waiting. The call fails when the
	 * connection drops before systemd answers.
	 * @param <T> the type of the reply
	 * @param session the connection
	 * @param object the remote object
	 * @param method the method
	 * @param args the arguments
	 * @return the reply, when it arrives
	 */
	<T> CompletableFuture<T> call(Session session, DBusInterface object, String method, Object... args) {
		CompletableFuture<T> future = session.calls().track(new CompletableFuture<>());
		if (future.isDone()) {
			return future;
		}
		try {
			session.connection().callWithCallback(object, method, new CallbackHandler<T>() {

				@Override
				public void handle(T reply) {
					future.complete(reply);
				}

				@Override
				public void handleError(DBusExecutionException ex) {
					future.completeExceptionally(ex);
				}

			}, args);
		}
		catch (RuntimeException ex) {
			if (!session.connection().isConnected()) {
				// dropped without (or before) dbus-java's disconnect callback
				lost(session.id(), session.calls(), ex);
			}
			future.completeExceptionally(ex);
		}
		return future;
	}

	/**
	 * Read every property of a unit with one {@code GetAll}.
	 * @param session the connection
	 * @param unit the unit name
	 * @return the properties, when they arrive
	 */
	CompletableFuture<Map<String, Variant<?>>> getAll(Session session, String unit) {
		Properties properties;
		try {
			properties = session.connection()
				.getRemoteObject(Manager.BUS_NAME, UnitNames.objectPath(unit), Properties.class);
		}
		catch (DBusException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return call(session, properties, "GetAll", "");
	}

	/**
	 * Return why systemd could not be asked, for a request that failed before systemd
	 * answered.
	 * @param ex what the request failed with
	 * @return the exception to give the caller
	 */
	SupervisionException unavailable(Throwable ex) {
		Throwable cause = Futures.unwrap(ex);
		if (cause instanceof SupervisionException supervision) {
			return supervision;
		}
		if (cause instanceof TimeoutException) {
			return new BackendUnavailableException("systemd did not answer on the bus at " + this.address + " in time");
		}
		return new BackendUnavailableException(
				"Cannot reach systemd on the bus at " + this.address + ": " + Futures.describe(cause));
	}

	/**
	 * Close the connection for good; no attempt is made after this.
	 */
	void close() {
		Session current;
		synchronized (this.lock) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			current = this.session;
			this.session = null;
			this.availability = BackendAvailability.down("The systemd backend is closed");
		}
		if (current != null) {
			current.connection().disconnect();
		}
		this.scheduler.shutdownNow();
	}

	/**
	 * What hears of a connection's life. Each method is called on a thread of dbus-java
	 * or of the backend, and must not block.
	 */
	interface Events {

		/**
		 * Add signal handlers to a new connection, before it subscribes.
		 * @param connection the connection
		 * @throws DBusException when a handler cannot be added
		 */
		void opening(DBusConnection connection) throws DBusException;

		/**
		 * A connection is open and subscribed.
		 * @param session the connection
		 */
		void connected(Session session);

		/**
		 * The open connection dropped; every call in flight on it has failed, and a new
		 * attempt is scheduled.
		 */
		void lost();

	}

	/**
	 * One open connection.
	 *
	 * @param id which connection this is, counted from the first
	 * @param connection the bus connection
	 * @param manager systemd's manager object
	 * @param calls the calls in flight on it
	 */
	record Session(int id, DBusConnection connection, Manager manager, PendingCalls calls) {

	}

	private final class Disconnected implements IDisconnectCallback {

		private final int id;

		private final PendingCalls calls;

		Disconnected(int id, PendingCalls calls) {
			this.id = id;
			this.calls = calls;
		}

		@Override
		public void disconnectOnError(IOException ex) {
			lost(this.id, this.calls, ex);
		}

		@Override
		public void exceptionOnTerminate(IOException ex) {
			lost(this.id, this.calls, ex);
		}

		@Override
		public void requestedDisconnect(@Nullable Integer connectionId) {
			this.calls.failAll(new BusLostException());
		}

	}

}
