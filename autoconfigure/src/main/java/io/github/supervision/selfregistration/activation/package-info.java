/**
 * The glue between registration and backends: activations that make systemd or
 * supervisord load, start, stop and forget an installed definition.
 */
@NullMarked
package io.github.supervision.selfregistration.activation;

import org.jspecify.annotations.NullMarked;
