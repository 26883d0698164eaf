/**
 * Auto-configuration and configuration properties for supervision.
 */
@NullMarked
package io.github.supervision.autoconfigure;

import org.jspecify.annotations.NullMarked;
