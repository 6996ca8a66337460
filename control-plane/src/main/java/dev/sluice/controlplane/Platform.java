package dev.sluice.controlplane;

import dev.sluice.config.Resource;
import dev.sluice.dashboard.ScrapeTarget;
import dev.sluice.registry.ApplyResult;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a platform (the local one, later Kubernetes) takes from sluiced's config API: the
 * Kubernetes objects of an apply (Namespaces, ServiceAccounts, Services, Deployments, Pods). Istio
 * objects go to the config store; a platform feeds {@link Sluiced#registry()} itself.
 *
 * <p>An apply is all or nothing: sluiced asks {@link #check} for every Kubernetes object and
 * validates every Istio object before anything is applied.
 */
public interface Platform {
  /** Why {@code resource} cannot be applied, or {@code null} when it can. */
  @Nullable String check(Resource resource);

  /** Applies a Kubernetes object (kubectl's {@code created}/{@code configured}/{@code unchanged}). */
  ApplyResult apply(Resource resource);

  /** Deletes a Kubernetes object ({@code DELETED}, or {@code UNCHANGED} with "not found"). */
  ApplyResult delete(Resource.Key key);

  /** The Kubernetes objects applied so far. */
  List<Resource> list();

  /**
   * Every running proxy's metrics endpoint ({@code /stats/prometheus}) with its pod, namespace and
   * app: what the dashboard scrapes and {@code /debug/prometheus_sd} lists.
   */
  default List<ScrapeTarget> scrapeTargets() {
    return List.of();
  }
}
