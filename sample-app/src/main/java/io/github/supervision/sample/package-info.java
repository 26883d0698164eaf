/**
 * A sample application that supervises a few demo services with the embedded backend.
 */
@NullMarked
package io.github.supervision.sample;

import org.jspecify.annotations.NullMarked;
