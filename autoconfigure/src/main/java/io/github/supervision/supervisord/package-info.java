/**
 * supervisord backend: a hardened XML-RPC client over a Unix socket or TCP.
 */
@NullMarked
package io.github.supervision.supervisord;

import org.jspecify.annotations.NullMarked;
