/** Listeners and their network filters (HTTP connection manager, TCP proxy). */
@org.jspecify.annotations.NullMarked
package dev.sluice.proxy.core.listener;
