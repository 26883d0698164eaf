/**
 * Test support for applications that use supervision: a fake backend that tests drive,
 * and {@link io.github.supervision.test.AutoConfigureSupervisionTest} that puts it in
 * place of the real backends.
 */
@NullMarked
package io.github.supervision.test;

import org.jspecify.annotations.NullMarked;
