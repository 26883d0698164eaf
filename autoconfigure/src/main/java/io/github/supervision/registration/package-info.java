/**
 * Self-registration: generators of the application's own systemd unit, runit service and
 * supervisord program, and the installers that write them.
 */
@NullMarked
package io.github.supervision.registration;

import org.jspecify.annotations.NullMarked;
