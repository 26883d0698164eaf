/**
 * runit backend: reads and drives runit, daemontools and s6 services through their
 * {@code supervise/} files.
 */
@NullMarked
package io.github.supervision.runit;

import org.jspecify.annotations.NullMarked;
