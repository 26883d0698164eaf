package io.github.supervision.systemd;

import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import io.github.supervision.ActionResult;
import io.github.supervision.ActionResult.Outcome;
import io.github.supervision.PermissionDeniedException;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceState;
import io.github.supervision.ServiceStatus;
import io.github.supervision.UnknownServiceException;
import org.freedesktop.dbus.errors.AccessDenied;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.systemd1.BadUnitSetting;
import org.freedesktop.systemd1.JobTypeNotApplicable;
import org.freedesktop.systemd1.LoadFailed;
import org.freedesktop.systemd1.NoSuchUnit;
import org.freedesktop.systemd1.OnlyByDependency;
import org.freedesktop.systemd1.UnitInactive;
import org.freedesktop.systemd1.UnitMasked;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link JobOutcomes}: tables of what systemd said and the state read back,
 * with the result each must give, no bus needed. {@link SystemdBackendTests} checks the
 * same against a real systemd.
 *
 * @author Supervision contributors
 */
class JobOutcomesTests {

	private static final String UNIT = "web.service";

	@ParameterizedTest(name = "{0} job ended ''{1}'' with the unit {3}: {5}")
	@CsvSource(delimiter = '|',
			textBlock = """
					START   | done       | RUNNING  | active/running     | false | DONE      | systemd completed the start job of web.service
					RESTART | done       | STARTING | activating/start   | false | DONE      | systemd completed the restart job of web.service
					STOP    | done       | STOPPED  | inactive/dead      | false | DONE      | systemd completed the stop job of web.service
					RELOAD  | done       | RUNNING  | active/running     | false | DONE      | systemd completed the reload job of web.service
					START   | done       | FAILED   | failed/failed      | false | FAILED    | web.service is failed/failed after the start job; see 'journalctl -u web.service'
					RESTART | done       | STOPPED  | inactive/dead      | false | FAILED    | web.service is inactive/dead after the start job
					START   | done       | STOPPED  | inactive/dead      | true  | FAILED    | web.service was not started: a Condition...= setting of the unit was not met
					START   | canceled   | STOPPED  | inactive/dead      | false | CANCELED  | The start job of web.service was canceled by a later job
					STOP    | skipped    | STOPPED  | inactive/dead      | false | NO_CHANGE | systemd skipped the stop job of web.service: it did not apply to its state
					START   | timeout    | FAILED   | failed/failed      | false | FAILED    | systemd's own timeout for web.service expired (TimeoutStartSec/TimeoutStopSec)
					START   | dependency | STOPPED  | inactive/dead      | false | FAILED    | A unit that web.service depends on failed; see 'systemctl list-dependencies web.service'
					START   | failed     | FAILED   | failed/failed      | false | FAILED    | The start job of web.service ended 'failed'; see 'journalctl -u web.service'
					STOP    | invalid    | RUNNING  | active/running     | false | FAILED    | The stop job of web.service ended 'invalid'
					""")
	void mapsAJobResultAndTheStateReadBack(ServiceAction action, String jobResult, ServiceState state, String rawState,
			boolean conditionFailed, Outcome outcome, String message) {
		ServiceStatus status = status(state, rawState, conditionFailed);
		ActionResult result = JobOutcomes.jobEnded(action, UNIT, jobResult, status);
		assertThat(result.action()).isEqualTo(action);
		assertThat(result.outcome()).isEqualTo(outcome);
		assertThat(result.message()).contains(message);
		assertThat(result.backendResult()).isEqualTo(jobResult);
		assertThat(result.status()).isSameAs(status);
	}

	@Test
	void aDoneJobIsTakenAtItsWordWhenTheUnitCouldNotBeReadBack() {
		ActionResult result = JobOutcomes.jobEnded(ServiceAction.START, UNIT, "done", null);
		assertThat(result.outcome()).isEqualTo(Outcome.DONE);
		assertThat(result.status()).isNull();
	}

