/**
 * The local platform: Kubernetes Deployments, Services and Pods run as local workload instances
 * ("pods") on loopback, each with its app (a built-in sample in this JVM, or the container's
 * command as a process) and its own sidecar proxy; Istio's default ingress gateway at
 * {@code http://127.0.0.1:8080}. It feeds sluiced's service registry and starts proxies; nothing
 * in the core knows it exists. Entry point: {@link dev.sluice.platform.local.LocalPlatform}.
 */
@NullMarked
package dev.sluice.platform.local;

import org.jspecify.annotations.NullMarked;
