package io.github.supervision.selfregistration.activation;

import java.util.ArrayList;
import java.util.List;

import io.github.supervision.SupervisionBackend;

/**
 * The backends a one-shot registration command opened, closed together when it ends.
 *
 * @author Supervision contributors
 */
public final class Backends implements AutoCloseable {

	private final List<SupervisionBackend> opened = new ArrayList<>();

	/**
	 * Create an empty set of backends.
	 */
	public Backends() {
	}

	/**
	 * Keep a backend until {@link #close()}.
	 * @param <B> the backend's type
	 * @param backend the backend
	 * @return the backend
	 */
	public <B extends SupervisionBackend> B add(B backend) {
		this.opened.add(backend);
		return backend;
	}

	@Override
	public void close() {
		for (SupervisionBackend backend : this.opened) {
			try {
				backend.close();
			}
			catch (Exception ex) {
				// the command's outcome is already decided
			}
		}
		this.opened.clear();
	}

}
