/**
 * Pure conversions of Kubernetes objects (Services, Deployments, Pods) and Istio's
 * WorkloadEntries and ServiceEntries into registry records.
 */
@NullMarked
package dev.sluice.registry.kube;

import org.jspecify.annotations.NullMarked;
