/**
 * The embedded supervisor: runs declared commands as child processes of the JVM.
 */
@NullMarked
package io.github.supervision.embedded;

import org.jspecify.annotations.NullMarked;
