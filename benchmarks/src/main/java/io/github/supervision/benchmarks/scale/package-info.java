/**
 * The scale curve: status calls and {@code GET /actuator/services} of the sample
 * application at 50, 500 and 5,000 services per backend, against the native tools.
 */
@NullMarked
package io.github.supervision.benchmarks.scale;

import org.jspecify.annotations.NullMarked;
