/**
 * Benchmarks that time the project against the native tools in one run.
 */
@NullMarked
package io.github.supervision.benchmarks;

import org.jspecify.annotations.NullMarked;
