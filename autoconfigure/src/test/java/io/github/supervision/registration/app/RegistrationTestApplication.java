package io.github.supervision.registration.app;

import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;

/**
 * A web application (Spring MVC and the actuator are on the test class path) whose
 * one-shot registration mode must run without starting the web server, and which, run as
 * a service, switches its liveness to BROKEN once the file named by
 * {@code $LIVENESS_BROKEN_FILE} appears.
 *
 * @author Supervision contributors
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class RegistrationTestApplication {

	/**
	 * Break liveness when the file named by {@code $LIVENESS_BROKEN_FILE} appears.
	 * @return the listener
	 */
	@Bean
	ApplicationListener<ApplicationReadyEvent> livenessBreaker() {
		return (event) -> {
			String file = System.getenv("LIVENESS_BROKEN_FILE");
			if (file == null) {
				return;
			}
			Thread watcher = new Thread(() -> {
				while (!Files.exists(Path.of(file))) {
					try {
						Thread.sleep(100);
					}
					catch (InterruptedException ex) {
						return;
					}
				}
				AvailabilityChangeEvent.publish(event.getApplicationContext(), LivenessState.BROKEN);
			}, "liveness-breaker");
			watcher.setDaemon(true);
			watcher.start();
		};
	}

	/**
	 * Start the application.
	 * @param args the arguments
	 */
	public static void main(String[] args) {
		SpringApplication.run(RegistrationTestApplication.class, args);
	}

}
