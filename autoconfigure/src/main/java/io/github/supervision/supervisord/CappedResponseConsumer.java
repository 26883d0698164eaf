package io.github.supervision.supervisord;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

import org.apache.hc.client5.http.async.methods.AbstractBinResponseConsumer;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpResponse;
import org.jspecify.annotations.Nullable;

/**
 * Reads a response body up to a cap and fails as soon as the cap is passed, so that a
 * hostile or confused server cannot make us buffer an unbounded answer.
 */
final class CappedResponseConsumer extends AbstractBinResponseConsumer<CappedResponseConsumer.Response> {

	private final int cap;

	private final ByteArrayOutputStream body = new ByteArrayOutputStream(8192);

	private int status;

	private @Nullable String contentType;

	CappedResponseConsumer(int cap) {
		this.cap = cap;
	}

	@Override
	protected void start(HttpResponse response, ContentType contentType) throws IOException {
		this.status = response.getCode();
		this.contentType = (contentType != null) ? contentType.getMimeType() : null;
		Header length = response.getFirstHeader(HttpHeaders.CONTENT_LENGTH);
		if (length != null) {
			try {
				if (Long.parseLong(length.getValue().strip()) > this.cap) {
					throw new ResponseTooLargeException();
				}
			}
			catch (NumberFormatException ex) {
				// the HTTP layer rejects a malformed length itself
			}
		}
	}

	@Override
	protected int capacityIncrement() {
		return 64 * 1024;
	}

	@Override
	protected void data(ByteBuffer src, boolean endOfStream) throws IOException {
		int count = src.remaining();
		if (this.body.size() + (long) count > this.cap) {
			throw new ResponseTooLargeException();
		}
		byte[] chunk = new byte[count];
		src.get(chunk);
		this.body.write(chunk, 0, count);
	}

	@Override
	protected Response buildResult() {
		return new Response(this.status, this.contentType, this.body.toByteArray());
	}

	@Override
	public void releaseResources() {
	}

	/**
	 * An HTTP answer read within the cap.
	 *
	 * @param status the HTTP status
	 * @param contentType the body's media type, if the server named one
	 * @param body the body
	 */
	// the body is handed on once and never compared or kept
	@SuppressWarnings("ArrayRecordComponent")
	record Response(int status, @Nullable String contentType, byte[] body) {

	}

	/**
	 * Signals that an answer passed the size cap.
	 */
	static final class ResponseTooLargeException extends IOException {

		private static final long serialVersionUID = 1L;

		ResponseTooLargeException() {
			super("The answer is larger than the cap");
		}

	}

}
