package dev.sluice.translate;

import dev.sluice.config.Resource;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The outbound clusters and load assignments of one {@link MeshSnapshot}, translated once and
 * shared by every view of that snapshot (istiod's {@code XdsCache} for CDS and EDS). A view differs
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
  private final Map<Key, List<Cluster>> clusters = new ConcurrentHashMap<>();
  private final Map<Key, ClusterLoadAssignment> assignments = new ConcurrentHashMap<>();

  /** An empty memo for {@code mesh}. */
  public SharedTranslations(MeshSnapshot mesh) {
    this.mesh = mesh;
  }

  /** The snapshot this memo belongs to. */
  public MeshSnapshot mesh() {
    return mesh;
  }

  List<Cluster> outbound(String host, int port, @Nullable Resource rule, Supplier<List<Cluster>> build) {
    return clusters.computeIfAbsent(new Key(host, port, rule), k -> List.copyOf(build.get()));
  }

  ClusterLoadAssignment assignment(String cluster, @Nullable Resource rule, Supplier<ClusterLoadAssignment> build) {
    return assignments.computeIfAbsent(new Key(cluster, 0, rule), k -> build.get());
  }
}
