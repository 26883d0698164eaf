package io.github.supervision.selfregistration.command;

import java.util.Arrays;

import io.github.supervision.registration.JvmFacts;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

/**
 * Runs the one-shot registration command when the command line (or a system property)
 * sets {@code supervision.registration.mode}, as soon as the environment is prepared:
 * before the banner, the application context, the web server or any bean. The JVM then
 * exits with the command's status (0 done, 1 failed, 2 bad usage). Configuration files
 * cannot trigger it, so an application never registers itself by accident.
 *
 * @author Supervision contributors
 */
public class RegistrationModeListener implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

	static final String MODE = "supervision.registration.mode";

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		String mode = mode(event.getArgs());
		if (mode == null) {
			return;
		}
		int status = new RegistrationCommand(event.getEnvironment(), Arrays.asList(event.getArgs()), JvmFacts.current(),
				System.out, System.err)
			.run(mode);
		System.out.flush();
		System.err.flush();
		System.exit(status);
	}

	/**
	 * Return the mode given on the command line or as a system property.
	 * @param args the command-line arguments
	 * @return the mode (empty for a bare {@code --supervision.registration.mode}), or
	 * {@code null} when none is given
	 */
	static @Nullable String mode(String[] args) {
		String mode = null;
		for (String arg : args) {
			if (arg.equals("--" + MODE)) {
				mode = "";
			}
			else if (arg.startsWith("--" + MODE + "=")) {
				mode = arg.substring(MODE.length() + 3);
			}
		}
		return (mode != null) ? mode : System.getProperty(MODE);
	}

	@Override
	public int getOrder() {
		// After configuration files are loaded and logging is initialized
		return Ordered.HIGHEST_PRECEDENCE + 30;
	}

}
