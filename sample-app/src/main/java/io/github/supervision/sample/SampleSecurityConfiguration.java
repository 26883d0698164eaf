package io.github.supervision.sample;

import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Security for the sample: anyone may read health and services; acting on a service needs
 * the {@code OPS} role. CSRF protection stays on for browser sessions; JSON requests are
 * exempt because a browser cannot send them cross-site without a CORS pre-flight, which
 * this application never grants.
 *
 * @author Supervision contributors
 */
@Configuration(proxyBeanMethods = false)
class SampleSecurityConfiguration {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		RequestMatcher jsonRequest = (request) -> request.getContentType() != null
				&& MediaType.parseMediaType(request.getContentType()).getSubtype().endsWith("json");
		http.authorizeHttpRequests((requests) -> requests
			.requestMatchers(HttpMethod.GET, "/actuator/health/**", "/actuator/services/**", "/actuator/services")
			.permitAll()
			.requestMatchers("/error")
			.permitAll()
			.requestMatchers(EndpointRequest.to("services"))
			.hasRole("OPS")
			.anyRequest()
			.authenticated());
		http.httpBasic(Customizer.withDefaults());
		http.csrf((csrf) -> csrf.ignoringRequestMatchers(jsonRequest));
		return http.build();
	}

}
