package io.github.supervision.registration.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * A web application (Spring MVC and the actuator are on the test class path) whose
 * one-shot registration mode must run without starting the web server.
 *
 * @author Supervision contributors
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class RegistrationTestApplication {

	/**
	 * Start the application.
	 * @param args the arguments
	 */
	public static void main(String[] args) {
		SpringApplication.run(RegistrationTestApplication.class, args);
	}

}
