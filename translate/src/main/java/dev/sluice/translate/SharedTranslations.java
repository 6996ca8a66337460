package dev.sluice.translate;

import dev.sluice.config.Resource;
import dev.sluice.config.istio.VirtualService;
import dev.sluice.registry.MeshService;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The outbound clusters and load assignments of one {@link MeshSnapshot}, translated once and
 * shared by every view of that snapshot (istiod's {@code XdsCache} for CDS and EDS), and the
 * sidecar virtual hosts of each view, carried over from the previous snapshot when unchanged. A view differs
 * from another in which DestinationRule applies to a host (namespace, {@code workloadSelector}),
 * so the key is the host, port or cluster name, and that rule, by identity: within one snapshot
 * every other input (the service, its instances, the rule's content) follows from them. Safe for
 * concurrent views; a memo only, so translation stays a function of the snapshot and the proxy.
 *
 * <pre>{@code
 * SharedTranslations memo = new SharedTranslations(snapshot);
 * views.parallelStream().map(node -> XdsTranslator.translateShared(snapshot, node, memo))...
 * }</pre>
 */
public final class SharedTranslations {
  /** What a cached resource was built from; the rule by identity (records compare deeply). */
  private record Key(String name, int port, @Nullable Resource rule) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.port == port && k.rule == rule && k.name.equals(name);
    }

    @Override
    public int hashCode() {
      return name.hashCode() * 31 + port + System.identityHashCode(rule);
    }
  }

  private final MeshSnapshot mesh;
  private volatile @Nullable SharedTranslations previous;
  private final Map<Key, List<Cluster>> clusters = new ConcurrentHashMap<>();
  private final Map<Key, ClusterLoadAssignment> assignments = new ConcurrentHashMap<>();
  private final Map<String, Boolean> unchangedHosts = new ConcurrentHashMap<>();

  /** An empty memo for {@code mesh}. */
  public SharedTranslations(MeshSnapshot mesh) {
    this(mesh, null);
  }

  /**
   * A memo for {@code mesh} that takes over the entries of {@code previous} (the last snapshot's)
   * whose inputs did not change: the same service object, the same rule object, and for
   * assignments and DNS clusters equal instances. A config change then re-translates only what
   * it touches, and unchanged resources keep their identity (so their encoding is reused too).
   * Call {@link #releasePrevious} once the snapshot's views are built.
   */
  public SharedTranslations(MeshSnapshot mesh, @Nullable SharedTranslations previous) {
    this.mesh = mesh;
    this.previous = previous;
  }

  /** Drops the reference to the previous memo (its unused entries become garbage). */
  public void releasePrevious() {
    previous = null;
  }

  /** A sidecar virtual host of one view (before domains used by earlier hosts are dropped). */
  private record VhostKey(ViewKey view, String host, int port, boolean portOnly) {}

  /** A virtual host with the service and VirtualService it was built from. */
  private record Vhost(VirtualHost vhost, MeshService service, @Nullable Resource virtualService) {}

  private final Map<VhostKey, Vhost> vhosts = new ConcurrentHashMap<>();
  private volatile @Nullable Boolean routeInputsUnchanged;

  /**
   * A sidecar's virtual host for {@code service} in the view {@code key}: the previous snapshot's
   * when nothing it reads changed (the same service and VirtualService objects, no delegation, and
   * every service and DestinationRule of the mesh the same object, since routes read destination
   * services and rules), else built. Within one view key the translation is the same for every
   * proxy, so the view key stands for the proxy.
   */
  VirtualHost virtualHost(ViewKey key, MeshService service, int port, boolean portOnly,
      @Nullable Resource virtualService, Supplier<VirtualHost> build) {
    return vhosts.computeIfAbsent(new VhostKey(key, service.hostname(), port, portOnly), k -> {
      SharedTranslations prev = previous;
      Vhost old = prev == null ? null : prev.vhosts.get(k);
      if (old != null && old.service() == service && old.virtualService() == virtualService
          && !delegates(virtualService) && routeInputsUnchanged(prev)) {
        return old;
      }
      return new Vhost(build.get(), service, virtualService);
    }).vhost();
  }

  private static boolean delegates(@Nullable Resource vs) {
    return vs != null && ((VirtualService) vs.spec()).http().stream().anyMatch(h -> h.delegate() != null);
  }

  private boolean routeInputsUnchanged(SharedTranslations prev) {
    Boolean known = routeInputsUnchanged;
    if (known == null) {
      known = sameElements(prev.mesh.serviceList(), mesh.serviceList())
          && sameElements(prev.mesh.destinationRules(), mesh.destinationRules());
      routeInputsUnchanged = known;
    }
    return known;
  }

  private static boolean sameElements(List<?> a, List<?> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i) != b.get(i)) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code host} is the same service with equal instances in the previous snapshot. */
  private boolean unchanged(SharedTranslations prev, String host, boolean instancesMatter) {
    var now = mesh.service(host);
    if (now == null || prev.mesh.service(host) != now) {
      return false;
    }
    return !instancesMatter || unchangedHosts.computeIfAbsent(host,
        h -> prev.mesh.instancesOf(h).equals(mesh.instancesOf(h)));
  }

  /** The snapshot this memo belongs to. */
  public MeshSnapshot mesh() {
    return mesh;
  }

  List<Cluster> outbound(String host, int port, @Nullable Resource rule, Supplier<List<Cluster>> build) {
    return clusters.computeIfAbsent(new Key(host, port, rule), k -> {
      SharedTranslations prev = previous;
      List<Cluster> old = prev == null ? null : prev.clusters.get(k);
      // DNS clusters carry their endpoints inline; the others depend on the service and rule only.
      var s = mesh.service(host);
      boolean dns = s != null && s.resolution().startsWith("DNS");
      return old != null && unchanged(prev, host, dns) ? old : List.copyOf(build.get());
    });
  }

  ClusterLoadAssignment assignment(String cluster, String host, @Nullable Resource rule,
      Supplier<ClusterLoadAssignment> build) {
    return assignments.computeIfAbsent(new Key(cluster, 0, rule), k -> {
      SharedTranslations prev = previous;
      ClusterLoadAssignment old = prev == null ? null : prev.assignments.get(k);
      return old != null && unchanged(prev, host, true) ? old : build.get();
    });
  }
}
