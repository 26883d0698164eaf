package io.github.supervision.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties of the supervisord backend.
 *
 * @see io.github.supervision.supervisord.SupervisordBackend
 */
@ConfigurationProperties("supervision.supervisord")
public class SupervisordProperties {

	/**
	 * Whether the supervisord backend is enabled. By default it is created only when in
	 * use (a declared service names a program, or 'url' or 'discover' is set) or when
	 * /var/run/supervisor.sock exists. 'true' creates it even when nothing uses it;
	 * 'false' never creates it.
	 */
	private boolean enabled = true;

	/**
	 * Where supervisord's XML-RPC interface listens: 'unix:///path/to/supervisor.sock'
	 * for its [unix_http_server], or 'http://host:port' for its [inet_http_server] (the
	 * path defaults to /RPC2).
	 */
	private String url = "unix:///var/run/supervisor.sock";

	/**
	 * Username of supervisord's [unix_http_server] or [inet_http_server] section, when it
	 * asks for one.
	 */
	private @Nullable String username;

	/**
	 * Password of supervisord's [unix_http_server] or [inet_http_server] section. It is
	 * sent as basic authentication and never logged.
	 */
	private @Nullable String password;

	/**
	 * Most time opening a connection to supervisord may take.
	 */
	private Duration connectTimeout = Duration.ofSeconds(2);

	/**
	 * Most time reading the status of programs may take.
	 */
	private Duration readTimeout = Duration.ofSeconds(5);

	/**
	 * How long one read of every program's status is reused, and how often supervisord is
	 * polled while state changes are watched. Zero reads afresh every time.
	 */
	private Duration pollInterval = Duration.ofSeconds(1);

	/**
	 * Whether every program of supervisord is listed (read-only) besides the declared
	 * ones.
	 */
	private boolean discover = false;

	/**
	 * Most reads, and apart from them most actions, in flight to supervisord at once;
	 * supervisord is single-threaded, so further calls queue within their deadline, and a
	 * read never waits behind actions.
	 */
	private int maxInFlight = 2;

	/**
	 * Largest answer read from supervisord; reading stops beyond it.
	 */
	private DataSize maxResponseSize = DataSize.ofMegabytes(8);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getUrl() {
		return this.url;
	}

	public void setUrl(String url) {
		Assert.hasText(url, "'url' must not be empty");
		this.url = url;
	}

	public @Nullable String getUsername() {
		return this.username;
	}

	public void setUsername(@Nullable String username) {
		this.username = username;
	}

	public @Nullable String getPassword() {
		return this.password;
	}

	public void setPassword(@Nullable String password) {
		this.password = password;
	}

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		Assert.isTrue(connectTimeout != null && !connectTimeout.isNegative() && !connectTimeout.isZero(),
				"'connectTimeout' must be positive");
		this.connectTimeout = connectTimeout;
	}

	public Duration getReadTimeout() {
		return this.readTimeout;
	}

	public void setReadTimeout(Duration readTimeout) {
		Assert.isTrue(readTimeout != null && !readTimeout.isNegative() && !readTimeout.isZero(),
				"'readTimeout' must be positive");
		this.readTimeout = readTimeout;
	}

	public Duration getPollInterval() {
		return this.pollInterval;
	}

	public void setPollInterval(Duration pollInterval) {
		Assert.isTrue(pollInterval != null && !pollInterval.isNegative(), "'pollInterval' must not be negative");
		this.pollInterval = pollInterval;
	}

	public boolean isDiscover() {
		return this.discover;
	}

	public void setDiscover(boolean discover) {
		this.discover = discover;
	}

	public int getMaxInFlight() {
		return this.maxInFlight;
	}

	public void setMaxInFlight(int maxInFlight) {
		Assert.isTrue(maxInFlight >= 1 && maxInFlight <= 64, "'maxInFlight' must be between 1 and 64");
		this.maxInFlight = maxInFlight;
	}

	public DataSize getMaxResponseSize() {
		return this.maxResponseSize;
	}

	public void setMaxResponseSize(DataSize maxResponseSize) {
		Assert.isTrue(
				maxResponseSize != null && maxResponseSize.toBytes() >= 1024
						&& maxResponseSize.toBytes() <= Integer.MAX_VALUE,
				"'maxResponseSize' must be between 1KB and 2GB");
		this.maxResponseSize = maxResponseSize;
	}

}
