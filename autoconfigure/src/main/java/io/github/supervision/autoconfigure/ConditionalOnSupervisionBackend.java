package io.github.supervision.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Matches when a backend is in use: a declared service names it, one of its
 * {@link #inUseWhenSet() own properties} (such as its discovery) is set, or
 * {@code supervision.<backend>.enabled} is explicitly {@code true}. An application that
 * declares nothing for a backend gets no idle one. It reads configuration only, so
 * {@code spring-boot:process-aot} decides it at build time.
 *
 * @author Supervision contributors
 * @see OnSupervisionBackendCondition
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(OnSupervisionBackendCondition.class)
@interface ConditionalOnSupervisionBackend {

	/**
	 * The backend's id, such as {@code systemd}.
	 * @return the backend's id
	 */
	String value();

	/**
	 * Properties of the backend whose setting puts it in use, such as
	 * {@code supervision.systemd.discover}: one set to something other than an empty
	 * value or {@code false}.
	 * @return the properties' names
	 */
	String[] inUseWhenSet() default {};

}
