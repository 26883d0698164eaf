/**
 * Benchmark of the runit backend against {@code sv}.
 */
@NullMarked
package io.github.supervision.benchmarks.runit;

import org.jspecify.annotations.NullMarked;
