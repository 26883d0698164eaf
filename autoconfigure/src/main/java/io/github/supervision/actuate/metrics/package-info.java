/**
 * Micrometer support: meters for the declared services and their backends, read from one
 * catalog snapshot, and an observation of every action.
 */
@NullMarked
package io.github.supervision.actuate.metrics;

import org.jspecify.annotations.NullMarked;
