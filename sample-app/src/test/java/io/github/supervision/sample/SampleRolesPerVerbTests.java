package io.github.supervision.sample;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.function.Supplier;

import com.jayway.jsonpath.JsonPath;
import io.github.supervision.ServiceAction;
import io.github.supervision.ServiceState;
import io.github.supervision.test.AutoConfigureSupervisionTest;
import io.github.supervision.test.FakeSupervision;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the roles-per-verb recipe of {@code docs/howto/securing-the-endpoint.md}: the
 * sample's services behind a security configuration in which {@code OPS} may start,
 * restart and reload, and only {@code ADMIN} may stop, kill, signal or do anything else,
 * decided from the action that the request names. The classes nested here are the recipe
 * that the how-to shows; the services are answered by the fake backend, so a refused
 * action is seen never to reach it.
 *
 * @author Supervision contributors
 */
@SpringBootTest(classes = SampleRolesPerVerbTests.RolesPerVerbApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoint.services.access=unrestricted", "sample.ops-password=ops-secret",
				"sample.admin-password=admin-secret" })
@AutoConfigureSupervisionTest
class SampleRolesPerVerbTests {

	private static final String OPS = "ops:ops-secret";

	private static final String ADMIN = "admin:admin-secret";

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	int port;

	@Autowired
	FakeSupervision supervision;

	@AfterEach
	void resetFakes() {
		this.supervision.reset();
	}

	@Test
	void anOperatorRestartsButMayNotStop() throws Exception {
		HttpResponse<String> restart = post("/actuator/services/worker", "{\"action\":\"restart\"}", OPS);
		assertThat(restart.statusCode()).isEqualTo(200);
		assertThat(JsonPath.parse(restart.body()).read("$.outcome", String.class)).isEqualTo("done");
		assertThat(post("/actuator/services/worker", "{\"action\":\"stop\"}", OPS).statusCode()).isEqualTo(403);
		assertThat(this.supervision.getActions("worker")).containsExactly(ServiceAction.RESTART);
		assertThat(this.supervision.getState("worker")).isEqualTo(ServiceState.RUNNING);
	}

	@Test
	void anAdministratorStops() throws Exception {
		HttpResponse<String> stop = post("/actuator/services/worker", "{\"action\":\"stop\"}", ADMIN);
		assertThat(stop.statusCode()).isEqualTo(200);
		assertThat(JsonPath.parse(stop.body()).read("$.service.state", String.class)).isEqualTo("stopped");
		assertThat(this.supervision.getActions("worker")).containsExactly(ServiceAction.STOP);
	}

	@Test
	void readsAreOpenAndWritesWithoutCredentialsAre401() throws Exception {
		assertThat(get("/actuator/services/worker").statusCode()).isEqualTo(200);
		assertThat(post("/actuator/services/worker", "{\"action\":\"restart\"}", null).statusCode()).isEqualTo(401);
		assertThat(this.supervision.getActions("worker")).isEmpty();
	}

	@Test
	void anOperatorCannotSmuggleAStopPastTheRule() throws Exception {
		// the endpoint takes the action from a query parameter before the body
		assertThat(post("/actuator/services/worker?action=stop", "{\"action\":\"restart\"}", OPS).statusCode())
			.isEqualTo(403);
		assertThat(post("/actuator/services/worker?action=stop", "", OPS).statusCode()).isEqualTo(403);
		// with a key twice, the endpoint's parser keeps the last
		assertThat(post("/actuator/services/worker", "{\"action\":\"restart\",\"action\":\"stop\"}", OPS).statusCode())
			.isEqualTo(403);
		// the endpoint reads action names in any case
		assertThat(post("/actuator/services/worker", "{\"action\":\"STOP\"}", OPS).statusCode()).isEqualTo(403);
		assertThat(post("/actuator/services/worker", "{\"action\":[\"stop\"]}", OPS).statusCode()).isEqualTo(403);
		assertThat(
				post("/actuator/services/worker", "{\"action\":\"restart\"} {\"action\":\"stop\"}", OPS).statusCode())
			.isEqualTo(403);
		assertThat(
				post("/actuator/services/worker", "{\"action\":\"restart\",\"pad\":\"" + "x".repeat(5000) + "\"}", OPS)
					.statusCode())
			.isEqualTo(413);
		assertThat(this.supervision.getActions("worker")).isEmpty();
		assertThat(this.supervision.getState("worker")).isEqualTo(ServiceState.RUNNING);
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path, String body, @Nullable String credentials) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (credentials != null) {
			request.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
		}
		return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	// not a @SpringBootConfiguration, which the sample's other tests would find
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(RolesPerVerbSecurity.class)
	static class RolesPerVerbApplication {

	}

