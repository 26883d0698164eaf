package io.github.supervision.actuate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.supervision.actuate.ServicesEndpoint.BackendDescriptor;
import io.github.supervision.actuate.ServicesEndpoint.ServiceDescriptor;
import io.github.supervision.actuate.ServicesEndpoint.ServicesDescriptor;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the JSON of {@link ServicesDescriptor}: each service's kept text must be what
 * the mapper writes for it, whatever changed since the last answer.
 *
 * @author Supervision contributors
 */
class ServicesEndpointJsonTests {

	// As the actuator's own mapper is made (JacksonEndpointAutoConfiguration)
	private final JsonMapper mapper = JsonMapper.builder()
		.changeDefaultPropertyInclusion((inclusion) -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL)
			.withContentInclusion(JsonInclude.Include.NON_NULL))
		.build();

	@Test
	void eachServiceIsWrittenAsTheMapperWritesIt() {
		List<ServiceDescriptor> services = services(90, "running", "a \"quoted\" description\n");
		assertWrittenAsTheMapperDoes(this.mapper, services);
	}

	@Test
	void aChangeOfUptimeOrOfAnyOtherFieldIsWritten() {
		assertWrittenAsTheMapperDoes(this.mapper, services(90, "running", "one"));
		assertWrittenAsTheMapperDoes(this.mapper, services(91, "running", "one"));
		assertWrittenAsTheMapperDoes(this.mapper, services(91, "stopped", "one"));
		assertWrittenAsTheMapperDoes(this.mapper, services(92, "stopped", "two"));
		List<ServiceDescriptor> withoutUptime = services(5, "stopped", "two").stream()
			.map((service) -> new ServiceDescriptor(service.name(), service.backend(), service.target(),
					service.declared(), service.state(), service.rawState(), null, null, null, null, 3, null,
					"it stopped", service.details(), service.actions(), List.of(), false))
			.toList();
		assertWrittenAsTheMapperDoes(this.mapper, withoutUptime);
		assertWrittenAsTheMapperDoes(this.mapper, services(92, "running", "two"));
	}

	@Test
	void anIndentingMapperGetsItsOrdinaryOutput() {
		JsonMapper indenting = this.mapper.rebuild().enable(SerializationFeature.INDENT_OUTPUT).build();
		List<ServiceDescriptor> services = services(90, "running", "one");
		String written = indenting.writeValueAsString(new ServicesDescriptor(services, Map.of(), null));
		assertThat(written).contains("\n    \"name\" : \"s0\"");
		assertWrittenAsTheMapperDoes(indenting, services);
	}

	@Test
	void aConversionToAMapGetsTheOrdinaryValues() {
		List<ServiceDescriptor> services = services(90, "running", "one");
		this.mapper.writeValueAsString(new ServicesDescriptor(services, Map.of(), null));
		@SuppressWarnings("unchecked")
		Map<String, Object> converted = this.mapper.convertValue(new ServicesDescriptor(services, Map.of(), null),
				Map.class);
		assertThat(converted.get("services")).isInstanceOf(List.class);
		assertThat(((List<?>) converted.get("services")).get(0)).isInstanceOf(Map.class);
		JsonNode expected = this.mapper.valueToTree(services);
		JsonNode actual = this.mapper.valueToTree(converted.get("services"));
		assertThat(actual).isEqualTo(expected);
	}

	private void assertWrittenAsTheMapperDoes(JsonMapper mapper, List<ServiceDescriptor> services) {
		Map<String, BackendDescriptor> backends = new LinkedHashMap<>();
		backends.put("runit", new BackendDescriptor(true, null));
		String written = mapper.writeValueAsString(new ServicesDescriptor(services, backends, null));
		JsonNode tree = mapper.readTree(written);
		// A list of descriptors on its own is written by the ordinary bean serializer
		assertThat(tree.get("services")).isEqualTo(mapper.readTree(mapper.writeValueAsString(services)));
		assertThat(tree.get("backends")).isEqualTo(mapper.valueToTree(backends));
	}

	private static List<ServiceDescriptor> services(long uptime, String state, String description) {
		List<ServiceDescriptor> services = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			Map<String, String> details = new LinkedHashMap<>();
			details.put("flavour", "runit");
			details.put("watch", "inotify");
			services.add(new ServiceDescriptor("s" + i, "runit", "s" + i, true, state, "run", 100L + i,
					Instant.parse("2026-11-30T09:00:00Z").toString(), uptime + i, null, null, description, null,
					details, List.of("start", "stop"), List.of("log"), i == 0));
		}
		return services;
	}

}
