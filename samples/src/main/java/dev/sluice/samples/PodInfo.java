package dev.sluice.samples;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * The metadata of the pod a sample runs in, as the platform created it from a Deployment.
 *
 * @param name the pod name, e.g. {@code reviews-v2-5b8f7c9d4-x2k9p}; also the default
 *     {@code HOSTNAME}
 * @param namespace the namespace, e.g. {@code default}
 * @param labels the pod template's labels ({@code app}, {@code version}, …)
 * @param serviceAccount the service account name, empty when none
 */
public record PodInfo(String name, String namespace, Map<String, String> labels, String serviceAccount) {

  /** Validates and copies. */
  public PodInfo {
    requireNonNull(name, "name");
    requireNonNull(namespace, "namespace");
    labels = Map.copyOf(requireNonNull(labels, "labels"));
    requireNonNull(serviceAccount, "serviceAccount");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name: \"\" (expected: a pod name)");
    }
  }

  /** A pod named {@code name} in namespace {@code default}, without labels or account. */
  public static PodInfo named(String name) {
    return new PodInfo(name, "default", Map.of(), "");
  }
}
