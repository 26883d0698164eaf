/**
 * The one-shot registration command ({@code --supervision.registration.mode}) and the
 * listener that runs it before the application starts.
 */
@NullMarked
package io.github.supervision.selfregistration.command;

import org.jspecify.annotations.NullMarked;
