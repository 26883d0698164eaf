/**
 * The systemd backend: units seen and controlled over D-Bus.
 */
@NullMarked
package io.github.supervision.systemd;

import org.jspecify.annotations.NullMarked;
