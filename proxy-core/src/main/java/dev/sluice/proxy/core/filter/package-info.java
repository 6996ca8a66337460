/**
 * HTTP filter configurations as Envoy's (fault injection, CORS), parsed once at config time, and
 * the pure decisions they make per request.
 */
@org.jspecify.annotations.NullMarked
package dev.sluice.proxy.core.filter;
