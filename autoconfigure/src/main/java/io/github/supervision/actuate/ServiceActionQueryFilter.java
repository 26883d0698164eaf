package io.github.supervision.actuate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * Refuses an action on a service whose {@code action} or {@code signal} comes in the
 * query string. The actuator takes an operation's arguments from the query string as well
 * as from the JSON body, and the query string wins: {@code POST
 * /actuator/services/worker?action=stop} with the body {@code {"action":"reload"}} would
 * stop the worker, past any rule that reads the body to decide who may do what. Such a
 * request is answered 400 {@code invalid-action} before the endpoint, so an action is
 * always the one its body names.
 *
 * @author Supervision contributors
 */
public final class ServiceActionQueryFilter extends OncePerRequestFilter {

	private static final Set<String> BODY_ONLY = Set.of("action", "signal");

	private static final String ANSWER = "{\"error\":\"invalid-action\",\"message\":\"Give the action (and the signal) "
			+ "in the JSON body, not in the query string\"}";

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if ("POST".equals(request.getMethod()) && namesABodyArgument(request.getQueryString())) {
			response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
			response.setContentType(MediaType.APPLICATION_JSON_VALUE);
			response.getOutputStream().write(ANSWER.getBytes(StandardCharsets.UTF_8));
			return;
		}
		chain.doFilter(request, response);
	}

	// the names as the actuator would read them: percent-decoded, in any case
	static boolean namesABodyArgument(@Nullable String queryString) {
		if (queryString == null || queryString.isEmpty()) {
			return false;
		}
		for (String name : UriComponentsBuilder.newInstance().query(queryString).build().getQueryParams().keySet()) {
			String decoded;
			try {
				decoded = UriUtils.decode(name, StandardCharsets.UTF_8);
			}
			catch (IllegalArgumentException ex) {
				// not valid percent-encoding: the server refuses it as it stands
				decoded = name;
			}
			if (BODY_ONLY.contains(decoded.strip().toLowerCase(Locale.ROOT))) {
				return true;
			}
		}
		return false;
	}

}
