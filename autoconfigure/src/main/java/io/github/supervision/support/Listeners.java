package io.github.supervision.support;

import java.util.Objects;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;

/**
 * The listeners of one source of events: registration that hands back a way to leave, and
 * delivery that one failing listener cannot stop for the others. It delivers on the
 * calling thread; a source that must not wait for its listeners delivers from a thread of
 * its own.
 *
 * @param <L> the type of listener
 * @author Supervision contributors
 */
public final class Listeners<L> {

	private final CopyOnWriteArraySet<L> listeners = new CopyOnWriteArraySet<>();

	/**
	 * Add a listener.
	 * @param listener the listener
	 * @return what removes the listener when run
	 */
	public Runnable add(L listener) {
		Objects.requireNonNull(listener, "'listener' must not be null");
		this.listeners.add(listener);
		return () -> this.listeners.remove(listener);
	}

	/**
	 * Whether no listener is registered.
	 * @return {@code true} when there is none
	 */
	public boolean isEmpty() {
		return this.listeners.isEmpty();
	}

	/**
	 * Remove every listener.
	 */
	public void clear() {
		this.listeners.clear();
	}

	/**
	 * Call every listener. A listener that throws is skipped; the others are still
	 * called.
	 * @param call what to do with each listener, such as
	 * {@code (listener) -> listener.statusChanged(status)}
	 */
	public void forEach(Consumer<? super L> call) {
		for (L listener : this.listeners) {
			try {
				call.accept(listener);
			}
			catch (RuntimeException ex) {
				// one listener's failure must not keep the event from the others
			}
		}
	}

}
