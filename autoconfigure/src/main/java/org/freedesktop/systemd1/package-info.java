/**
 * Exceptions named after systemd's D-Bus errors: dbus-java raises the class whose name is
 * the error's name, which is how the systemd backend learns which error systemd sent.
 */
@NullMarked
package org.freedesktop.systemd1;

import org.jspecify.annotations.NullMarked;
