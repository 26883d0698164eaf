package io.github.supervision.benchmarks.scale;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import io.github.supervision.supervisord.SupervisordBackend;
import io.github.supervision.supervisord.SupervisordClient;
import io.github.supervision.testsupport.SupervisordDaemon;
import org.jspecify.annotations.Nullable;

/**
 * N programs in the tests' real {@link SupervisordDaemon}: the running share has
 * {@code autostart=true} and runs {@code /bin/sleep 100000} ({@code startsecs=0}, no log
 * files), the others stay {@code STOPPED}. Native tools: {@code supervisorctl status} and
 * one {@code curl} of the raw {@code getAllProcessInfo} over the Unix socket, each a
 * whole process.
 *
 * @author Supervision contributors
 */
final class SupervisordScale implements ScaleTarget {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final Duration SLOW_READ = Duration.ofSeconds(20);

	// the backend's default answer limit; a bigger answer needs a bigger limit
	private static final long DEFAULT_MAX_RESPONSE = 8L * 1024 * 1024;

	private final List<String> programs = new ArrayList<>();

	private @Nullable SupervisordDaemon daemon;

	private @Nullable SupervisordBackend backend;

	private @Nullable SupervisordBackend uncached;

	private List<String> curl = List.of();

	private int up;

	private int answerBytes;

	@Override
	public String backend() {
		return "supervisord";
	}

	@Override
	public void start(int services, int up) throws Exception {
		this.up = up;
		StringBuilder config = new StringBuilder();
		for (int i = 0; i < services; i++) {
			String program = String.format(Locale.ROOT, "p%04d", i);
			this.programs.add(program);
			config.append("[program:")
				.append(program)
				.append("]\ncommand=/bin/sleep 100000\nstartsecs=0\nautostart=")
				.append(ScaleTarget.runs(i, services, up))
				.append("\nstdout_logfile=NONE\nstderr_logfile=NONE\n\n");
		}
		SupervisordDaemon daemon = SupervisordDaemon.withPrograms(config.toString());
		this.daemon = daemon;
		daemon.start();
		Path request = daemon.directory().resolve("request.xml");
		Files.writeString(request, "<?xml version=\"1.0\"?><methodCall><methodName>supervisor.getAllProcessInfo"
				+ "</methodName><params></params></methodCall>");
		Path curlConfig = daemon.directory().resolve("curl.conf");
		Files.writeString(curlConfig,
				"user = \"" + SupervisordDaemon.USERNAME + ":" + SupervisordDaemon.PASSWORD + "\"\n");
		this.curl = List.of("curl", "-sS", "--fail", "-K", curlConfig.toString(), "--unix-socket",
				daemon.socket().toString(), "-H", "Content-Type: text/xml", "--data-binary", "@" + request,
				"http://localhost/RPC2");
		this.backend = new SupervisordBackend(client(), Duration.ofSeconds(30), Duration.ofSeconds(1), false);
		this.uncached = new SupervisordBackend(client(), Duration.ofSeconds(30), Duration.ZERO, false);
		// supervisord answers slowly once thousands of programs run: one read that takes
		// longer than the timeout ends the attempt, with what was seen
		long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
		long seen = -1;
		String last = "";
		while (seen != up) {
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException(
						"Expected " + up + " running programs within 300 s, saw " + seen + "; last read " + last);
			}
			Thread.sleep(1000);
			long start = System.nanoTime();
			Map<String, ServiceStatus> statuses = this.uncached.status(this.programs, TIMEOUT);
			long took = (System.nanoTime() - start) / 1_000_000;
			seen = statuses.values().stream().filter((status) -> status.state() == ServiceState.RUNNING).count();
			last = took + " ms: " + statuses.values().iterator().next();
			if (took > SLOW_READ.toMillis()) {
				throw new IllegalStateException("One read of " + services + " programs took " + last);
			}
		}
		this.answerBytes = Commands.run(this.curl).length();
	}

	private SupervisordClient client() {
		SupervisordDaemon daemon = daemon();
		return new SupervisordClient(daemon.unixUrl(), SupervisordDaemon.USERNAME, SupervisordDaemon.PASSWORD,
				Duration.ofSeconds(2), 2, 256 * 1024 * 1024);
	}

	@Override
	public Map<String, String> properties() {
		SupervisordDaemon daemon = daemon();
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("supervision.supervisord.url", daemon.unixUrl());
		properties.put("supervision.supervisord.username", SupervisordDaemon.USERNAME);
		properties.put("supervision.supervisord.password", SupervisordDaemon.PASSWORD);
		if (this.answerBytes > DEFAULT_MAX_RESPONSE * 3 / 4) {
			properties.put("supervision.supervisord.max-response-size", "256MB");
		}
		for (String program : this.programs) {
			properties.put("supervision.services." + program + ".program", program);
		}
		return properties;
	}

	@Override
	public List<Operation> statusOperations() {
		SupervisordBackend backend = this.backend;
		SupervisordBackend uncached = this.uncached;
		if (backend == null || uncached == null) {
			throw new IllegalStateException("Not started");
		}
		return List.of(
				new Operation("status(), default 1 s poll-interval", () -> backend.status(this.programs, TIMEOUT)),
				new Operation("status(), poll-interval=0", () -> uncached.status(this.programs, TIMEOUT)));
	}

	@Override
	public List<Operation> nativeOperations(ProcessHandle owner) {
		// supervisorctl status exits with 3 when a program is not running
		List<String> ctl = List.of(SupervisordDaemon.SUPERVISORCTL, "-c", daemon().config().toString(), "status");
		return List.of(new Operation("supervisorctl status (process)", () -> Commands.run(ctl, 0, 3)),
				new Operation("curl getAllProcessInfo, unix socket (process)", () -> Commands.run(this.curl)));
	}

	@Override
	public String describe() {
		return String.format(Locale.ROOT,
				"%d programs in one supervisord, %d running sleep (autostart), getAllProcessInfo %d bytes",
				this.programs.size(), this.up, this.answerBytes);
	}

	private SupervisordDaemon daemon() {
		SupervisordDaemon daemon = this.daemon;
		if (daemon == null) {
			throw new IllegalStateException("Not started");
		}
		return daemon;
	}

	@Override
	public void stop() throws Exception {
		if (this.backend != null) {
			this.backend.close();
		}
		if (this.uncached != null) {
			this.uncached.close();
		}
		if (this.daemon != null) {
			this.daemon.close();
		}
	}

}
