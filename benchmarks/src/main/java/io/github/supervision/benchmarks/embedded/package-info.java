/**
 * Benchmark of the embedded backend against plain process handling.
 */
@NullMarked
package io.github.supervision.benchmarks.embedded;

import org.jspecify.annotations.NullMarked;
