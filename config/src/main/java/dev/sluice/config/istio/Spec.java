package dev.sluice.config.istio;

/**
 * The typed body of a resource: an Istio {@code spec}, or the modelled part of a Kubernetes object.
 * Implemented by one record per kind (see {@link dev.sluice.config.ResourceKind}).
 */
public interface Spec {}
