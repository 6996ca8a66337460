/** helloworld v1/v2: {@code GET /hello} answers with the version and the pod name. Internal: not an API. */
@NullMarked
package dev.sluice.samples.internal.helloworld;

import org.jspecify.annotations.NullMarked;
