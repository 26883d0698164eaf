/**
 * Small helpers that the catalog and every backend share: daemon threads, listener
 * dispatch, and one call in flight per key. Spring-free, and free of any backend.
 */
@NullMarked
package io.github.supervision.support;

import org.jspecify.annotations.NullMarked;
