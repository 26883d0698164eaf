package io.github.supervision.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Sample application: declares demo services in {@code application.yml} and exposes them
 * at {@code /actuator/services}.
 *
 * @author Supervision contributors
 */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
