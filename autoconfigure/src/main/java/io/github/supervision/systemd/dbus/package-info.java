/**
 * Raw D-Bus bindings of the systemd manager, mirroring the bus; only the systemd backend
 * uses them.
 */
@NullMarked
package io.github.supervision.systemd.dbus;

import org.jspecify.annotations.NullMarked;
