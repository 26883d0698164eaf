/**
 * sd_notify: telling systemd that the application is ready, what it is doing, that it is
 * stopping, and that it is still alive.
 */
@NullMarked
package io.github.supervision.notify;

import org.jspecify.annotations.NullMarked;
