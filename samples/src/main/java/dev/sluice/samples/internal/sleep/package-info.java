/** sleep/curl: a client pod whose app only waits. Internal: not an API. */
@NullMarked
package dev.sluice.samples.internal.sleep;

import org.jspecify.annotations.NullMarked;
