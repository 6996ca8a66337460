/** Shared plumbing of the samples: a small HTTP server on the JDK's {@code HttpServer} with virtual threads, and an outbound client that honours {@code http_proxy}. Internal: not an API. */
@NullMarked
package dev.sluice.samples.internal.http;

import org.jspecify.annotations.NullMarked;
