/**
 * Benchmark of the systemd backend against busctl and systemctl, on a sandboxed systemd.
 */
@NullMarked
package io.github.supervision.benchmarks.systemd;

import org.jspecify.annotations.NullMarked;
