package io.github.supervision.supervisord;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.jspecify.annotations.Nullable;

/**
 * A small XML-RPC codec for the value types supervisord uses: int ({@code i4}), boolean,
 * string, double, array, struct, nil and faults. Responses are parsed with the JDK's StAX
 * parser with DTDs and external entities off, after the caller has capped the body's
 * size, and with a cap on the nesting depth. Anything else (a DOCTYPE, an unknown value
 * type, an HTML page, truncated XML) is rejected with an {@link XmlRpcResponseException}
 * that says what was wrong.
 */
final class XmlRpcCodec {

	/**
	 * Deepest nesting of arrays and structs accepted. supervisord's deepest answer
	 * ({@code reloadConfig}) nests three arrays.
	 */
	static final int MAX_DEPTH = 16;

	private static final XMLInputFactory FACTORY = createFactory();

	private XmlRpcCodec() {
	}

	private static XMLInputFactory createFactory() {
		XMLInputFactory factory = XMLInputFactory.newFactory();
		factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
		factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
		factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
		factory.setProperty(XMLInputFactory.IS_COALESCING, true);
		factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, false);
		setIfSupported(factory, XMLConstants.ACCESS_EXTERNAL_DTD, "");
		setIfSupported(factory, XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
		factory.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
			throw new XMLStreamException("External entities are not allowed");
		});
		return factory;
	}

	private static void setIfSupported(XMLInputFactory factory, String name, Object value) {
		if (factory.isPropertySupported(name)) {
			factory.setProperty(name, value);
		}
	}

	/**
	 * Encode a method call.
	 * @param method the method, from the fixed table
	 * @param params the parameters: {@link String}, {@link Integer} or {@link Boolean}
	 * @return the request body, UTF-8
	 */
	static byte[] encodeCall(SupervisordMethod method, List<?> params) {
		StringBuilder xml = new StringBuilder(128);
		xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?><methodCall><methodName>")
			.append(method.methodName())
			.append("</methodName><params>");
		for (Object param : params) {
			xml.append("<param><value>");
			if (param instanceof String string) {
				xml.append("<string>").append(escape(string)).append("</string>");
			}
			else if (param instanceof Integer integer) {
				xml.append("<int>").append(integer).append("</int>");
			}
			else if (param instanceof Boolean bool) {
				xml.append("<boolean>").append(bool ? '1' : '0').append("</boolean>");
			}
			else {
				throw new IllegalArgumentException(
						"Unsupported parameter type " + ((param != null) ? param.getClass().getSimpleName() : "null"));
			}
			xml.append("</value></param>");
		}
		xml.append("</params></methodCall>");
		return xml.toString().getBytes(StandardCharsets.UTF_8);
	}

	static String escape(String text) {
		StringBuilder escaped = new StringBuilder(text.length() + 8);
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '&' -> escaped.append("&amp;");
				case '<' -> escaped.append("&lt;");
				case '>' -> escaped.append("&gt;");
				default -> {
					if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
						throw new IllegalArgumentException("Control characters cannot be sent in XML-RPC strings");
					}
					escaped.append(c);
				}
			}
		}
		return escaped.toString();
	}

	/**
	 * Decode a method response.
	 * @param body the response body, already capped in size by the caller
	 * @return the returned value: {@link Integer}, {@link Boolean}, {@link String},
	 * {@link Double}, {@code List<Object>}, {@code Map<String, Object>}, or {@code null}
	 * for nil
	 * @throws SupervisordFaultException if the response is a fault
	 * @throws XmlRpcResponseException if the response is not a valid XML-RPC response
	 */
	static @Nullable Object decodeResponse(byte[] body) {
		if (looksLikeHtml(body)) {
			throw new XmlRpcResponseException("the answer is an HTML page, not an XML-RPC response");
		}
		XMLStreamReader reader;
		try {
			reader = FACTORY.createXMLStreamReader(new ByteArrayInputStream(withoutControls(body)));
		}
		catch (XMLStreamException ex) {
			throw new XmlRpcResponseException("the answer is not XML", ex);
		}
		try {
			return new Parser(reader).methodResponse();
		}
		catch (XMLStreamException ex) {
			throw new XmlRpcResponseException(describe(ex), ex);
		}
		catch (RuntimeException ex) {
			if (ex instanceof XmlRpcResponseException || ex instanceof SupervisordFaultException) {
				throw ex;
			}
			// StAX implementations report some malformed input with unchecked exceptions
			throw new XmlRpcResponseException("the answer is not well-formed XML", ex);
		}
		finally {
			try {
				reader.close();
			}
			catch (XMLStreamException ex) {
				// nothing left to release
			}
		}
	}

	/**
	 * The first code point of the private-use characters that stand for the C0 control
	 * characters XML 1.0 cannot hold: supervisord writes a log's escape sequences and
	 * other controls into its answers as they are.
	 */
	static final char CONTROL_BASE = '\uE000';

	// Each control byte but TAB, LF and CR becomes CONTROL_BASE + byte, in UTF-8, so that
	// the answer parses; XmlRpcAnswers maps them back in a log's text. A control byte
	// cannot be part of a multi-byte UTF-8 sequence, so this never splits a character.
	static byte[] withoutControls(byte[] body) {
		int controls = 0;
		for (byte b : body) {
			if (isXmlControl(b)) {
				controls++;
			}
		}
		if (controls == 0) {
			return body;
		}
		byte[] mapped = new byte[body.length + 2 * controls];
		int j = 0;
		for (byte b : body) {
			if (isXmlControl(b)) {
				int c = CONTROL_BASE + b;
				mapped[j++] = (byte) (0xE0 | (c >> 12));
				mapped[j++] = (byte) (0x80 | ((c >> 6) & 0x3F));
				mapped[j++] = (byte) (0x80 | (c & 0x3F));
			}
			else {
				mapped[j++] = b;
			}
		}
		return mapped;
	}

	private static boolean isXmlControl(byte b) {
		return b >= 0 && b < 0x20 && b != '\t' && b != '\n' && b != '\r';
	}

	private static String describe(XMLStreamException ex) {
		String message = String.valueOf(ex.getMessage());
		if (message.contains("XML document structures must start and end") || message.contains("Premature end of file")
				|| message.contains("end of file")) {
			return "the answer is truncated XML";
		}
		return "the answer is not well-formed XML";
	}

	private static boolean looksLikeHtml(byte[] body) {
		int length = Math.min(body.length, 512);
		String start = new String(body, 0, length, StandardCharsets.ISO_8859_1).stripLeading()
			.toLowerCase(java.util.Locale.ROOT);
		return start.startsWith("<!doctype html") || start.startsWith("<html") || start.startsWith("<head")
				|| start.startsWith("<body");
	}

	/**
	 * Recursive-descent parser over the StAX events of one response.
	 */
	private static final class Parser {

		private final XMLStreamReader reader;

		private int depth;

		Parser(XMLStreamReader reader) {
			this.reader = reader;
		}

		@Nullable Object methodResponse() throws XMLStreamException {
			expectStart("methodResponse");
			String element = nextStart();
			Object result;
			if ("params".equals(element)) {
				expectStart("param");
				expectStart("value");
				result = value();
				expectEnd("param");
				expectEnd("params");
			}
			else if ("fault".equals(element)) {
				expectStart("value");
				Object fault = value();
				expectEnd("fault");
				throw fault(fault);
			}
			else {
				throw new XmlRpcResponseException(
						"expected <params> or <fault> in <methodResponse> but found <" + element + ">");
			}
			expectEnd("methodResponse");
			while (this.reader.hasNext()) {
				int event = this.reader.next();
				if (event == XMLStreamConstants.START_ELEMENT || isText(event)) {
					throw new XmlRpcResponseException("unexpected content after </methodResponse>");
				}
			}
			return result;
		}

		private SupervisordFaultException fault(@Nullable Object fault) {
			if (fault instanceof Map<?, ?> map && map.get("faultCode") instanceof Integer code) {
				Object faultString = map.get("faultString");
				return new SupervisordFaultException(code, (faultString != null) ? faultString.toString() : "");
			}
			throw new XmlRpcResponseException("the fault has no integer faultCode");
		}

		// Parses a value whose <value> start tag was just read, up to and including its
		// end tag.
		private @Nullable Object value() throws XMLStreamException {
			StringBuilder text = new StringBuilder();
			while (true) {
				int event = next();
				if (isText(event)) {
					text.append(this.reader.getText());
				}
				else if (event == XMLStreamConstants.START_ELEMENT) {
					Object value = typed(this.reader.getLocalName());
					expectEnd("value");
					return value;
				}
				else if (event == XMLStreamConstants.END_ELEMENT) {
					// an untyped value is a string
					return text.toString();
				}
			}
		}

		private @Nullable Object typed(String type) throws XMLStreamException {
			return switch (type) {
				case "int", "i4" -> parseInt(text(type), type);
				case "boolean" -> parseBoolean(text(type));
				case "string" -> text(type);
				case "double" -> parseDouble(text(type));
				case "nil" -> {
					expectEnd("nil");
					yield null;
				}
				case "array" -> array();
				case "struct" -> struct();
				default -> throw new XmlRpcResponseException("unknown XML-RPC value type <" + type + ">");
			};
		}

		private List<@Nullable Object> array() throws XMLStreamException {
			enter();
			expectStart("data");
			List<@Nullable Object> values = new ArrayList<>();
			while (true) {
				String element = nextStartOrEnd("data");
				if (element == null) {
					break;
				}
				requireElement("value", element);
				values.add(value());
			}
			expectEnd("array");
			this.depth--;
			return values;
		}

		private Map<String, @Nullable Object> struct() throws XMLStreamException {
			enter();
			Map<String, @Nullable Object> members = new LinkedHashMap<>();
			while (true) {
				String element = nextStartOrEnd("struct");
				if (element == null) {
					break;
				}
				requireElement("member", element);
				expectStart("name");
				String name = text("name");
				expectStart("value");
				members.put(name, value());
				expectEnd("member");
			}
			this.depth--;
			return members;
		}

		private void enter() {
			this.depth++;
			if (this.depth > MAX_DEPTH) {
				throw new XmlRpcResponseException("the answer nests arrays and structs deeper than " + MAX_DEPTH
						+ " levels, which supervisord never does");
			}
		}

		// Reads the text of an element whose start tag was just read, up to and
		// including its end tag.
		private String text(String element) throws XMLStreamException {
			StringBuilder text = new StringBuilder();
			while (true) {
				int event = next();
				if (isText(event)) {
					text.append(this.reader.getText());
				}
				else if (event == XMLStreamConstants.END_ELEMENT) {
					return text.toString();
				}
				else if (event == XMLStreamConstants.START_ELEMENT) {
					throw new XmlRpcResponseException(
							"unexpected <" + this.reader.getLocalName() + "> inside <" + element + ">");
				}
			}
		}

		private void expectStart(String element) throws XMLStreamException {
			requireElement(element, nextStart());
		}

		private void requireElement(String expected, String actual) {
			if (!expected.equals(actual)) {
				throw new XmlRpcResponseException("expected <" + expected + "> but found <" + actual + ">");
			}
		}

		private String nextStart() throws XMLStreamException {
			while (true) {
				int event = next();
				if (event == XMLStreamConstants.START_ELEMENT) {
					return this.reader.getLocalName();
				}
				if (event == XMLStreamConstants.END_ELEMENT) {
					throw new XmlRpcResponseException("unexpected </" + this.reader.getLocalName() + ">");
				}
				requireWhitespace(event);
			}
		}

		private @Nullable String nextStartOrEnd(String parent) throws XMLStreamException {
			while (true) {
				int event = next();
				if (event == XMLStreamConstants.START_ELEMENT) {
					return this.reader.getLocalName();
				}
				if (event == XMLStreamConstants.END_ELEMENT) {
					requireElement("/" + parent, "/" + this.reader.getLocalName());
					return null;
				}
				requireWhitespace(event);
			}
		}

		private void expectEnd(String element) throws XMLStreamException {
			while (true) {
				int event = next();
				if (event == XMLStreamConstants.END_ELEMENT) {
					requireElement("/" + element, "/" + this.reader.getLocalName());
					return;
				}
				if (event == XMLStreamConstants.START_ELEMENT) {
					throw new XmlRpcResponseException(
							"expected </" + element + "> but found <" + this.reader.getLocalName() + ">");
				}
				requireWhitespace(event);
			}
		}

		private void requireWhitespace(int event) {
			if (isText(event) && !this.reader.isWhiteSpace() && !this.reader.getText().isBlank()) {
				throw new XmlRpcResponseException("unexpected text between XML-RPC elements");
			}
		}

		private int next() throws XMLStreamException {
			if (!this.reader.hasNext()) {
				throw new XmlRpcResponseException("the answer is truncated XML");
			}
			int event = this.reader.next();
			switch (event) {
				case XMLStreamConstants.DTD -> throw new XmlRpcResponseException(
						"the answer has a DOCTYPE declaration, which XML-RPC never sends; it was not processed");
				case XMLStreamConstants.ENTITY_REFERENCE ->
					throw new XmlRpcResponseException("the answer refers to entity '" + this.reader.getLocalName()
							+ "', which XML-RPC never does; it was not expanded");
				case XMLStreamConstants.END_DOCUMENT ->
					throw new XmlRpcResponseException("the answer is truncated XML");
				default -> {
					return event;
				}
			}
		}

		private static boolean isText(int event) {
			return event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA
					|| event == XMLStreamConstants.SPACE;
		}

		private static Integer parseInt(String text, String type) {
			try {
				return Integer.valueOf(text.strip());
			}
			catch (NumberFormatException ex) {
				throw new XmlRpcResponseException("<" + type + "> does not hold a 32-bit integer");
			}
		}

		private static Boolean parseBoolean(String text) {
			return switch (text.strip()) {
				case "1" -> Boolean.TRUE;
				case "0" -> Boolean.FALSE;
				default -> throw new XmlRpcResponseException("<boolean> holds neither 0 nor 1");
			};
		}

		private static Double parseDouble(String text) {
			try {
				return Double.valueOf(text.strip());
			}
			catch (NumberFormatException ex) {
				throw new XmlRpcResponseException("<double> does not hold a number");
			}
		}

	}

}
