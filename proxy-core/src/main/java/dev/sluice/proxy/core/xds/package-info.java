/** Parsers from Envoy v3 protos to proxy records; one result or one error per resource. */
@org.jspecify.annotations.NullMarked
package dev.sluice.proxy.core.xds;
