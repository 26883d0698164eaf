package io.github.supervision.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.Assert;

/**
 * Configuration properties for the supervision meters.
 *
 * @author Supervision contributors
 */
@ConfigurationProperties("supervision.metrics")
public class SupervisionMetricsProperties {

	/**
	 * Whether services that backends discover, besides the declared ones, get meters.
	 * Each adds ten series, and a backend may discover hundreds.
	 */
	private boolean includeDiscovered;

	/**
	 * How old the status snapshot the meters read may grow before a scrape reads the
	 * catalog again in full. In between, the status changes the backends report keep it
	 * fresh without a call to any backend. At least one second, so that one scrape never
	 * reads the catalog twice.
	 */
	private Duration resyncInterval = Duration.ofSeconds(30);

	public boolean isIncludeDiscovered() {
		return this.includeDiscovered;
	}

	public void setIncludeDiscovered(boolean includeDiscovered) {
		this.includeDiscovered = includeDiscovered;
	}

	public Duration getResyncInterval() {
		return this.resyncInterval;
	}

	public void setResyncInterval(Duration resyncInterval) {
		Assert.isTrue(resyncInterval != null && resyncInterval.compareTo(Duration.ofSeconds(1)) >= 0,
				"'resyncInterval' must be at least 1s");
		this.resyncInterval = resyncInterval;
	}

}
