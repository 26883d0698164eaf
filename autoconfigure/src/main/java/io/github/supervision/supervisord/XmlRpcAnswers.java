package io.github.supervision.supervisord;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Decodes the XML-RPC values of supervisord's answers into typed records, the one place
 * that knows their shapes. An answer of another shape fails with a
 * {@link MalformedAnswerException} naming the method and what was wrong; within a process
 * info a missing or mistyped field reads as empty or {@code 0}, as older supervisords
 * leave some out.
 */
final class XmlRpcAnswers {

	private XmlRpcAnswers() {
	}

	static List<ProcessInfo> processInfos(@Nullable Object answer) {
		if (!(answer instanceof List<?> list)) {
			throw malformed(SupervisordMethod.GET_ALL_PROCESS_INFO, "an array of structs", answer);
		}
		List<ProcessInfo> infos = new ArrayList<>(list.size());
		for (Object item : list) {
			// an entry that is not a struct names no process; the others still count
			if (item instanceof Map<?, ?> map) {
				infos.add(processInfo(map));
			}
		}
		return infos;
	}

	static ProcessInfo processInfo(@Nullable Object answer) {
		if (!(answer instanceof Map<?, ?> map)) {
			throw malformed(SupervisordMethod.GET_PROCESS_INFO, "a struct", answer);
		}
		return processInfo(map);
	}

	private static ProcessInfo processInfo(Map<?, ?> info) {
		return new ProcessInfo(string(info, "name"), string(info, "group"), string(info, "description"),
				integer(info, "start"), integer(info, "stop"), integer(info, "now"), integer(info, "state"),
				string(info, "statename"), string(info, "spawnerr"), integer(info, "exitstatus"),
				string(info, "logfile"), string(info, "stdout_logfile"), string(info, "stderr_logfile"),
				integer(info, "pid"));
	}

	static SupervisorState state(@Nullable Object answer) {
		if (answer instanceof Map<?, ?> map && map.get("statecode") instanceof Integer code
				&& map.get("statename") instanceof String name) {
			return new SupervisorState(code, name);
		}
		throw malformed(SupervisordMethod.GET_STATE, "a struct of statecode and statename", answer);
	}

	static String string(SupervisordMethod method, @Nullable Object answer) {
		if (answer instanceof String text) {
			return text;
		}
		throw malformed(method, "a string", answer);
	}

	static LogTail logTail(SupervisordMethod method, @Nullable Object answer) {
		if (answer instanceof List<?> list && list.size() == 3 && list.get(0) instanceof String text
				&& list.get(1) instanceof Integer offset && list.get(2) instanceof Boolean overflow) {
			return new LogTail(withControls(text), offset, overflow);
		}
		throw malformed(method, "an array of string, int and boolean", answer);
	}

	// The controls XmlRpcCodec mapped to private-use characters, back as they were
	private static String withControls(String text) {
		if (text.chars().noneMatch((c) -> c >= XmlRpcCodec.CONTROL_BASE && c < XmlRpcCodec.CONTROL_BASE + 0x20)) {
			return text;
		}
		StringBuilder restored = new StringBuilder(text.length());
		text.chars()
			.forEach((c) -> restored.append((c >= XmlRpcCodec.CONTROL_BASE && c < XmlRpcCodec.CONTROL_BASE + 0x20)
					? (char) (c - XmlRpcCodec.CONTROL_BASE) : (char) c));
		return restored.toString();
	}

	static UpdateResult reloadConfig(@Nullable Object answer) {
		if (answer instanceof List<?> outer && !outer.isEmpty() && outer.get(0) instanceof List<?> lists
				&& lists.size() == 3) {
			return new UpdateResult(names(lists.get(0), answer), names(lists.get(1), answer),
					names(lists.get(2), answer));
		}
		throw malformed(SupervisordMethod.RELOAD_CONFIG, "an array holding the added, changed and removed groups",
				answer);
	}

	private static List<String> names(@Nullable Object value, Object answer) {
		if (value instanceof List<?> names) {
			return names.stream().map(String::valueOf).toList();
		}
		throw malformed(SupervisordMethod.RELOAD_CONFIG, "an array holding the added, changed and removed groups",
				answer);
	}

	private static String string(Map<?, ?> info, String key) {
		Object value = info.get(key);
		return (value != null) ? value.toString() : "";
	}

	private static int integer(Map<?, ?> info, String key) {
		return (info.get(key) instanceof Integer value) ? value : 0;
	}

	private static MalformedAnswerException malformed(SupervisordMethod method, String expected,
			@Nullable Object answer) {
		return new MalformedAnswerException("supervisord answered " + shortName(method) + " with an unexpected shape: "
				+ kind(answer) + " instead of " + expected);
	}

	private static String shortName(SupervisordMethod method) {
		String name = method.methodName();
		return name.substring(name.indexOf('.') + 1);
	}

	// names the XML-RPC type only, never the value, which may be anything a server sent
	private static String kind(@Nullable Object answer) {
		if (answer == null) {
			return "nil";
		}
		if (answer instanceof List<?>) {
			return "an array";
		}
		if (answer instanceof Map<?, ?>) {
			return "a struct";
		}
		if (answer instanceof Integer) {
			return "an int";
		}
		return "a " + answer.getClass().getSimpleName().toLowerCase(Locale.ROOT);
	}

}
