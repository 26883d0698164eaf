/**
 * Benchmark of log tails read through the catalog against the native tools.
 */
@NullMarked
package io.github.supervision.benchmarks.logs;

import org.jspecify.annotations.NullMarked;
