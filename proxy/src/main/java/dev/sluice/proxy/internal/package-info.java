/**
 * The proxy runtime; not an API. Listeners, the HTTP connection manager and router, upstream
 * pools, the TCP proxy, the ADS client, the bootstrap loader, the admin server and statistics.
 * One package so that the pieces can stay package-private (STYLE §2).
 */
@org.jspecify.annotations.NullMarked
package dev.sluice.proxy.internal;
