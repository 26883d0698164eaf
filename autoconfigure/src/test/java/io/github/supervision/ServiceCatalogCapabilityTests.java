package io.github.supervision;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.github.supervision.testsupport.LogTailingBackend;
import io.github.supervision.testsupport.RecordingBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for the optional capabilities the {@link ServiceCatalog} routes to backends.
 *
 * @author Supervision contributors
 */
class ServiceCatalogCapabilityTests {

	private static final ServiceName ONE = ServiceName.of("one");

	private static final ServiceName PLAIN = ServiceName.of("plain");

	private static final ServiceName GHOST = ServiceName.of("ghost");

	private final LogTailingBackend tailing = new LogTailingBackend("tailing");

	private final RecordingBackend plain = new RecordingBackend("plain");

	private ServiceCatalog catalog = catalog(List.of(this.tailing, this.plain));

	@AfterEach
	void close() {
		this.catalog.close();
	}

	@Test
	void listsTheCapabilitiesEachDeclaredServicesBackendOffers() {
		assertThat(this.catalog.getCapabilities(ONE)).containsExactly(ServiceCapability.LOG_TAIL);
		assertThat(this.catalog.getCapabilities(PLAIN)).isEmpty();
		assertThat(this.catalog.getCapabilities(GHOST)).as("backend missing").isEmpty();
		assertThat(this.catalog.getCapabilities(ServiceName.of("nobody"))).isEmpty();
		assertThat(ServiceCapability.values()).extracting(ServiceCapability::id)
			.containsExactly("log-tail", "enable", "reset-failed", "signal");
	}

	@Test
	void tailLogReadsTheDeclaredTargetWithinTheReadDeadline() {
		this.tailing.setLog(List.of("first", "second", "third"));
		ServiceLog log = this.catalog.tailLog(ONE, 2);
		assertThat(log.texts()).containsExactly("second", "third");
		assertThat(this.tailing.tailCalls()).containsExactly("tailLog t1 2 2000ms");
	}

	@Test
	void tailLogOfAServiceWhoseLogsAreOffIsRefusedNamingThePropertyBeforeAnyBackendCall() {
		this.catalog.close();
		this.catalog = new ServiceCatalog(
				List.of(new ServiceDefinition(ONE, "tailing", "t1", null, false, null),
						definition("plain", "plain", "p1").withLogs(false)),
				List.of(this.tailing, this.plain), Duration.ofSeconds(2), Duration.ofSeconds(2));
		assertThatExceptionOfType(LogsNotEnabledException.class).isThrownBy(() -> this.catalog.tailLog(ONE, 10))
			.withMessage("Reading the log of service 'one' is off; set supervision.logs.enabled=true, or "
					+ "supervision.services.one.logs=true for this service only");
		assertThatExceptionOfType(LogsNotEnabledException.class).isThrownBy(() -> this.catalog.tailLog(PLAIN, 10));
		assertThatExceptionOfType(LogsNotEnabledException.class).isThrownBy(() -> this.catalog.checkLogsEnabled(ONE));
		assertThat(this.tailing.tailCalls()).isEmpty();
		assertThat(this.plain.calls()).isEmpty();
	}

	@Test
	void tailLogOfAnUndeclaredServiceIsUnknownAndNeverReachesABackend() {
		this.tailing.setDiscovered(List.of("extra"));
		assertThatExceptionOfType(UnknownServiceException.class)
			.isThrownBy(() -> this.catalog.tailLog(ServiceName.of("extra"), 10));
		assertThat(this.tailing.tailCalls()).isEmpty();
	}

	@Test
	void tailLogOfAServiceWhoseBackendIsMissingIsUnavailable() {
		assertThatExceptionOfType(BackendUnavailableException.class).isThrownBy(() -> this.catalog.tailLog(GHOST, 10))
			.withMessageContaining("No 'gamma' backend is available");
	}

	@Test
	void tailLogOfAServiceWhoseBackendDoesNotOfferItIsRefusedWithoutACall() {
		assertThatExceptionOfType(CapabilityNotSupportedException.class)
			.isThrownBy(() -> this.catalog.tailLog(PLAIN, 10))
			.withMessage("Service 'plain' does not support 'log-tail': the plain backend does not offer it");
		assertThat(this.plain.calls()).isEmpty();
	}

	@Test
	void tailLogRefusesALineCountOutOfRangeBeforeAnyCall() {
		for (int lines : new int[] { 0, -1, LogTailCapability.MAX_LINES + 1 }) {
			assertThatIllegalArgumentException().isThrownBy(() -> this.catalog.tailLog(ONE, lines));
		}
		assertThat(this.tailing.tailCalls()).isEmpty();
	}

	@Test
	void tailLogOfABackendThatBreaksItsDeadlineTimesOutWithoutHangingTheCaller() {
		this.tailing.setTailDelay(Duration.ofSeconds(10));
		this.catalog.close();
		this.catalog = new ServiceCatalog(List.of(definition("one", "tailing", "t1")), List.of(this.tailing),
				Duration.ofMillis(200), Duration.ofSeconds(2));
		long start = System.nanoTime();
		assertThatExceptionOfType(SupervisionTimeoutException.class).isThrownBy(() -> this.catalog.tailLog(ONE, 10))
			.withMessage("Reading log-tail of 'one' did not complete within 200 ms");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
	}

	@Test
	void aBackendMayOfferACapabilityThroughAPartOfItsOwn() {
		LogTailingBackend part = new LogTailingBackend("part");
		part.setLog(List.of("from the part"));
		RecordingBackend delegating = new RecordingBackend("delegating") {

			@Override
			public <T> Optional<T> capability(Class<T> type) {
				return (type == LogTailCapability.class) ? Optional.of(type.cast(part)) : Optional.empty();
			}

		};
		this.catalog.close();
		this.catalog = new ServiceCatalog(List.of(definition("one", "delegating", "t1")), List.of(delegating),
				Duration.ofSeconds(2), Duration.ofSeconds(2));
		assertThat(this.catalog.getCapabilities(ONE)).containsExactly(ServiceCapability.LOG_TAIL);
		assertThat(this.catalog.tailLog(ONE, 5).texts()).containsExactly("from the part");
		assertThat(part.tailCalls()).containsExactly("tailLog t1 5 2000ms");
	}

	@Test
	void aBackendErrorReachesTheCallerAsItIs() {
		LogTailingBackend failing = new LogTailingBackend("tailing") {

			@Override
			public ServiceLog tailLog(String target, int lines, Duration timeout) {
				throw new PermissionDeniedException("Permission denied reading the log", "let the user read it");
			}

		};
		this.catalog.close();
		this.catalog = catalog(List.of(failing));
		assertThatExceptionOfType(PermissionDeniedException.class).isThrownBy(() -> this.catalog.tailLog(ONE, 5))
			.withMessageContaining("Permission denied reading the log");
	}

	private static ServiceCatalog catalog(List<SupervisionBackend> backends) {
		return new ServiceCatalog(List.of(definition("one", "tailing", "t1"), definition("plain", "plain", "p1"),
				definition("ghost", "gamma", "g1")), backends, Duration.ofSeconds(2), Duration.ofSeconds(2));
	}

	private static ServiceDefinition definition(String name, String backend, String target) {
		return new ServiceDefinition(ServiceName.of(name), backend, target, null, false, null, true);
	}

}