	static Stream<Arguments> refusals() {
		return Stream.of(
				Arguments.of(new UnitMasked("Unit web.service is masked."), Outcome.FAILED, "masked",
						"web.service is masked; unmask it first ('systemctl unmask web.service') (systemd: "),
				Arguments.of(new LoadFailed("Unit web.service failed to load properly."), Outcome.FAILED, "load-failed",
						"systemd could not load web.service; fix the unit file and run daemon-reload"),
				Arguments.of(new BadUnitSetting("Unit web.service has a bad unit file setting."), Outcome.FAILED,
						"load-failed", "systemd could not load web.service"),
				Arguments.of(new JobTypeNotApplicable("Job type reload is not applicable for unit web.service."),
						Outcome.UNSUPPORTED, "not-applicable", "web.service does not support 'start'"),
				Arguments.of(new OnlyByDependency("Operation refused, unit may not be isolated."), Outcome.UNSUPPORTED,
						"only-by-dependency", "may only be started or stopped as a dependency"),
				Arguments.of(new UnitInactive("Unit web.service is not active."), Outcome.FAILED, "inactive",
						"web.service is not running, so it cannot be started"),
				Arguments.of(new NoSuchUnit("Unit sysinit.target not found."), Outcome.FAILED,
						SystemdErrors.NO_SUCH_UNIT, "sysinit.target"),
				Arguments.of(new DBusExecutionException("Something else"), Outcome.FAILED, null,
						"systemd refused to start web.service: Something else"),
				Arguments.of(new TimeoutException(), Outcome.TIMEOUT, null,
						"systemd did not answer the start request for web.service in time; it may still act on it"),
				Arguments.of(new BusLostException(), Outcome.TIMEOUT, null,
						"The bus connection dropped while the start job of web.service ran; it may have completed and "
								+ "was not repeated"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("refusals")
	void mapsWhyAJobWasNotQueued(Throwable cause, Outcome outcome, String backendResult, String message) {
		ServiceStatus status = status(ServiceState.STOPPED, "inactive/dead", false);
		ActionResult result = JobOutcomes.refused(ServiceAction.START, UNIT, cause, status);
		assertThat(result.outcome()).isEqualTo(outcome);
		assertThat(result.backendResult()).isEqualTo(backendResult);
		assertThat(result.message()).contains(message);
		assertThat(result.status()).isSameAs(status);
	}

	@Test
	void anUnknownUnitIsThrownNotReported() {
		assertThatExceptionOfType(UnknownServiceException.class)
			.isThrownBy(() -> JobOutcomes.refused(ServiceAction.START, UNIT,
					new NoSuchUnit("Unit web.service not found."), status(ServiceState.UNKNOWN, "unknown", false)))
			.withMessageContaining("web.service");
	}

	@Test
	void aDeniedActionIsThrownWithThePolkitActionToGrant() {
		assertThatExceptionOfType(PermissionDeniedException.class)
			.isThrownBy(() -> JobOutcomes.refused(ServiceAction.STOP, UNIT, new AccessDenied("Access denied"),
					status(ServiceState.RUNNING, "active/running", false)))
			.withMessageContaining(SystemdErrors.MANAGE_UNITS);
	}

	@Test
	void aJobWhoseEndWasNotSeenInTimeMayStillComplete() {
		ServiceStatus status = status(ServiceState.STOPPING, "deactivating/stop-sigterm", false);
		ActionResult result = JobOutcomes.unfinished(ServiceAction.STOP, UNIT, new TimeoutException(), status);
		assertThat(result.outcome()).isEqualTo(Outcome.TIMEOUT);
		assertThat(result.message())
			.isEqualTo("The stop job of web.service did not finish in time; systemd may still complete it");
		assertThat(result.backendResult()).isNull();
	}

	private static ServiceStatus status(ServiceState state, String rawState, boolean conditionFailed) {
		Map<String, String> details = conditionFailed ? Map.of("conditionResult", "false") : Map.of();
		return new ServiceStatus(UNIT, SystemdBackend.ID, UNIT, state, rawState, null, null, null, null, null, null,
				details);
	}

}
