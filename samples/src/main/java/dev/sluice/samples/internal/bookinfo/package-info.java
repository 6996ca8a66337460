/** Bookinfo: productpage, details, reviews (v1, v2, v3) and ratings, as Istio's {@code samples/bookinfo/src} behave. Internal: not an API. */
@NullMarked
package dev.sluice.samples.internal.bookinfo;

import org.jspecify.annotations.NullMarked;
