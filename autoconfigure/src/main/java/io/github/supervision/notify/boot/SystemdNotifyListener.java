package io.github.supervision.notify.boot;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.github.supervision.notify.SystemdNotifier;
import io.github.supervision.support.DaemonThreadFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Speaks sd_notify for the application: {@code STATUS=} while starting and
 * {@code EXTEND_TIMEOUT_USEC} while start-up makes progress, {@code READY=1} when
 * readiness becomes {@code ACCEPTING_TRAFFIC}, {@code WATCHDOG=1} every half of the
 * watchdog interval while liveness is not {@code BROKEN} (and, optionally, health is not
 * DOWN), and {@code STOPPING=1} when the context closes. Every message is sent from one
 * thread of its own, so a slow socket never holds up the application.
 *
 * @author Supervision contributors
 */
public class SystemdNotifyListener
		implements ApplicationListener<ApplicationEvent>, ApplicationContextAware, DisposableBean {

	private final SystemdNotifier notifier;

	private final @Nullable NotifyStartupProgress progress;

	private final BooleanSupplier healthy;

	private final @Nullable ScheduledExecutorService executor;

	private @Nullable ApplicationContext context;

	private volatile boolean ready;

	private volatile boolean broken;

	private volatile long lastProgress = -1;

	/**
	 * Create a listener; with an enabled notifier it reports {@code STATUS=Starting} at
	 * once.
	 * @param notifier the notifier
	 * @param startupExtension how much more start-up time to ask for while start-up makes
	 * progress, or zero for none
	 * @param progress the count of initialized beans, or {@code null}
	 * @param healthy whether the application's health allows watchdog pings
	 */
	public SystemdNotifyListener(SystemdNotifier notifier, Duration startupExtension,
			@Nullable NotifyStartupProgress progress, BooleanSupplier healthy) {
		this.notifier = notifier;
		this.progress = progress;
		this.healthy = healthy;
		if (!notifier.isEnabled()) {
			this.executor = null;
			return;
		}
		this.executor = Executors.newSingleThreadScheduledExecutor(new DaemonThreadFactory("sd-notify-"));
		this.executor.execute(() -> notifier.status("Starting"));
		if (!startupExtension.isZero() && !startupExtension.isNegative()) {
			long period = Math.max(1, startupExtension.toMillis() / 3);
			this.executor.scheduleAtFixedRate(() -> extend(startupExtension), period, period, TimeUnit.MILLISECONDS);
		}
		notifier.getWatchdogInterval().ifPresent((interval) -> {
			long period = Math.max(1, interval.toMillis() / 2);
			this.executor.scheduleAtFixedRate(this::watchdog, 0, period, TimeUnit.MILLISECONDS);
		});
	}

	@Override
	public void setApplicationContext(ApplicationContext context) {
		this.context = context;
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (this.executor == null) {
			return;
		}
		if (event instanceof AvailabilityChangeEvent<?> change) {
			onAvailabilityChange(change.getState());
		}
		else if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == this.context) {
			send(() -> this.notifier.stopping("Stopping"));
			destroy();
		}
	}

	private void onAvailabilityChange(Object state) {
		if (state == ReadinessState.ACCEPTING_TRAFFIC) {
			boolean first = !this.ready;
			this.ready = true;
			if (first) {
				String seconds = String.format(Locale.ROOT, "%.1f",
						ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
				send(() -> this.notifier.ready("Started in " + seconds + " s"));
			}
			else {
				send(() -> this.notifier.status("Accepting traffic"));
			}
		}
		else if (state == ReadinessState.REFUSING_TRAFFIC && this.ready) {
			send(() -> this.notifier.status("Refusing traffic"));
		}
		else if (state == LivenessState.BROKEN) {
			this.broken = true;
			send(() -> this.notifier.status("Liveness is BROKEN: watchdog pings stopped"));
		}
		else if (state == LivenessState.CORRECT && this.broken) {
			this.broken = false;
			send(() -> this.notifier.status("Liveness is CORRECT again: watchdog pings resumed"));
		}
	}

	private void extend(Duration extension) {
		if (this.ready || this.progress == null) {
			return;
		}
		long initialized = this.progress.getInitialized();
		if (initialized != this.lastProgress) {
			this.lastProgress = initialized;
			this.notifier.extendTimeout(extension);
		}
	}

	private void watchdog() {
		if (this.broken) {
			return;
		}
		boolean healthy;
		try {
			healthy = this.healthy.getAsBoolean();
		}
		catch (RuntimeException ex) {
			healthy = false;
		}
		if (healthy) {
			this.notifier.watchdog();
		}
	}

	private void send(Runnable message) {
		ScheduledExecutorService executor = this.executor;
		if (executor != null && !executor.isShutdown()) {
			executor.execute(message);
		}
	}

	@Override
	public void destroy() {
		ScheduledExecutorService executor = this.executor;
		if (executor == null || executor.isShutdown()) {
			return;
		}
		executor.shutdown();
		try {
			executor.awaitTermination(2, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		executor.shutdownNow();
	}

}