	/**
	 * The recipe's security: reads open, writes decided by {@link ActionAuthorization},
	 * two users.
	 */
	@Configuration(proxyBeanMethods = false)
	static class RolesPerVerbSecurity {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			RequestMatcher services = EndpointRequest.to("services");
			http.authorizeHttpRequests((requests) -> requests
				.requestMatchers(HttpMethod.GET, "/actuator/health/**", "/actuator/services/**", "/actuator/services")
				.permitAll()
				.requestMatchers("/error")
				.permitAll()
				.requestMatchers(services)
				.access(new ActionAuthorization())
				.anyRequest()
				.hasRole("ADMIN"));
			http.addFilterBefore(new ActionBodyFilter(services), AuthorizationFilter.class);
			http.httpBasic(Customizer.withDefaults());
			http.csrf((csrf) -> csrf.ignoringRequestMatchers(SampleSecurityConfiguration::isJson));
			return http.build();
		}

		// store {bcrypt} hashes in a real application
		@Bean
		UserDetailsService users(@Value("${sample.ops-password}") String ops,
				@Value("${sample.admin-password}") String admin) {
			return new InMemoryUserDetailsManager(
					User.withUsername("ops").password("{noop}" + ops).roles("OPS").build(),
					User.withUsername("admin").password("{noop}" + admin).roles("ADMIN").build());
		}

	}

	/**
	 * Lets {@code OPS} (and {@code ADMIN}) ask for the actions that bring a service up,
	 * and keeps every other action for {@code ADMIN}. Deny by default: the request is an
	 * {@code OPS} action only when it has no {@code action} parameter (the endpoint
	 * prefers a query parameter to the body) and its body is one JSON object, without
	 * duplicate keys, whose {@code action} is one of the names below, spelled exactly so.
	 */
	static final class ActionAuthorization implements AuthorizationManager<RequestAuthorizationContext> {

		private static final Set<String> OPS_ACTIONS = Set.of("start", "restart", "reload", "try-restart",
				"reload-or-restart");

		private static final JsonMapper JSON = JsonMapper.builder()
			.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
			.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
			.build();

		private final AuthorizationManager<RequestAuthorizationContext> ops = AuthorityAuthorizationManager
			.hasAnyRole("OPS", "ADMIN");

		private final AuthorizationManager<RequestAuthorizationContext> admin = AuthorityAuthorizationManager
			.hasRole("ADMIN");

		@Override
		public AuthorizationResult authorize(Supplier<? extends Authentication> authentication,
				RequestAuthorizationContext context) {
			HttpServletRequest request = context.getRequest();
			boolean opsAction = request.getParameterValues("action") == null
					&& request instanceof ActionBodyFilter.CachedBody cached && isOpsAction(cached.body());
			return (opsAction ? this.ops : this.admin).authorize(authentication, context);
		}

		private static boolean isOpsAction(byte[] body) {
			try {
				JsonNode action = JSON.readTree(body).get("action");
				return action != null && action.isString() && OPS_ACTIONS.contains(action.stringValue());
			}
			catch (JacksonException ex) {
				return false;
			}
		}

	}

	/**
	 * Reads the body of a write to the services endpoint once (4 KiB at most, else 413),
	 * so that {@link ActionAuthorization} and then the endpoint both read it.
	 */
	static final class ActionBodyFilter extends OncePerRequestFilter {

		private static final int MAX_BODY = 4096;

		private final RequestMatcher services;

		ActionBodyFilter(RequestMatcher services) {
			this.services = services;
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			if (!HttpMethod.POST.matches(request.getMethod()) || !this.services.matches(request)) {
				chain.doFilter(request, response);
				return;
			}
			byte[] body = request.getInputStream().readNBytes(MAX_BODY + 1);
			if (body.length > MAX_BODY) {
				response.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
				return;
			}
			chain.doFilter(new CachedBody(request, body), response);
		}

		/**
		 * A request whose body was read into memory and is read again from there.
		 */
		static final class CachedBody extends HttpServletRequestWrapper {

			private final byte[] body;

			CachedBody(HttpServletRequest request, byte[] body) {
				super(request);
				this.body = body;
			}

			byte[] body() {
				return this.body.clone();
			}

			@Override
			public ServletInputStream getInputStream() {
				ByteArrayInputStream input = new ByteArrayInputStream(this.body);
				return new ServletInputStream() {

					@Override
					public int read() {
						return input.read();
					}

					@Override
					public int read(byte[] buffer, int offset, int length) {
						return input.read(buffer, offset, length);
					}

					@Override
					public boolean isFinished() {
						return input.available() == 0;
					}

					@Override
					public boolean isReady() {
						return true;
					}

					@Override
					public void setReadListener(ReadListener listener) {
						throw new UnsupportedOperationException("Reads the cached body synchronously");
					}

				};
			}

			@Override
			public BufferedReader getReader() {
				String encoding = getCharacterEncoding();
				return new BufferedReader(new InputStreamReader(getInputStream(),
						(encoding != null) ? Charset.forName(encoding) : StandardCharsets.UTF_8));
			}

		}

	}

}
