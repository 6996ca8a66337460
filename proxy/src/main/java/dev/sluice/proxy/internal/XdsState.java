package dev.sluice.proxy.internal;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.sluice.proxy.core.cluster.Cluster;
import dev.sluice.proxy.core.cluster.ClusterLoadAssignment;
import dev.sluice.proxy.core.cluster.Endpoint;
import dev.sluice.proxy.core.listener.HttpConnectionManager;
import dev.sluice.proxy.core.listener.Listener;
import dev.sluice.proxy.core.listener.RouteSource;
import dev.sluice.proxy.core.route.RouteTable;
import dev.sluice.proxy.core.xds.ParseResult;
import dev.sluice.proxy.core.xds.ResourceError;
import dev.sluice.proxy.core.xds.XdsParsers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The accepted xDS resources (static and dynamic), their versions and update times, and the
 * {@link ConfigSnapshot} built from them. Confined to one thread (the xDS executor); publishes
 * each new snapshot through {@code publish}.
 */
final class XdsState {

  /** The accepted resources of one type. */
  static final class TypeState<T> {
    final String typeUrl;
    final Map<String, T> parsed = new LinkedHashMap<>();
    final Map<String, Any> raw = new LinkedHashMap<>();
    final Map<String, Instant> updated = new HashMap<>();
    String version = "";
    Instant lastUpdated = Instant.EPOCH;

    TypeState(String typeUrl) {
      this.typeUrl = typeUrl;
    }
  }

  final TypeState<Listener> listeners = new TypeState<>(XdsParsers.LISTENER);
  final TypeState<RouteTable> routes = new TypeState<>(XdsParsers.ROUTE);
  final TypeState<Cluster> clusters = new TypeState<>(XdsParsers.CLUSTER);
  final TypeState<ClusterLoadAssignment> endpoints = new TypeState<>(XdsParsers.ENDPOINT);

  final Map<String, Listener> staticListeners = new LinkedHashMap<>();
  final Map<String, Cluster> staticClusters = new LinkedHashMap<>();
  final Map<String, Any> staticRaw = new LinkedHashMap<>();

  private final Stats stats;
  private final Consumer<ConfigSnapshot> publish;
  private ConfigSnapshot current = ConfigSnapshot.EMPTY;

  XdsState(Stats stats, Consumer<ConfigSnapshot> publish) {
    this.stats = stats;
    this.publish = publish;
  }

  ConfigSnapshot current() {
    return current;
  }

  /**
   * Applies one state-of-the-world response. Listener and Cluster responses carry the whole set:
   * valid resources replace the type's set, an invalid resource keeps its previous version if it
   * had one, and RouteConfigurations and ClusterLoadAssignments no longer referenced are dropped.
   * RouteConfiguration and ClusterLoadAssignment responses carry only the resources being sent
   * (xDS protocol, "Grouping Resources into Responses"): they are merged into the kept set, and
   * resources that were not subscribed to are ignored. Returns the parse result (errors → NACK).
   */
  ParseResult<?> apply(String typeUrl, String version, List<Any> resources) {
    ParseResult<?> result = switch (typeUrl) {
      case XdsParsers.LISTENER -> replace(listeners, XdsParsers.listeners(resources), resources);
      case XdsParsers.ROUTE -> merge(routes, XdsParsers.routes(resources), resources, rdsNames());
      case XdsParsers.CLUSTER -> replace(clusters, XdsParsers.clusters(resources), resources);
      case XdsParsers.ENDPOINT -> merge(endpoints, XdsParsers.endpoints(resources), resources, edsNames());
      default -> throw new IllegalArgumentException("type_url: " + typeUrl + " (expected: LDS, RDS, CDS or EDS)");
    };
    TypeState<?> ts = typeState(typeUrl);
    if (result.ok()) {
      ts.version = version;
    }
    ts.lastUpdated = Instant.now();
    if (typeUrl.equals(XdsParsers.LISTENER)) {
      retainOnly(routes, rdsNames());
    } else if (typeUrl.equals(XdsParsers.CLUSTER)) {
      retainOnly(endpoints, edsNames());
    }
    rebuild();
    return result;
  }

  TypeState<?> typeState(String typeUrl) {
    return switch (typeUrl) {
      case XdsParsers.LISTENER -> listeners;
      case XdsParsers.ROUTE -> routes;
      case XdsParsers.CLUSTER -> clusters;
      default -> endpoints;
    };
  }

  /** A whole-set response (LDS, CDS): the valid resources, plus the last good version of rejected ones. */
  private <T> ParseResult<T> replace(TypeState<T> ts, ParseResult<T> r, List<Any> resources) {
    Map<String, T> next = new LinkedHashMap<>(r.resources());
    Map<String, Any> nextRaw = new LinkedHashMap<>();
    Map<String, Any> byName = rawByName(ts.typeUrl, resources);
    for (var e : r.errors()) {
      T old = ts.parsed.get(e.name());
      if (old != null) {
        next.put(e.name(), old); // keep the last good version of a rejected resource
        nextRaw.put(e.name(), ts.raw.get(e.name()));
      }
    }
    Instant now = Instant.now();
    for (String name : r.resources().keySet()) {
      Any raw = byName.get(name);
      nextRaw.put(name, raw);
      if (!raw.equals(ts.raw.get(name))) {
        ts.updated.put(name, now);
      }
    }
    ts.parsed.clear();
    ts.parsed.putAll(next);
    ts.raw.clear();
    ts.raw.putAll(nextRaw);
    ts.updated.keySet().retainAll(next.keySet());
    return r;
  }

