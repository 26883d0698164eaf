package io.github.supervision.autoconfigure;

import io.github.supervision.SupervisionBackend;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * Starts every {@link SupervisionBackend} once the application context has started (the
 * embedded backend then starts its autostart services). Backends are closed with the
 * context, as the {@link AutoCloseable} beans they are.
 *
 * @author Supervision contributors
 */
public class SupervisionLifecycle implements SmartLifecycle {

	private final ObjectProvider<SupervisionBackend> backends;

	private volatile boolean running;

	SupervisionLifecycle(ObjectProvider<SupervisionBackend> backends) {
		this.backends = backends;
	}

	@Override
	public void start() {
		this.backends.orderedStream().forEach(SupervisionBackend::start);
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
