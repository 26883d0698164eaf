package io.github.supervision.sample;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Security for the sample: anyone may read health and services, and the stream of their
 * changes; acting on a service and reading the audit trail need the {@code OPS} role, and
 * a Prometheus scrape needs credentials of the {@code OPS} or {@code METRICS} role (a
 * scraper's own user, in an application that defines more users than Boot's one). CSRF
 * protection stays on for browser sessions; JSON requests are exempt because a browser
 * cannot send them cross-site without a CORS pre-flight, which this application never
 * grants.
 *
 * @author Supervision contributors
 */
@Configuration(proxyBeanMethods = false)
class SampleSecurityConfiguration {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		RequestMatcher jsonRequest = SampleSecurityConfiguration::isJson;
		http.authorizeHttpRequests((requests) -> requests
			// reads of the services, their logs (/actuator/services/{name}/log) included
			.requestMatchers(HttpMethod.GET, "/actuator/health/**", "/actuator/services/**", "/actuator/services")
			.permitAll()
			// the event stream is no endpoint that EndpointRequest knows: name its path
			.requestMatchers(HttpMethod.GET, "/actuator/serviceevents")
			.permitAll()
			.requestMatchers("/error")
			.permitAll()
			.requestMatchers(EndpointRequest.to("services", "auditevents"))
			.hasRole("OPS")
			.requestMatchers(EndpointRequest.to("prometheus"))
			.hasAnyRole("OPS", "METRICS")
			.anyRequest()
			.authenticated());
		http.httpBasic(Customizer.withDefaults());
		http.csrf((csrf) -> csrf.ignoringRequestMatchers(jsonRequest));
		return http.build();
	}

	// Observing every filter of the chain on every request costs more than the filters
	// themselves; Boot's own observation of each request, authentications and
	// authorizations are still recorded. Nothing about what the chain enforces changes.
	@Bean
	SecurityObservationSettings securityObservationSettings() {
		return SecurityObservationSettings.withDefaults().shouldObserveRequests(false).build();
	}

	// A Content-Type that does not parse is not JSON: CSRF protection then refuses the
	// request with 403 instead of the parser failing it with 500.
	static boolean isJson(HttpServletRequest request) {
		String contentType = request.getContentType();
		if (contentType == null) {
			return false;
		}
		try {
			return MediaType.parseMediaType(contentType).getSubtype().endsWith("json");
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

}
