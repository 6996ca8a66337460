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
 *
 * <p>Cluster warming, as Envoy's cluster manager does it: a cluster added or changed by CDS first
 * <em>warms</em>. An EDS cluster is warm once a ClusterLoadAssignment for it arrives after that
 * CDS update, or when its {@code initial_fetch_timeout} (default 15 s, 0 = none) expires, in
 * which case it uses the assignment already held for its service name (Envoy's EDS resources
 * cache) or none. Other types are warm at once, and so is a changed EDS cluster whose service
 * name is unchanged and whose assignment is held (see {@link #sameAssignmentHeld}). Only active
 * clusters are in the snapshot: a new cluster is unknown to the router until it is warm (503 NC),
 * and a changed cluster keeps serving its previous version until the new one is warm. {@code /config_dump} lists warming clusters
 * under {@code dynamic_warming_clusters}; gauges {@code cluster_manager.active_clusters} and
 * {@code cluster_manager.warming_clusters} count both.
 */
final class XdsState {

  /** One accepted version of a dynamic cluster, active or warming. */
  record DynamicCluster(Cluster cluster, Any raw, String version, Instant lastUpdated) {}

  /** Schedules a task on the xDS thread; returns what cancels it. */
  @FunctionalInterface
  interface Timers {
    Runnable schedule(java.time.Duration delay, Runnable task);

    /** Never fires (tests that do not exercise timeouts). */
    Timers NONE = (d, t) -> () -> {};
  }

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

  /** Warm dynamic clusters (those the snapshot serves), by name. */
  final Map<String, DynamicCluster> activeClusters = new LinkedHashMap<>();
  /** Dynamic clusters waiting for their first assignment, by name. */
  final Map<String, DynamicCluster> warmingClusters = new LinkedHashMap<>();
  private final Map<String, Runnable> warmingTimers = new HashMap<>();
  /** Whether a CDS response (accepted or not) has been handled: Envoy's CDS init target. */
  private boolean cdsReceived;
  private Runnable onWarmed = () -> {};

  private final Stats stats;
  private final Consumer<ConfigSnapshot> publish;
  private final Timers timers;
  private ConfigSnapshot current = ConfigSnapshot.EMPTY;

  XdsState(Stats stats, Consumer<ConfigSnapshot> publish) {
    this(stats, publish, Timers.NONE);
  }

  XdsState(Stats stats, Consumer<ConfigSnapshot> publish, Timers timers) {
    this.stats = stats;
    this.publish = publish;
    this.timers = timers;
  }

  /** Runs after a cluster finished warming on its {@code initial_fetch_timeout}. */
  void onWarmed(Runnable r) {
    this.onWarmed = r;
  }

  /**
   * Envoy's cluster manager initialization: the first CDS response was handled and none of the
   * clusters is still warming. Until then LDS is not subscribed to.
   */
  boolean clustersInitialized() {
    return cdsReceived && warmingClusters.isEmpty();
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
      cdsReceived = true;
      updateWarming(version, ts.lastUpdated);
      retainOnly(endpoints, edsNames());
    } else if (typeUrl.equals(XdsParsers.ENDPOINT)) {
      warmWith(result.resources().keySet());
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

  /**
   * Compares the accepted CDS set with the active and warming clusters: removed clusters go (from
   * both), unchanged ones stay as they are, and added or changed ones warm (EDS) or become active
   * at once (other types).
   */
  private void updateWarming(String version, Instant now) {
    for (String name : List.copyOf(activeClusters.keySet())) {
      if (!clusters.parsed.containsKey(name)) {
        activeClusters.remove(name);
        stats.counter("cluster_manager.cluster_removed").increment();
      }
    }
    for (String name : List.copyOf(warmingClusters.keySet())) {
      if (!clusters.parsed.containsKey(name)) {
        stopWarming(name);
        if (!activeClusters.containsKey(name)) {
          stats.counter("cluster_manager.cluster_removed").increment();
        }
      }
    }
    for (var e : clusters.parsed.entrySet()) {
      String name = e.getKey();
      Cluster c = e.getValue();
      Any raw = clusters.raw.get(name);
      DynamicCluster active = activeClusters.get(name);
      DynamicCluster warming = warmingClusters.get(name);
      if (active != null && active.raw().equals(raw)) {
        if (warming != null) {
          stopWarming(name); // changed back to the version in service
        }
        continue;
      }
      if (warming != null && warming.raw().equals(raw)) {
        continue;
      }
      stats.counter(active == null && warming == null
          ? "cluster_manager.cluster_added" : "cluster_manager.cluster_modified").increment();
      DynamicCluster next = new DynamicCluster(c, raw, version, now);
      stopWarming(name);
      if (c.type() != Cluster.DiscoveryType.EDS || sameAssignmentHeld(active, c)) {
        activeClusters.put(name, next);
        continue;
      }
      warmingClusters.put(name, next);
      if (c.initialFetchTimeout().isPositive()) {
        warmingTimers.put(name, timers.schedule(c.initialFetchTimeout(), () -> initialFetchTimedOut(next)));
      }
    }
  }

  /**
   * A changed EDS cluster that reads the same ClusterLoadAssignment as its version in service,
   * which is held: it takes that assignment at once instead of warming. Envoy would warm it until
   * the server resends the assignment (istiod resends every assignment on a full push), but a
   * server may send only the assignments that changed (Sluice's does), and with istiod's and
   * Sluice's {@code initial_fetch_timeout: 0s} such a cluster would never become active.
   */
  private boolean sameAssignmentHeld(@org.jspecify.annotations.Nullable DynamicCluster active, Cluster c) {
    return active != null && active.cluster().type() == Cluster.DiscoveryType.EDS
        && active.cluster().edsName().equals(c.edsName()) && endpoints.parsed.containsKey(c.edsName());
  }

  /** Warming clusters whose ClusterLoadAssignment just arrived become active. */
  private void warmWith(Set<String> assignments) {
    for (DynamicCluster d : List.copyOf(warmingClusters.values())) {
      if (assignments.contains(d.cluster().edsName())) {
        activate(d);
      }
    }
  }

  private void activate(DynamicCluster d) {
    String name = d.cluster().name();
    stopWarming(name);
    activeClusters.put(name, d);
  }

  private void stopWarming(String name) {
    warmingClusters.remove(name);
    Runnable cancel = warmingTimers.remove(name);
    if (cancel != null) {
      cancel.run();
    }
  }

  /**
   * {@code initial_fetch_timeout} expired (xDS thread): the cluster is warm with the assignment
   * already held for its service name, else with no endpoints.
   */
  private void initialFetchTimedOut(DynamicCluster d) {
    String name = d.cluster().name();
    if (warmingClusters.get(name) != d) {
      return; // warmed, replaced or removed meanwhile
    }
    stats.counter("cluster." + name + ".init_fetch_timeout").increment();
    if (endpoints.parsed.containsKey(d.cluster().edsName())) {
      stats.counter("cluster." + name + ".assignment_use_cached").increment();
    }
    activate(d);
    rebuild();
    onWarmed.run();
  }

  /** Cancels the warming timers (shutdown). */
  void close() {
    for (String name : List.copyOf(warmingTimers.keySet())) {
      warmingTimers.remove(name).run();
    }
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
        String name = XdsParsers.resourceName(typeUrl, a);
        m.put(name, a);
      } catch (InvalidProtocolBufferException e) {
        // reported by the parser
      }
    }
    return m;
  }

  /** Rebuilds the snapshot, reusing unchanged cluster runtimes, and publishes it. */
  void rebuild() {
    Map<String, Cluster> allClusters = new LinkedHashMap<>();
    activeClusters.forEach((name, d) -> allClusters.put(name, d.cluster()));
    allClusters.putAll(staticClusters);
    stats.gauge("cluster_manager.active_clusters").set(allClusters.size());
    stats.gauge("cluster_manager.warming_clusters").set(warmingClusters.size());
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

  /** ClusterLoadAssignment names the EDS clusters need: active, warming and static ones. */
  Set<String> edsNames() {
    Set<String> s = new TreeSet<>();
    for (Map<String, DynamicCluster> m : List.of(activeClusters, warmingClusters)) {
      for (DynamicCluster d : m.values()) {
        if (d.cluster().type() == Cluster.DiscoveryType.EDS) {
          s.add(d.cluster().edsName());
        }
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