  /**
   * A response of named resources (RDS, EDS): each subscribed resource in it replaces its previous
   * version; the rest are kept. Rejected resources keep their last good version; resources and
   * errors for names not subscribed to are ignored, as the protocol asks of clients.
   */
  private <T> ParseResult<T> merge(TypeState<T> ts, ParseResult<T> r, List<Any> resources, Set<String> subscribed) {
    Map<String, Any> byName = rawByName(ts.typeUrl, resources);
    Map<String, T> accepted = new LinkedHashMap<>();
    Instant now = Instant.now();
    for (var e : r.resources().entrySet()) {
      String name = e.getKey();
      if (!subscribed.contains(name)) {
        continue;
      }
      accepted.put(name, e.getValue());
      Any raw = byName.get(name);
      if (!raw.equals(ts.raw.get(name))) {
        ts.updated.put(name, now);
      }
      ts.parsed.put(name, e.getValue());
      ts.raw.put(name, raw);
    }
    List<ResourceError> errors = new ArrayList<>();
    for (ResourceError e : r.errors()) {
      if (subscribed.contains(e.name()) || !byName.containsKey(e.name())) {
        errors.add(e); // unnamed or undecodable resources are reported too
      }
    }
    return new ParseResult<>(accepted, errors);
  }

  /** Drops the RDS/EDS resources no listener or cluster references any more. */
  private static void retainOnly(TypeState<?> ts, Set<String> referenced) {
    ts.parsed.keySet().retainAll(referenced);
    ts.raw.keySet().retainAll(referenced);
    ts.updated.keySet().retainAll(referenced);
  }

  private static Map<String, Any> rawByName(String typeUrl, List<Any> resources) {
    Map<String, Any> m = new HashMap<>();
    for (Any a : resources) {
      try {
        String name = switch (typeUrl) {
          case XdsParsers.LISTENER -> a.unpack(io.envoyproxy.envoy.config.listener.v3.Listener.class).getName();
          case XdsParsers.ROUTE -> a.unpack(io.envoyproxy.envoy.config.route.v3.RouteConfiguration.class).getName();
          case XdsParsers.CLUSTER -> a.unpack(io.envoyproxy.envoy.config.cluster.v3.Cluster.class).getName();
          default -> a.unpack(io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment.class).getClusterName();
        };
        m.put(name, a);
      } catch (InvalidProtocolBufferException e) {
        // reported by the parser
      }
    }
    return m;
  }

  /** Rebuilds the snapshot, reusing unchanged cluster runtimes, and publishes it. */
  void rebuild() {
    Map<String, Cluster> allClusters = new LinkedHashMap<>(clusters.parsed);
    allClusters.putAll(staticClusters);
    Map<String, ClusterRuntime> rt = new HashMap<>();
    for (Cluster c : allClusters.values()) {
      List<Endpoint> eps;
      if (c.type() == Cluster.DiscoveryType.EDS) {
        ClusterLoadAssignment cla = endpoints.parsed.get(c.edsName());
        eps = cla == null ? List.of() : cla.endpoints();
      } else {
        eps = c.endpoints();
      }
      ClusterRuntime prev = current.clusters().get(c.name());
      if (prev != null && prev.cluster.equals(c) && sameEndpoints(prev, eps)) {
        rt.put(c.name(), prev);
      } else {
        rt.put(c.name(), ClusterRuntime.build(c, eps, prev, stats));
      }
    }
    Map<String, Listener> ls = new LinkedHashMap<>(listeners.parsed);
    ls.putAll(staticListeners);
    current = new ConfigSnapshot(routes.parsed, rt, ls);
    publish.accept(current);
  }

  private static boolean sameEndpoints(ClusterRuntime rt, List<Endpoint> eps) {
    if (rt.hosts.size() != eps.size()) {
      return false;
    }
    for (int i = 0; i < eps.size(); i++) {
      if (!rt.hosts.get(i).endpoint.equals(eps.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** ClusterLoadAssignment names the EDS clusters need. */
  Set<String> edsNames() {
    Set<String> s = new TreeSet<>();
    for (Cluster c : clusters.parsed.values()) {
      if (c.type() == Cluster.DiscoveryType.EDS) {
        s.add(c.edsName());
      }
    }
    for (Cluster c : staticClusters.values()) {
      if (c.type() == Cluster.DiscoveryType.EDS) {
        s.add(c.edsName());
      }
    }
    return s;
  }

  /** Route configuration names the listeners reference through RDS. */
  Set<String> rdsNames() {
    Set<String> s = new TreeSet<>();
    for (Listener l : listeners.parsed.values()) {
      addRds(l, s);
    }
    for (Listener l : staticListeners.values()) {
      addRds(l, s);
    }
    return s;
  }

  private static void addRds(Listener l, Set<String> s) {
    if (l.filter() instanceof HttpConnectionManager h && h.routes() instanceof RouteSource.Rds r) {
      s.add(r.routeConfigName());
    }
  }
}
