package io.github.supervision.supervisord;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link XmlRpcCodec}.
 */
class XmlRpcCodecTests {

	private static Object decode(String value) {
		return XmlRpcCodec.decodeResponse(("<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n" + value
				+ "\n</param>\n</params>\n</methodResponse>\n")
			.getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void decodesEveryValueTypeSupervisordSends() {
		assertThat(decode("<value><int>42</int></value>")).isEqualTo(42);
		assertThat(decode("<value><i4>-7</i4></value>")).isEqualTo(-7);
		assertThat(decode("<value><boolean>1</boolean></value>")).isEqualTo(true);
		assertThat(decode("<value><boolean>0</boolean></value>")).isEqualTo(false);
		assertThat(decode("<value><string>a &amp; b &lt;c&gt;</string></value>")).isEqualTo("a & b <c>");
		assertThat(decode("<value>untyped</value>")).isEqualTo("untyped");
		assertThat(decode("<value><string></string></value>")).isEqualTo("");
		assertThat(decode("<value><double>1.5</double></value>")).isEqualTo(1.5);
		assertThat(decode("<value><nil/></value>")).isNull();
		assertThat(decode("<value><array><data>\n<value><int>1</int></value>\n<value><string>x</string></value>"
				+ "</data></array></value>"))
			.isEqualTo(List.of(1, "x"));
		assertThat(decode("<value><struct>\n<member>\n<name>name</name>\n<value><string>web</string></value>\n"
				+ "</member>\n<member><name>pid</name><value><int>9</int></value></member></struct></value>"))
			.isEqualTo(Map.of("name", "web", "pid", 9));
		assertThat(decode("<value><array><data><value><array><data><value><array><data>"
				+ "<value><string>added</string></value></data></array></value></data></array></value>"
				+ "</data></array></value>"))
			.isEqualTo(List.of(List.of(List.of("added"))));
		assertThat(decode("<value><string>caf\u00e9 \u2713</string></value>")).isEqualTo("caf\u00e9 \u2713");
	}

	@Test
	void decodesAFault() {
		assertThatExceptionOfType(SupervisordFaultException.class)
			.isThrownBy(() -> XmlRpcCodec.decodeResponse(("<?xml version='1.0'?><methodResponse><fault><value>"
					+ "<struct><member><name>faultCode</name><value><int>50</int></value></member>"
					+ "<member><name>faultString</name><value><string>SPAWN_ERROR: web</string></value>"
					+ "</member></struct></value></fault></methodResponse>")
				.getBytes(StandardCharsets.UTF_8)))
			.satisfies((ex) -> {
				assertThat(ex.getFault()).isEqualTo(SupervisordFault.SPAWN_ERROR);
				assertThat(ex.getFaultName()).isEqualTo("SPAWN_ERROR");
				assertThat(ex.getCode()).isEqualTo(50);
			});
	}

	@Test
	void rejectsMalformedValues() {
		assertThatExceptionOfType(XmlRpcResponseException.class)
			.isThrownBy(() -> decode("<value><int>12x</int></value>"))
			.withMessageContaining("<int>");
		assertThatExceptionOfType(XmlRpcResponseException.class)
			.isThrownBy(() -> decode("<value><boolean>yes</boolean></value>"));
		assertThatExceptionOfType(XmlRpcResponseException.class)
			.isThrownBy(() -> decode("<value><struct><member><value><int>1</int></value></member></struct></value>"))
			.withMessageContaining("expected <name>");
		assertThatExceptionOfType(XmlRpcResponseException.class)
			.isThrownBy(() -> decode("<value><dateTime.iso8601>20260101T00:00:00</dateTime.iso8601></value>"))
			.withMessageContaining("unknown XML-RPC value type");
		assertThatExceptionOfType(XmlRpcResponseException.class)
			.isThrownBy(() -> XmlRpcCodec.decodeResponse("<methodCall/>".getBytes(StandardCharsets.UTF_8)))
			.withMessageContaining("expected <methodResponse>");
		assertThatExceptionOfType(XmlRpcResponseException.class)
			.isThrownBy(() -> XmlRpcCodec.decodeResponse(new byte[0]));
	}

	@Test
	void allowsNestingUpToTheCapAndNoDeeper() {
		String allowed = "<value><array><data>".repeat(XmlRpcCodec.MAX_DEPTH)
				+ "</data></array></value>".repeat(XmlRpcCodec.MAX_DEPTH);
		assertThat(decode(allowed)).isInstanceOf(List.class);
		String deeper = "<value><array><data>".repeat(XmlRpcCodec.MAX_DEPTH + 1)
				+ "</data></array></value>".repeat(XmlRpcCodec.MAX_DEPTH + 1);
		assertThatExceptionOfType(XmlRpcResponseException.class).isThrownBy(() -> decode(deeper))
			.withMessageContaining("deeper than");
	}

	@Test
	void encodesACallWithEscapedStringsIntegersAndBooleans() {
		String xml = new String(
				XmlRpcCodec.encodeCall(SupervisordMethod.TAIL_PROCESS_STDOUT_LOG, List.of("a<b>&c", 0, true)),
				StandardCharsets.UTF_8);
		assertThat(xml).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><methodCall>"
				+ "<methodName>supervisor.tailProcessStdoutLog</methodName><params>"
				+ "<param><value><string>a&lt;b&gt;&amp;c</string></value></param>"
				+ "<param><value><int>0</int></value></param>"
				+ "<param><value><boolean>1</boolean></value></param></params></methodCall>");
	}

	@Test
	void refusesToEncodeControlCharactersAndOtherTypes() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> XmlRpcCodec.encodeCall(SupervisordMethod.GET_PROCESS_INFO, List.of("a\u0000b")));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> XmlRpcCodec.encodeCall(SupervisordMethod.GET_PROCESS_INFO, List.of(1.5)));
	}

	@Test
	void everyMethodNameIsAFixedSupervisorMethod() {
		assertThat(Arrays.stream(SupervisordMethod.values()).map(SupervisordMethod::methodName))
			.allMatch((name) -> name.matches("supervisor\\.[a-zA-Z]+"));
	}

	@Test
	void mapsFaultCodes() {
		assertThat(SupervisordFault.of(10)).isEqualTo(SupervisordFault.BAD_NAME);
		assertThat(SupervisordFault.of(92)).isEqualTo(SupervisordFault.CANT_REREAD);
		assertThat(SupervisordFault.of(12345)).isEqualTo(SupervisordFault.OTHER);
		assertThat(new SupervisordFaultException(12345, "odd").getFaultName()).isEqualTo("12345");
	}

}
