/**
 * Benchmarks of the spine: start-up cost of the starter and latency of the endpoint.
 */
@NullMarked
package io.github.supervision.benchmarks.spine;

import org.jspecify.annotations.NullMarked;
