package io.github.supervision.supervisord;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link XmlRpcAnswers}: supervisord's XML-RPC values to typed records.
 */
class XmlRpcAnswersTests {

	@Test
	void decodesEveryFieldOfAProcessInfo() {
		Map<String, Object> struct = new HashMap<>();
		struct.put("name", "web-1");
		struct.put("group", "web");
		struct.put("description", "pid 42, uptime 0:01:00");
		struct.put("start", 1_700_000_000);
		struct.put("stop", 0);
		struct.put("now", 1_700_000_060);
		struct.put("state", 20);
		struct.put("statename", "RUNNING");
		struct.put("spawnerr", "");
		struct.put("exitstatus", 0);
		struct.put("logfile", "/var/log/web.log");
		struct.put("stdout_logfile", "/var/log/web.log");
		struct.put("stderr_logfile", "/var/log/web.err");
		struct.put("pid", 42);
		assertThat(XmlRpcAnswers.processInfo(struct))
			.isEqualTo(new ProcessInfo("web-1", "web", "pid 42, uptime 0:01:00", 1_700_000_000, 0, 1_700_000_060, 20,
					"RUNNING", "", 0, "/var/log/web.log", "/var/log/web.log", "/var/log/web.err", 42));
		assertThat(XmlRpcAnswers.processInfo(struct).fullName()).isEqualTo("web:web-1");
	}

	@Test
	void readsMissingOrMistypedProcessInfoFieldsAsEmpty() {
		ProcessInfo info = XmlRpcAnswers.processInfo(Map.of("name", "web", "pid", "not a number"));
		assertThat(info.name()).isEqualTo("web");
		assertThat(info.group()).isEmpty();
		assertThat(info.statename()).isEmpty();
		assertThat(info.pid()).isZero();
	}

	@Test
	void skipsEntriesOfGetAllProcessInfoThatAreNotStructs() {
		assertThat(XmlRpcAnswers.processInfos(List.of(Map.of("name", "web"), "junk", 3))).extracting(ProcessInfo::name)
			.containsExactly("web");
	}

	@Test
	void refusesAGetAllProcessInfoAnswerThatIsNotAnArrayNamingTheMethodAndTheType() {
		assertThatExceptionOfType(MalformedAnswerException.class)
			.isThrownBy(() -> XmlRpcAnswers.processInfos(Map.of("name", "web")))
			.withMessage("supervisord answered getAllProcessInfo with an unexpected shape: a struct instead of an "
					+ "array of structs");
	}

	@Test
	void refusesAGetProcessInfoAnswerThatIsNotAStructWithoutQuotingIt() {
		assertThatExceptionOfType(MalformedAnswerException.class)
			.isThrownBy(() -> XmlRpcAnswers.processInfo("secret text"))
			.withMessageContaining("getProcessInfo")
			.withMessageContaining("a string instead of a struct")
			.withMessageNotContaining("secret");
	}

	@Test
	void decodesAndRefusesSupervisordsState() {
		assertThat(XmlRpcAnswers.state(Map.of("statecode", 1, "statename", "RUNNING")))
			.isEqualTo(new SupervisorState(1, "RUNNING"));
		assertThatExceptionOfType(MalformedAnswerException.class)
			.isThrownBy(() -> XmlRpcAnswers.state(Map.of("statecode", "1")))
			.withMessageContaining("getState");
	}

	@Test
	void decodesAndRefusesTheApiVersion() {
		assertThat(XmlRpcAnswers.string(SupervisordMethod.GET_API_VERSION, "3.0")).isEqualTo("3.0");
		assertThatExceptionOfType(MalformedAnswerException.class)
			.isThrownBy(() -> XmlRpcAnswers.string(SupervisordMethod.GET_API_VERSION, 3))
			.withMessageContaining("getAPIVersion with an unexpected shape: an int instead of a string");
	}

	@Test
	void decodesAndRefusesALogTail() {
		assertThat(XmlRpcAnswers.logTail(SupervisordMethod.TAIL_PROCESS_STDERR_LOG, List.of("oops\n", 5, false)))
			.isEqualTo(new LogTail("oops\n", 5, false));
		assertThatExceptionOfType(MalformedAnswerException.class)
			.isThrownBy(() -> XmlRpcAnswers.logTail(SupervisordMethod.TAIL_PROCESS_STDERR_LOG, List.of("oops\n")))
			.withMessageContaining("tailProcessStderrLog");
	}

	@Test
	void decodesAndRefusesTheGroupsOfReloadConfig() {
		assertThat(XmlRpcAnswers.reloadConfig(List.of(List.of(List.of("new"), List.of("changed"), List.of()))))
			.isEqualTo(new UpdateResult(List.of("new"), List.of("changed"), List.of()));
		assertThatExceptionOfType(MalformedAnswerException.class)
			.isThrownBy(() -> XmlRpcAnswers.reloadConfig(List.of(List.of(List.of("new"), "changed", List.of()))))
			.withMessageContaining("reloadConfig");
		assertThatExceptionOfType(MalformedAnswerException.class)
			.isThrownBy(() -> XmlRpcAnswers.reloadConfig(List.of()))
			.withMessageContaining("reloadConfig");
	}

}
