package io.github.supervision.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * Marks a test class that runs a real daemon (systemd, runit, daemontools, s6,
 * supervisord), so that a build can select or exclude those tests with
 * {@code -Dgroups=real-daemon} or {@code -DexcludedGroups=real-daemon}.
 *
 * @author Supervision contributors
 * @see SystemdSandbox
 * @see Runsvdir
 * @see SupervisordDaemon
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag(RealDaemonTest.TAG)
public @interface RealDaemonTest {

	/**
	 * The tag of the real-daemon tests.
	 */
	String TAG = "real-daemon";

}
