/**
 * A small Spring Boot application for the one-shot registration mode tests.
 */
@NullMarked
package io.github.supervision.registration.app;

import org.jspecify.annotations.NullMarked;
