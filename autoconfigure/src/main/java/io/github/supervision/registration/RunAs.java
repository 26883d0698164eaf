package io.github.supervision.registration;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Who runs the service and where: its user and group, its working directory and its
 * environment.
 *
 * @param user user the service runs as, or {@code null} for the supervisor's default
 * @param group group the service runs as, or {@code null} for the user's group
 * @param workingDirectory absolute working directory, or {@code null} for the
 * supervisor's default
 * @param environment environment variables added to the service's environment
 * @param environmentFile absolute path of a {@code KEY=value} file read at start, or
 * {@code null}
 * @author Supervision contributors
 */
public record RunAs(@Nullable String user, @Nullable String group, @Nullable Path workingDirectory,
		Map<String, String> environment, @Nullable Path environmentFile) {

	/**
	 * Prefix of the properties the parts come from, named in errors.
	 */
	static final String PREFIX = RegistrationSpec.REGISTRATION_PREFIX + "run-as.";

	/**
	 * Validate and copy the components.
	 * @param user user or {@code null}
	 * @param group group or {@code null}
	 * @param workingDirectory working directory or {@code null}
	 * @param environment environment variables
	 * @param environmentFile environment file or {@code null}
	 */
	public RunAs {
		if (user != null) {
			Values.userName(PREFIX + "user", user);
		}
		if (group != null) {
			Values.userName(PREFIX + "group", group);
		}
		if (workingDirectory != null) {
			workingDirectory = Values.absolute(PREFIX + "working-directory", workingDirectory);
		}
		environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
		environment.forEach((key, value) -> {
			Values.environmentName(PREFIX + "environment." + key, key);
			Values.text(PREFIX + "environment." + key, value);
		});
		if (environmentFile != null) {
			environmentFile = Values.absolute(PREFIX + "environment-file", environmentFile);
		}
	}

}
