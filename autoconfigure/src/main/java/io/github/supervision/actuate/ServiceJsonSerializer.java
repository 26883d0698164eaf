package io.github.supervision.actuate;

import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.supervision.actuate.ServicesEndpoint.ServiceDescriptor;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.json.JsonGeneratorBase;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;

/**
 * Writes each service of {@code GET /actuator/services} as the JSON text it had the last
 * time, as long as nothing but its uptime changed: a service's JSON is made by the mapper
 * in use (so its settings apply) once per change, not once per request. Jackson makes one
 * instance per mapper, so each mapper keeps its own texts. A generator that does not
 * write JSON text (a conversion, such as JMX's) or writes it indented gets the ordinary
 * serialization.
 *
 * @author Supervision contributors
 */
class ServiceJsonSerializer extends ValueSerializer<ServiceDescriptor> {

	// Stands in for the uptime in the kept text: no real uptime is negative
	private static final long PLACEHOLDER = -8_361_402_957_113L;

	private static final String PLACEHOLDER_TEXT = Long.toString(PLACEHOLDER);

	private static final int MAX_KEPT = 10_000;

	private final Map<String, Text> texts = new ConcurrentHashMap<>();

	@Override
	public void serialize(ServiceDescriptor value, JsonGenerator generator, SerializationContext context) {
		if (!(generator instanceof JsonGeneratorBase) || context.hasPrettyPrinter()) {
			context.writeValue(generator, value);
			return;
		}
		Long uptime = value.uptimeSeconds();
		ServiceDescriptor key = (uptime != null) ? withUptime(value, PLACEHOLDER) : value;
		Text text = this.texts.get(value.name());
		if (text == null || !text.key().equals(key)) {
			text = render(key, context);
			if (this.texts.size() > MAX_KEPT) {
				// discovered services come and go; never let the texts grow without bound
				this.texts.clear();
			}
			this.texts.put(value.name(), text);
		}
		// The kept text is held as UTF-8 too: writing it is a copy of bytes
		generator.writeRawValue(text.before());
		if (text.after() != null && uptime != null) {
			generator.writeRaw(Long.toString(uptime));
			generator.writeRaw(text.after());
		}
	}

	private static ServiceDescriptor withUptime(ServiceDescriptor value, long uptime) {
		return new ServiceDescriptor(value.name(), value.backend(), value.target(), value.declared(), value.state(),
				value.rawState(), value.pid(), value.since(), uptime, value.restarts(), value.exitStatus(),
				value.description(), value.message(), value.details(), value.actions(), value.capabilities(),
				value.critical());
	}

	private static Text render(ServiceDescriptor key, SerializationContext context) {
		StringWriter out = new StringWriter(512);
		try (JsonGenerator json = context.createGenerator(out)) {
			context.writeValue(json, key);
		}
		String text = out.toString();
		int at = text.indexOf(PLACEHOLDER_TEXT);
		if (key.uptimeSeconds() == null || at < 0) {
			return new Text(key, new SerializedString(text), null);
		}
		return new Text(key, new SerializedString(text.substring(0, at)),
				new SerializedString(text.substring(at + PLACEHOLDER_TEXT.length())));
	}

	/**
	 * A service's JSON text, split around its uptime.
	 *
	 * @param key the service as it was written, with the placeholder for its uptime
	 * @param before the text before the uptime, or all of it when it has none
	 * @param after the text after the uptime, or {@code null} when it has none
	 */
	private record Text(ServiceDescriptor key, SerializedString before, @Nullable SerializedString after) {

	}

}
