/** httpbin in two flavours: go-httpbin (Istio's current {@code samples/httpbin}) and the Python httpbin ({@code kennethreitz/httpbin}, the mirroring task). Internal: not an API. */
@NullMarked
package dev.sluice.samples.internal.httpbin;

import org.jspecify.annotations.NullMarked;
