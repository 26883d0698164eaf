/**
 * The application's own registration as configured by {@code supervision.registration.*}:
 * its properties, the definition they describe, and the report of how it is installed.
 */
@NullMarked
package io.github.supervision.selfregistration;

import org.jspecify.annotations.NullMarked;
