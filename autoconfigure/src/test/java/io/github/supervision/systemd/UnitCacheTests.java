package io.github.supervision.systemd;

import java.util.Map;

import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link UnitCache}: which of a reply and a signal wins, and when a confirmed
 * status is fresh.
 *
 * @author Supervision contributors
 */
class UnitCacheTests {

	private static final long TTL = 1_000_000_000L;

	@Test
	void replyDoesNotOverwriteWhatASignalHandledAfterTheCallWasSentSaid() {
		UnitCache cache = new UnitCache("a.service");
		cache.replace(Map.of("ActiveState", "inactive", "SubState", "dead", "Description", "A"), 0);
		long sentAt = 5;
		cache.signalled(Map.of("ActiveState", "active", "SubState", "running"), 6);
		cache.mergeListed(Map.of("ActiveState", "activating", "SubState", "start", "Description", "B"), sentAt);
		assertThat(cache.properties()).containsEntry("ActiveState", "active")
			.containsEntry("SubState", "running")
			.containsEntry("Description", "B");
		cache.replace(Map.of("ActiveState", "activating", "SubState", "start", "Description", "C", "MainPID", 7L),
				sentAt);
		assertThat(cache.properties()).containsEntry("ActiveState", "active")
			.containsEntry("Description", "C")
			.containsEntry("MainPID", 7L);
	}

	@Test
	void replyOverwritesSignalsHandledBeforeTheCallWasSent() {
		UnitCache cache = new UnitCache("a.service");
		cache.signalled(Map.of("ActiveState", "activating"), 3);
		cache.mergeListed(Map.of("ActiveState", "active"), 3);
		assertThat(cache.properties()).containsEntry("ActiveState", "active");
		cache.replace(Map.of("ActiveState", "failed"), 4);
		assertThat(cache.properties()).containsEntry("ActiveState", "failed");
	}

	@Test
	void confirmedStatusIsFreshOnlyWithinTheTtlAndTheSameEpochs() {
		UnitCache cache = new UnitCache("a.service");
		long now = System.nanoTime();
		cache.confirm(now, 1, cache.epoch());
		assertThat(cache.isFresh(now, TTL, 1)).as("incomplete").isFalse();
		cache.replace(Map.of("ActiveState", "active"), 0);
		assertThat(cache.isFresh(now + TTL - 1, TTL, 1)).isTrue();
		assertThat(cache.isFresh(now + TTL, TTL, 1)).as("expired").isFalse();
		assertThat(cache.isFresh(now, TTL, 2)).as("backend epoch changed").isFalse();
		cache.unconfirm();
		assertThat(cache.isFresh(now, TTL, 1)).as("unit loaded or unloaded").isFalse();
		cache.confirm(now, 1, cache.epoch());
		assertThat(cache.isFresh(now, TTL, 1)).isTrue();
		cache.invalidate();
		assertThat(cache.isFresh(now, TTL, 1)).as("needs GetAll").isFalse();
	}

	@Test
	void aFirstListenerIsToldOfAChangeBackToWhatTheLastListenerWasTold() {
		UnitCache cache = new UnitCache("a.service");
		cache.replace(Map.of("ActiveState", "inactive", "SubState", "dead"), 0);
		cache.baseline();
		// started while no one listened: nothing compared it
		cache.signalled(Map.of("ActiveState", "active", "SubState", "running", "MainPID", 7L), 1);
		cache.rebaseline();
		// stopped, and both signals handled before the listeners are told
		cache.signalled(Map.of("ActiveState", "inactive", "SubState", "dead", "MainPID", 0L), 2);
		ServiceStatus changed = cache.changedStatus();
		assertThat(changed).isNotNull();
		assertThat(changed.state()).isEqualTo(ServiceState.STOPPED);
	}

	@Test
	void neverStartedUnitStaysFreshWhenLoadedOrUnloaded() {
		UnitCache cache = new UnitCache("idle.service");
		long now = System.nanoTime();
		cache.replace(Map.of("LoadState", "loaded", "ActiveState", "inactive", "SubState", "dead", "MainPID", 0L,
				"NRestarts", 0L, "StateChangeTimestamp", 0L), 0);
		assertThat(cache.isPristine()).isTrue();
		cache.confirm(now, 1, cache.epoch());
		cache.unconfirm();
		assertThat(cache.isFresh(now, TTL, 1)).as("loaded or unloaded, reads the same").isTrue();
		assertThat(cache.isFresh(now + TTL, TTL, 1)).as("expired").isFalse();
		assertThat(cache.isFresh(now, TTL, 2)).as("backend epoch changed").isFalse();
		cache.signalled(Map.of("ActiveState", "active", "SubState", "running", "MainPID", 42L), 1);
		assertThat(cache.isPristine()).isFalse();
		assertThat(cache.isFresh(now, TTL, 1)).as("started").isFalse();
		cache.signalled(Map.of("ActiveState", "inactive", "SubState", "dead", "MainPID", 0L, "StateChangeTimestamp",
				1_000_000L), 2);
		assertThat(cache.isPristine()).as("stopped after a run").isFalse();
	}

}
