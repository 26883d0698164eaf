/**
 * Small helpers that the catalog and every backend share: daemon threads and listener
 * dispatch. Spring-free, and free of any backend.
 */
@NullMarked
package io.github.supervision.support;

import org.jspecify.annotations.NullMarked;
