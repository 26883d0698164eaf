/**
 * Status changes of declared services as Spring application events and as a Server-Sent
 * Events stream on the management server ({@code /actuator/serviceevents}).
 */
@NullMarked
package io.github.supervision.actuate.events;

import org.jspecify.annotations.NullMarked;
