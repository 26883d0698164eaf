package io.github.supervision.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.test.context.TestPropertySource;

/**
 * Annotation for a test class whose application context should supervise its declared
 * services with {@link FakeSupervisionBackend fake backends} instead of the real ones:
 * the systemd, runit, supervisord and embedded backends are switched off, and a fake with
 * each of their ids answers for the services declared in {@code supervision.services}, so
 * that no daemon is contacted and no process is started. Tests drive the fakes through
 * the {@link FakeSupervision} bean: <pre class="code">
 * &#64;SpringBootTest
 * &#64;AutoConfigureSupervisionTest
 * class OrdersTests {
 *
 *     &#64;Autowired
 *     FakeSupervision supervision;
 *
 *     &#64;Test
 *     void reportsTheWorkerDown() {
 *         this.supervision.setState("worker", ServiceState.STOPPED);
 *         // ...
 *     }
 *
 * }
 * </pre>
 *
 * @author Supervision contributors
 * @see FakeSupervisionAutoConfiguration
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration(FakeSupervisionAutoConfiguration.class)
@TestPropertySource(properties = { "supervision.systemd.enabled=false", "supervision.runit.enabled=false",
		"supervision.supervisord.enabled=false", "supervision.embedded.enabled=false" })
public @interface AutoConfigureSupervisionTest {

}
