/**
 * Benchmark of the supervisord backend against supervisorctl and a raw XML-RPC call.
 */
@NullMarked
package io.github.supervision.benchmarks.supervisord;

import org.jspecify.annotations.NullMarked;
