package dev.sluice.xds;

import com.google.protobuf.Any;
import dev.sluice.translate.MeshSnapshot;
import dev.sluice.translate.ProxyNode;
import dev.sluice.translate.ProxyResources;
import dev.sluice.translate.SharedTranslations;
import dev.sluice.translate.XdsTranslator;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The shared resources of one {@link dev.sluice.translate.ViewKey}, translated once and encoded
 * once as {@code Any}s that every connection of the view sends (STYLE §7: serialization is the
 * control plane's hot path). Unchanged lists are carried over from the previous view object, so a
 * connection can tell "unchanged" by identity.
 */
final class EncodedView {
  /** The proxy the view was translated for (any proxy of its key would do). */
  final ProxyNode node;
  final List<Any> listeners;
  final List<Any> clusters;
  final Map<String, Any> routes;
  private final Assignments endpoints;
  // The assignments' names by the host they serve ("outbound|80|v1|h" → h), so that an endpoint
  // change finds its few assignments without scanning thousands of names in every view.
  private final Map<String, List<String>> endpointNamesByHost;
  // Responses per subscribed-name set (interned by the server, so identity is equality): every
  // connection of a view subscribes the same names, so each list is built once per view.
  private final Map<Set<String>, List<Any>> edsByNames = java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());
  private final Map<Set<String>, List<Any>> rdsByNames = java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

  private EncodedView(ProxyNode node, List<Any> listeners, List<Any> clusters, Map<String, Any> routes, Assignments endpoints,
      Map<String, List<String>> endpointNamesByHost) {
    this.node = node;
    this.listeners = listeners;
    this.clusters = clusters;
    this.routes = routes;
    this.endpoints = endpoints;
    this.endpointNamesByHost = endpointNamesByHost;
  }

  private static Map<String, List<String>> namesByHost(Iterable<String> clusterNames) {
    Map<String, List<String>> out = new java.util.HashMap<>();
    for (String name : clusterNames) {
      int bar = name.lastIndexOf('|');
      if (bar >= 0) {
        out.computeIfAbsent(name.substring(bar + 1), h -> new ArrayList<>(4)).add(name);
      }
    }
    return out;
  }

  /**
   * Translates and encodes; reuses {@code previous}'s {@code Any}s where the content is equal, and
   * its lists when nothing in them changed, so that senders can compare by identity.
   */
  static EncodedView build(MeshSnapshot mesh, ProxyNode node, @Nullable EncodedView previous, Encoder encoder) {
    ProxyResources r = XdsTranslator.translateShared(mesh, node, encoder.shared());
    List<Any> listeners = encoder.pack(r.listeners());
    List<Any> clusters = encoder.pack(r.clusters());
    Map<String, Any> routes = new LinkedHashMap<>();
    r.routes().forEach(rc -> routes.put(rc.getName(), encoder.pack(rc)));
    Map<String, Any> endpoints = new LinkedHashMap<>();
    r.endpoints().forEach(e -> endpoints.put(e.getClusterName(), encoder.pack(e)));
    if (previous != null) {
      listeners = reuse(listeners, previous.listeners);
      clusters = reuse(clusters, previous.clusters);
      reuse(routes, previous.routes);
      endpoints.replaceAll((k, v) -> {
        Any old = previous.endpoints.get(k);
        return v.equals(old) ? old : v;
      });
    }
    return new EncodedView(node, listeners, clusters, routes, new Assignments(endpoints, Map.of()),
        namesByHost(endpoints.keySet()));
  }

  /** {@code next} with the equal elements of {@code previous} (by position: both are sorted by name), or {@code previous} itself. */
  private static List<Any> reuse(List<Any> next, List<Any> previous) {
    if (next.size() != previous.size()) {
      return next;
    }
    Any[] out = next.toArray(new Any[0]);
    boolean all = true;
    for (int i = 0; i < out.length; i++) {
      if (out[i].equals(previous.get(i))) {
        out[i] = previous.get(i);
      } else {
        all = false;
      }
    }
    return all ? previous : List.of(out);
  }

  /** This view with the assignments of clusters of {@code changedHosts} rebuilt (EDS-only push). */
  EncodedView withEndpoints(MeshSnapshot mesh, ProxyNode node, Set<String> changedHosts, Encoder encoder) {
    List<String> names = new ArrayList<>();
    for (String host : changedHosts) {
      names.addAll(endpointNamesByHost.getOrDefault(host, List.of()));
    }
    if (names.isEmpty()) {
      return this;
    }
    Map<String, Any> changed = new java.util.HashMap<>();
    for (ClusterLoadAssignment cla : XdsTranslator.buildEndpoints(mesh, node, names, encoder.shared())) {
      Any a = encoder.pack(cla);
      if (!a.equals(endpoints.get(cla.getClusterName()))) {
        changed.put(cla.getClusterName(), a);
      }
    }
    if (changed.isEmpty()) {
      return this;
    }
    EncodedView view = new EncodedView(this.node, listeners, clusters, routes, endpoints.with(changed), endpointNamesByHost);
    // The subscriptions' lists of this view with the changed assignments swapped in: a few
    // replacements instead of thousands of look-ups per subscription.
    synchronized (edsByNames) {
      edsByNames.forEach((subscription, list) -> {
        if (list instanceof NamedResources nr) {
          view.edsByNames.put(subscription, nr.with(changed));
        }
      });
    }
    synchronized (rdsByNames) {
      view.rdsByNames.putAll(rdsByNames); // same routes
    }
    return view;
  }

  private static void reuse(Map<String, Any> next, Map<String, Any> previous) {
    next.replaceAll((k, v) -> {
      Any old = previous.get(k);
      return v.equals(old) ? old : v;
    });
  }

  /** The assignments for an interned name set. */
  List<Any> endpointsFor(Set<String> names) {
    return edsByNames.computeIfAbsent(names, n -> byName(endpoints::get, n));
  }

  /** The route configurations for an interned name set. */
  List<Any> routesFor(Set<String> names) {
    return rdsByNames.computeIfAbsent(names, n -> byName(routes::get, n));
  }

  private static List<Any> byName(java.util.function.Function<String, @Nullable Any> all, Set<String> names) {
    List<String> found = new ArrayList<>(names.size());
    List<Any> out = new ArrayList<>(names.size());
    for (String n : names) {
      Any a = all.apply(n);
      if (a != null) {
        found.add(n);
        out.add(a);
      }
    }
    return new NamedResources(found.toArray(new String[0]), out.toArray(new Any[0]));
  }

  /**
   * A view's assignments by cluster name: the map it was built with, and the few that endpoint-only
   * pushes changed since (copying thousands of entries per view for each endpoint change would
   * cost more than the change). Folded into a new base once the changes grow.
   */
  private record Assignments(Map<String, Any> base, Map<String, Any> changes) {
    @Nullable Any get(String clusterName) {
      Any a = changes.get(clusterName);
      return a != null ? a : base.get(clusterName);
    }

    Assignments with(Map<String, Any> changed) {
      Map<String, Any> next = new java.util.HashMap<>(changes);
      next.putAll(changed);
      if (next.size() > Math.max(64, base.size() / 8)) {
        Map<String, Any> flat = new java.util.HashMap<>(base);
        flat.putAll(next);
        return new Assignments(flat, Map.of());
      }
      return new Assignments(base, next);
    }
  }

  /**
   * Encodes the resources of one snapshot: outbound clusters and assignments are translated once
   * for all views ({@link SharedTranslations}) and each message is packed once, however many views
   * contain it (STYLE §7: serialization is the control plane's hot path).
   */
  static final class Encoder {
    private final SharedTranslations shared;
    private final Map<Identity, Any> packed = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile @Nullable Encoder previous;

    /** An encoder for {@code mesh} reusing what {@code previous} (the last snapshot's) translated and encoded. */
    Encoder(MeshSnapshot mesh, @Nullable Encoder previous) {
      this.shared = new SharedTranslations(mesh, previous == null ? null : previous.shared);
      this.previous = previous;
    }

    SharedTranslations shared() {
      return shared;
    }

    /** Forgets the previous encoder once this snapshot's views are built (no chain of old snapshots). */
    void releasePrevious() {
      previous = null;
      shared.releasePrevious();
    }

    Any pack(com.google.protobuf.Message m) {
      return packed.computeIfAbsent(new Identity(m), k -> {
        Encoder prev = previous;
        Any old = prev == null ? null : prev.packed.get(k);
        return old != null ? old : Any.pack(m);
      });
    }

    List<Any> pack(List<? extends com.google.protobuf.Message> messages) {
      Any[] out = new Any[messages.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = pack(messages.get(i));
      }
      return List.of(out);
    }
  }

  /** A message by identity: shared messages are the same object in every view. */
  private record Identity(Object message) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Identity i && i.message == message;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(message);
    }
  }

  static List<Any> pack(List<? extends com.google.protobuf.Message> messages) {
    List<Any> out = new ArrayList<>(messages.size());
    for (var m : messages) {
      out.add(Any.pack(m));
    }
    return List.copyOf(out);
  }
}
