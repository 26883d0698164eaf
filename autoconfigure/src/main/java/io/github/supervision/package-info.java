/**
 * Supervision API: the model of a supervised service and the SPI that backends implement.
 */
@NullMarked
package io.github.supervision;

import org.jspecify.annotations.NullMarked;
