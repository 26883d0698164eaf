package io.github.supervision.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Plain HTTP calls to an application on the loopback address, for the tests that drive
 * the endpoint over a real connection.
 *
 * @author Supervision contributors
 */
public final class LocalHttp {

	private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private LocalHttp() {
	}

	/**
	 * Send a GET.
	 * @param port the application's port on 127.0.0.1
	 * @param path the path, such as {@code /actuator/services}
	 * @return the response
	 * @throws IOException if the call fails
	 * @throws InterruptedException if interrupted
	 */
	public static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
		return CLIENT.send(request(port, path).GET().build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * Send a POST with a JSON body.
	 * @param port the application's port on 127.0.0.1
	 * @param path the path, such as {@code /actuator/services/x}
	 * @param json the body
	 * @return the response
	 * @throws IOException if the call fails
	 * @throws InterruptedException if interrupted
	 */
	public static HttpResponse<String> post(int port, String path, String json)
			throws IOException, InterruptedException {
		return CLIENT.send(request(port, path).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpRequest.Builder request(int port, String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(TIMEOUT);
	}

}
