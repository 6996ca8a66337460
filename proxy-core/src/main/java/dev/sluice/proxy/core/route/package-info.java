/** Route tables: virtual-host selection by authority, route matches (path, headers, query parameters) and route actions, all precompiled at config time. */
@org.jspecify.annotations.NullMarked
package dev.sluice.proxy.core.route;
