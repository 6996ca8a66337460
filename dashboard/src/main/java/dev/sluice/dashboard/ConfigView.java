package dev.sluice.dashboard;

import static java.util.Objects.requireNonNull;

import dev.sluice.config.Resource;
import java.util.List;
import java.util.function.Supplier;

/**
 * The mesh's Istio resources as the Config tab shows them: each with its YAML and the
 * {@code analyze} findings about it. The control plane implements it over its store, or uses
 * {@link #analyzing(Supplier)}.
 */
public interface ConfigView {

  /** The current resources, sorted by kind, namespace and name. */
  Snapshot snapshot();

  /** A view that runs every analyzer over {@code resources} at each call. */
  static ConfigView analyzing(Supplier<List<Resource>> resources) {
    return new AnalyzedConfigView(resources);
  }

  /** A view with nothing in it. */
  static ConfigView empty() {
    return () -> new Snapshot(List.of(), List.of());
  }

  /**
   * @param resources the resources with their findings
   * @param otherFindings findings about objects not in {@code resources} (defaults, cluster objects)
   */
  record Snapshot(List<Entry> resources, List<Finding> otherFindings) {
    public Snapshot {
      resources = List.copyOf(resources);
      otherFindings = List.copyOf(otherFindings);
    }
  }

  /**
   * One resource.
   *
   * @param kind {@code VirtualService}
   * @param namespace its namespace (empty for cluster-scoped)
   * @param name its name
   * @param yaml the object as YAML
   * @param findings analyzer findings about it, most severe first
   */
  record Entry(String kind, String namespace, String name, String yaml, List<Finding> findings) {
    public Entry {
      requireNonNull(kind, "kind");
      requireNonNull(namespace, "namespace");
      requireNonNull(name, "name");
      requireNonNull(yaml, "yaml");
      findings = List.copyOf(findings);
    }
  }

  /**
   * One analyzer finding.
   *
   * @param level Error, Warning or Info
   * @param code {@code IST0101}
   * @param resource Istio's friendly name of the resource concerned
   * @param message the text
   * @param documentationUrl istio.io's page about the code
   */
  record Finding(String level, String code, String resource, String message, String documentationUrl) {
    public Finding {
      requireNonNull(level, "level");
      requireNonNull(code, "code");
      requireNonNull(resource, "resource");
      requireNonNull(message, "message");
      requireNonNull(documentationUrl, "documentationUrl");
    }
  }
}
