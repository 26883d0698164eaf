package io.github.supervision.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import io.github.supervision.SupervisionBackend;

/**
 * The backends a one-shot registration command opened, closed together when it ends.
 *
 * @author Supervision contributors
 */
final class Backends implements AutoCloseable {

	private final List<SupervisionBackend> opened = new ArrayList<>();

	/**
	 * Keep a backend until {@link #close()}.
	 * @param <B> the backend's type
	 * @param backend the backend
	 * @return the backend
	 */
	<B extends SupervisionBackend> B add(B backend) {
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
