package io.github.supervision.registration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds out which supervisor runs this process, and under what name, from what each one
 * leaves in a process it starts: supervisord sets {@code SUPERVISOR_ENABLED} and
 * {@code SUPERVISOR_PROCESS_NAME}; a runit service's parent is {@code runsv <name>}
 * ({@code chpst} and the run script {@code exec}); systemd sets {@code INVOCATION_ID} and
 * puts the process in the cgroup of its {@code <name>.service}.
 *
 * @author Supervision contributors
 */
public final class SupervisorDetection {

	private SupervisorDetection() {
	}

	/**
	 * Detect the supervisor of this process.
	 * @return the supervisor and service name, or empty when none was recognised
	 */
	public static Optional<Supervised> detect() {
		return detect(System.getenv(), Path.of("/proc/self/cgroup"), ProcessHandle.current().parent());
	}

	/**
	 * Detect the supervisor of a process from its environment, its cgroup file and its
	 * parent.
	 * @param environment the process's environment
	 * @param cgroup the process's {@code /proc/<pid>/cgroup}
	 * @param parent the parent process, if known
	 * @return the supervisor and service name, or empty when none was recognised
	 */
	public static Optional<Supervised> detect(Map<String, String> environment, Path cgroup,
			Optional<ProcessHandle> parent) {
		String program = environment.get("SUPERVISOR_PROCESS_NAME");
		if ("1".equals(environment.get("SUPERVISOR_ENABLED")) && program != null) {
			String group = environment.get("SUPERVISOR_GROUP_NAME");
			String name = (group != null && !group.equals(program)) ? group + ":" + program : program;
			return Optional.of(new Supervised(Supervisor.SUPERVISORD, name));
		}
		Optional<Supervised> runit = parent.flatMap(SupervisorDetection::runsv);
		if (runit.isPresent()) {
			return runit;
		}
		if (environment.containsKey("INVOCATION_ID")) {
			return systemdUnit(cgroup).map((unit) -> new Supervised(Supervisor.SYSTEMD, unit));
		}
		return Optional.empty();
	}

	private static Optional<Supervised> runsv(ProcessHandle parent) {
		ProcessHandle.Info info = parent.info();
		boolean runsv = info.command()
			.map((command) -> command.equals("runsv") || command.endsWith("/runsv"))
			.orElse(false);
		if (!runsv) {
			return Optional.empty();
		}
		return info.arguments()
			.filter((arguments) -> arguments.length > 0)
			.map((arguments) -> Path.of(arguments[0]).getFileName().toString())
			.map((name) -> new Supervised(Supervisor.RUNIT, name));
	}

	private static Optional<String> systemdUnit(Path cgroup) {
		try {
			List<String> lines = Files.readAllLines(cgroup);
			for (String line : lines) {
				String path = line.substring(line.lastIndexOf(':') + 1);
				String[] segments = path.split("/");
				for (int i = segments.length - 1; i >= 0; i--) {
					if (segments[i].endsWith(".service")) {
						return Optional.of(segments[i].substring(0, segments[i].length() - ".service".length()));
					}
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// no cgroup file (not Linux): not recognised
		}
		return Optional.empty();
	}

	/**
	 * The supervisor running a process, and the name it runs it under.
	 *
	 * @param supervisor the supervisor
	 * @param name the unit name without {@code .service}, the runit service directory
	 * name, or the supervisord program name ({@code group:name} in a group)
	 */
	public record Supervised(Supervisor supervisor, String name) {

	}

}
