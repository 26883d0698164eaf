package io.github.supervision.embedded;

import java.nio.charset.StandardCharsets;

/**
 * Bounded in-memory tail of a service's output: a ring buffer that keeps the latest bytes
 * written to it.
 *
 * @author Supervision contributors
 */
final class OutputTail {

	private final byte[] buffer;

	private long written;

	OutputTail(int capacity) {
		this.buffer = new byte[Math.max(0, capacity)];
	}

	/**
	 * Return how many bytes the tail keeps.
	 * @return the capacity
	 */
	int capacity() {
		return this.buffer.length;
	}

	/**
	 * Append bytes, dropping the oldest ones beyond the capacity.
	 * @param bytes the bytes
	 * @param offset where they start
	 * @param length how many there are
	 */
	synchronized void write(byte[] bytes, int offset, int length) {
		int capacity = this.buffer.length;
		if (capacity == 0 || length <= 0) {
			return;
		}
		if (length > capacity) {
			offset += length - capacity;
			this.written += length - capacity;
			length = capacity;
		}
		int position = (int) (this.written % capacity);
		int first = Math.min(length, capacity - position);
		System.arraycopy(bytes, offset, this.buffer, position, first);
		System.arraycopy(bytes, offset + first, this.buffer, 0, length - first);
		this.written += length;
	}

	/**
	 * Return the bytes kept, oldest first.
	 * @return a copy of the tail
	 */
	synchronized byte[] bytes() {
		int capacity = this.buffer.length;
		int size = (int) Math.min(this.written, capacity);
		byte[] copy = new byte[size];
		if (size == 0) {
			return copy;
		}
		int start = (int) ((this.written - size) % capacity);
		int first = Math.min(size, capacity - start);
		System.arraycopy(this.buffer, start, copy, 0, first);
		System.arraycopy(this.buffer, 0, copy, first, size - first);
		return copy;
	}

	/**
	 * Return the tail as text, decoded as UTF-8 (a character cut at the start shows as a
	 * replacement character).
	 * @return the text
	 */
	String text() {
		return new String(bytes(), StandardCharsets.UTF_8);
	}

	/**
	 * Return how many bytes were written in all.
	 * @return the count, including those dropped
	 */
	synchronized long written() {
		return this.written;
	}

}
