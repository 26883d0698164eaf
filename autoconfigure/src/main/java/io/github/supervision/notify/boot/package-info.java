/**
 * The sd_notify runtime of a Spring application: readiness, status, stopping and watchdog
 * pings driven by the application's events.
 */
@NullMarked
package io.github.supervision.notify.boot;

import org.jspecify.annotations.NullMarked;
