/**
 * Sluice's configuration model: Istio and Kubernetes resources as immutable records.
 *
 * <p>Why our own records and not fabric8's {@code istio-model}: its classes are mutable, unknown
 * fields land silently in {@code additionalProperties}, and they keep no file and line. Here YAML is
 * read token by token into a tree that remembers where every field came from ({@link
 * dev.sluice.config.yaml.YamlReader}), and Jackson then binds each {@code spec} into records with
 * unknown fields rejected, exactly as Istio's CRD schema rejects them (IST0106).
 */
@NullMarked
package dev.sluice.config;

import org.jspecify.annotations.NullMarked;
