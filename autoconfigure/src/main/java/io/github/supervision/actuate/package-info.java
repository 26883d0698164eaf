/**
 * Actuator support: the {@code services} endpoint and the supervision health indicator.
 */
@NullMarked
package io.github.supervision.actuate;

import org.jspecify.annotations.NullMarked;
