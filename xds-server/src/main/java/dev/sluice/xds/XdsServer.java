package dev.sluice.xds;

import com.google.protobuf.Any;
import dev.sluice.registry.ChangeEvent;
import dev.sluice.translate.MeshSnapshot;
import dev.sluice.translate.ProxyNode;
import dev.sluice.translate.ViewKey;
import dev.sluice.translate.XdsTranslator;
import io.envoyproxy.envoy.config.core.v3.ControlPlane;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.BindableService;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The ADS server: state of the world over one gRPC stream per proxy.
 *
 * <pre>{@code
 * XdsServer xds = new XdsServer(
 *     (previous, version) -> MeshSnapshot.build(previous, reg.services(), reg.instances(), store.list(), version),
 *     XdsServer.Options.DEFAULTS, null);
 * store.addListener(xds::onChange);
 * Server grpc = NettyServerBuilder.forPort(15010).addService(xds.service()).build().start();
 * }</pre>
 *
 * <p>Each response carries the push version and a fresh nonce; a request echoing that nonce
 * without {@code error_detail} is an ACK, with it a NACK (recorded with its message, never
 * retried: the proxy keeps its last good config). Requests with an old nonce are ignored, as in
 * istiod. A change of subscribed names is answered at once. Config changes go through the
 * {@link Debouncer}; a push with only instance changes rebuilds and sends EDS alone.
 *
 * <p>Responses respect gRPC flow control and the push throttle ({@link #flush}): a response is
 * due until the stream can take it and the proxy holds one of {@link Options#pushThrottle} slots,
 * then built from the newest state, so a proxy that reads slowly gets the latest configuration
 * once rather than every version in between.
 */
public final class XdsServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(XdsServer.class.getName());

  /**
   * Tunables.
   *
   * @param debounceQuiet istiod's {@code PILOT_DEBOUNCE_AFTER} (100 ms)
   * @param debounceMax istiod's {@code PILOT_DEBOUNCE_MAX} (10 s)
   * @param version the control plane version reported in responses and proxy status
   * @param pushThrottle istiod's {@code PILOT_PUSH_THROTTLE} (100): at most this many proxies have
   *     responses in flight at once (see {@link PushThrottle})
   */
  public record Options(Duration debounceQuiet, Duration debounceMax, String version, int pushThrottle) {
    public static final int DEFAULT_PUSH_THROTTLE = 100;
    public static final Options DEFAULTS = new Options(Duration.ofMillis(100), Duration.ofSeconds(10), "0.1.0");

    public Options {
      if (pushThrottle < 1) {
        throw new IllegalArgumentException("pushThrottle must be at least 1, got " + pushThrottle);
      }
    }

    /** With istiod's default push throttle (100). */
    public Options(Duration debounceQuiet, Duration debounceMax, String version) {
      this(debounceQuiet, debounceMax, version, DEFAULT_PUSH_THROTTLE);
    }

    public Options withPushThrottle(int pushThrottle) {
      return new Options(debounceQuiet, debounceMax, version, pushThrottle);
    }

    /**
     * The push throttle named by {@code PILOT_PUSH_THROTTLE} in {@code env} (istiod's variable), or
     * the default when unset or blank.
     *
     * @throws IllegalArgumentException when it is not a positive number
     */
    public static int pushThrottle(Map<String, String> env) {
      String v = env.getOrDefault("PILOT_PUSH_THROTTLE", "").strip();
      if (v.isEmpty()) {
        return DEFAULT_PUSH_THROTTLE;
      }
      try {
        int n = Integer.parseInt(v);
        if (n >= 1) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException("PILOT_PUSH_THROTTLE=" + v + ": expected a positive number");
    }
  }

  /** The snapshot every connection is served from, and the encoded views of it. */
  private record PushState(long number, MeshSnapshot snapshot, Map<ViewKey, EncodedView> views,
      @Nullable PushState previous, Set<String> changedHosts, @Nullable Set<String> changedInstances, boolean edsOnly,
      Map<Transition, List<Any>> deltas, EncodedView.Encoder encoder) {

    PushState(long number, MeshSnapshot snapshot, Map<ViewKey, EncodedView> views, @Nullable PushState previous,
        Set<String> changedHosts, @Nullable Set<String> changedInstances, boolean edsOnly) {
      this(number, snapshot, views, previous, changedHosts, changedInstances, edsOnly, new ConcurrentHashMap<>(),
          new EncodedView.Encoder(snapshot, previous == null ? null : previous.encoder()));
    }

    /** {@link XdsServer#changes}, computed once per pair of lists (proxies of a view share both). */
    List<Any> changes(List<Any> before, List<Any> after) {
      return deltas.computeIfAbsent(new Transition(before, after), t -> XdsServer.changes(before, after));
    }
  }

  /** Two response lists compared by identity (they are shared, immutable and large). */
  private record Transition(List<Any> before, List<Any> after) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Transition t && t.before == before && t.after == after;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(before) * 31 + System.identityHashCode(after);
    }
  }

  /** Builds the snapshot of each push, given the last one (so that it can reuse what did not change). */
  @FunctionalInterface
  public interface Snapshots {
    /** The snapshot labelled {@code version}; {@code previous} is null for the first. */
    MeshSnapshot build(@Nullable MeshSnapshot previous, String version);
  }

  private final Snapshots snapshots;
  private final Options options;
  private final ScheduledExecutorService executor;
  private final Scheduler scheduler;
  private final Debouncer debouncer;
  private final XdsMetrics metrics = new XdsMetrics();
  private final Map<String, Connection> connections = new ConcurrentHashMap<>();
  private final AtomicLong connectionIds = new AtomicLong();
  private final AtomicLong nonces = new AtomicLong();
  private final PushThrottle<Connection> throttle;
  private volatile PushState state;

  /** A server whose debouncer runs on its own thread. */
  public XdsServer(Function<String, MeshSnapshot> snapshots, Options options) {
    this(snapshots, options, null);
  }

  /** A server on {@code scheduler} (tests pass a fake one), or its own thread when null. */
  public XdsServer(Function<String, MeshSnapshot> snapshots, Options options, @Nullable Scheduler scheduler) {
    this((previous, version) -> snapshots.apply(version), options, scheduler);
  }

  /**
   * A server building each snapshot from the previous one, e.g.
   * {@code (prev, v) -> MeshSnapshot.build(prev, reg.services(), reg.instances(), store.list(), v)}.
   */
  public XdsServer(Snapshots snapshots, Options options, @Nullable Scheduler scheduler) {
    this.snapshots = snapshots;
    this.options = options;
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("sluice-push")
        .unstarted(r));
    this.scheduler = scheduler != null ? scheduler : Scheduler.of(executor);
    this.debouncer = new Debouncer(this.scheduler, options.debounceQuiet(), options.debounceMax(), this::push);
    this.state = new PushState(1, snapshots.build(null, "1"), new ConcurrentHashMap<>(), null, Set.of(), null, false);
    this.throttle = new PushThrottle<>(options.pushThrottle());
    metrics.connections(() -> connections.size());
    metrics.throttle(throttle::inFlight, throttle::waiting);
  }

  /** The gRPC service to add to a server. */
  public BindableService service() {
    return new AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceImplBase() {
      @Override
      public StreamObserver<DiscoveryRequest> streamAggregatedResources(StreamObserver<DiscoveryResponse> out) {
        Connection c = new Connection("conn-" + connectionIds.incrementAndGet(), out);
        if (out instanceof ServerCallStreamObserver<DiscoveryResponse> s) {
          // What the stream could not take is sent when it can (gRPC flow control).
          s.setOnReadyHandler(() -> pump(c));
        }
        return new StreamObserver<>() {
          @Override
          public void onNext(DiscoveryRequest request) {
            handle(c, request);
          }

          @Override
          public void onError(Throwable t) {
            close(c);
          }

          @Override
          public void onCompleted() {
            close(c);
            synchronized (c) {
              try {
                out.onCompleted();
              } catch (RuntimeException ignored) {
                // already cancelled
              }
            }
          }
        };
      }
    };
  }

  /** Feeds a store or registry change into the debouncer. */
  public void onChange(ChangeEvent e) {
    Set<String> reasons = switch (e) {
      case ChangeEvent.ConfigChanged c -> c.keys();
      case ChangeEvent.ServicesChanged s -> s.hostnames();
      case ChangeEvent.InstancesChanged i -> i.instanceKeys();
    };
    debouncer.submit(new PushRequest(e.full(), reasons.size() > 20 ? Set.of(reasons.size() + " objects") : reasons,
        scheduler.nanoTime(), 1));
  }

  /**
   * Pushes at once, bypassing the debouncer (tests, benchmarks); completes when every proxy's
   * responses are due (they go out as the push throttle and each stream's flow control allow).
   */
  public CompletableFuture<Void> pushNow(boolean full) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    scheduler.execute(() -> {
      try {
        push(new PushRequest(full, Set.of("forced"), scheduler.nanoTime(), 1));
        done.complete(null);
      } catch (RuntimeException ex) {
        done.completeExceptionally(ex);
      }
    });
    return done;
  }

  /** The snapshot being served. */
  public MeshSnapshot snapshot() {
    return state.snapshot();
  }

  public XdsMetrics metrics() {
    return metrics;
  }

  /** Runs on the push thread; a failed push is logged (the next change pushes again). */
  private void push(PushRequest req) {
    try {
      doPush(req);
    } catch (RuntimeException e) {
      LOG.log(java.util.logging.Level.SEVERE, "push failed (" + req.reasons() + ")", e);
      state.encoder().releasePrevious();
    }
  }

  private void doPush(PushRequest req) {
    long t0 = System.nanoTime();
    metrics.debounce.observe(Math.max(0, scheduler.nanoTime() - req.startNanos()) / 1e9);
    PushState old = state;
    long number = old.number() + 1;
    MeshSnapshot snap = snapshots.build(old.snapshot(), Long.toString(number));
    long built = System.nanoTime();
    Set<String> changedInstances = req.full() ? null : changedInstances(old.snapshot(), snap);
    Set<String> changed = req.full() ? Set.of() : changedHosts(old.snapshot(), snap, changedInstances);
    long diffed = System.nanoTime();
    PushState next = new PushState(number, snap, new ConcurrentHashMap<>(), old, changed, changedInstances, !req.full());
    state = next;
    metrics.push(req.full());
    precompute(next);
    long viewed = System.nanoTime();
    // Proxies are independent: each one's view key and inbound resources are prepared on the push
    // thread and the common pool's workers together, one proxy at a time per thread; its responses
    // become due and go out through the push throttle (istiod's PILOT_PUSH_THROTTLE) as its stream
    // takes them, in CDS → EDS → LDS → RDS order (make before break; see flush).
    connections.values().parallelStream().forEach(c -> {
      Connection granted;
      synchronized (c) {
        if (c.closed || c.node == null) {
          return;
        }
        // An endpoint-only push still rebuilds the inbound side of a proxy whose own instance
        // changed (the local platform publishes a pod's ports around its sidecar's connection).
        boolean self = prepare(c, next);
        for (String type : TypeUrls.ORDER) {
          boolean inboundType = type.equals(TypeUrls.LISTENER) || type.equals(TypeUrls.CLUSTER);
          if (c.types.containsKey(type) && c.types.get(type).subscribed
              && (req.full() || type.equals(TypeUrls.ENDPOINT) || self && inboundType)) {
            c.due(type, false);
          }
        }
        if (c.types.containsKey(TypeUrls.LISTENER) && c.types.get(TypeUrls.LISTENER).subscribed) {
          c.inboundPending = false;
        }
        if (c.pushStartNanos < 0) {
          c.pushStartNanos = req.startNanos();
        }
        granted = flush(c);
      }
      pump(granted);
    });
    long sent = System.nanoTime();
    // The previous state's views are needed only while this push builds its own.
    // The encoder stays for views built later from this snapshot (a proxy connecting).
    next.encoder().releasePrevious();
    state = new PushState(number, snap, next.views(), null, changed, null, false, new ConcurrentHashMap<>(),
        next.encoder());
    LOG.fine(() -> String.format("%s push %d to %d proxies in %.1f ms (%.1f ms after the first change;"
        + " snapshot %.1f, diff %.1f, views %.1f, sends %.1f): %s", req.full() ? "full" : "EDS", number,
        connections.size(), (sent - t0) / 1e6, (sent - req.startNanos()) / 1e6, (built - t0) / 1e6,
        (diffed - built) / 1e6, (viewed - diffed) / 1e6, (sent - viewed) / 1e6, req.reasons()));
    if (connections.isEmpty()) {
      LOG.finest("no proxies connected");
    }
  }

  /**
   * Builds the views of all connected proxies in parallel before sending: views are independent,
   * and translation dominates a full push (one view per namespace and label decision set).
   */
  private void precompute(PushState s) {
    Map<ViewKey, ProxyNode> wanted = new java.util.LinkedHashMap<>();
    if (s.edsOnly() && s.previous() != null) {
      // Proxies keep their view keys through endpoint-only pushes: the views to update are the
      // previous push's (a proxy that connected since gets its view when it is prepared).
      s.previous().views().forEach((k, v) -> wanted.put(k, v.node));
    } else {
      for (Connection c : connections.values()) {
        ProxyNode node = c.node;
        if (node != null && !c.closed) {
          wanted.putIfAbsent(ViewKey.of(s.snapshot(), node), node);
        }
      }
    }
    wanted.entrySet().parallelStream().forEach(e -> s.views().computeIfAbsent(e.getKey(), k -> {
      EncodedView prev = s.previous() == null ? null : s.previous().views().get(k);
      return prev != null && s.edsOnly() ? prev.withEndpoints(s.snapshot(), e.getValue(), s.changedHosts(), s.encoder())
          : EncodedView.build(s.snapshot(), e.getValue(), prev, s.encoder());
    }));
  }

  /**
   * The hosts whose instances differ. With the same services and only instances changed in place
   * ({@code changedInstances} known), only the hosts at those instances' addresses can differ.
   */
  private static Set<String> changedHosts(MeshSnapshot a, MeshSnapshot b, @Nullable Set<String> changedInstances) {
    Set<String> out = new HashSet<>();
    if (changedInstances != null && a.serviceList() == b.serviceList()) {
      for (String key : changedInstances) {
        for (MeshSnapshot s : List.of(a, b)) {
          var w = s.instance(key);
          for (String host : w == null ? List.<String>of() : s.servicesByAddress().getOrDefault(w.address(), List.of())) {
            if (!a.instancesOf(host).equals(b.instancesOf(host))) {
              out.add(host);
            }
          }
        }
      }
      return out;
    }
    for (String host : b.services().keySet()) {
      if (!a.instancesOf(host).equals(b.instancesOf(host))) {
        out.add(host);
      }
    }
    for (String host : a.services().keySet()) {
      if (!b.services().containsKey(host)) {
        out.add(host);
      }
    }
    return out;
  }

  /**
   * The keys of the instances that differ between two snapshots, when both list the same number
   * (changed instances keep their places in the key order, so they are found by identity); null
   * when instances were added or removed.
   */
  private static @Nullable Set<String> changedInstances(MeshSnapshot a, MeshSnapshot b) {
    List<dev.sluice.registry.WorkloadInstance> before = a.allInstances();
    List<dev.sluice.registry.WorkloadInstance> after = b.allInstances();
    if (before.size() != after.size()) {
      return null;
    }
    Set<String> out = new HashSet<>();
    for (int i = 0; i < after.size(); i++) {
      if (before.get(i) != after.get(i)) {
        if (!before.get(i).key().equals(after.get(i).key())) {
          return null;
        }
        out.add(after.get(i).key());
      }
    }
    return out;
  }

  /** The registry instance of the proxy itself ({@code namespace/workload}), or null. */
  private static dev.sluice.registry.@Nullable WorkloadInstance self(MeshSnapshot snap, ProxyNode node) {
    if (node.workload().isEmpty()) {
      return null;
    }
    return snap.instance(node.namespace() + "/" + node.workload());
  }

  /**
   * Brings a connection's view key, view and inbound resources to {@code s}; returns whether the
   * proxy's own instance changed since its inbound resources were built (they are rebuilt then,
   * even in an endpoint-only push). Caller holds the lock.
   */
  private boolean prepare(Connection c, PushState s) {
    if (c.stateVersion == s.number()) {
      return c.inboundPending;
    }
    ProxyNode node = c.node;
    // After the previous push, an endpoint-only push changes the proxy's own instance only when
    // its key is among the changed ones: no look-up among all instances for each of 2,000 proxies.
    boolean selfKnown = s.edsOnly() && c.stateVersion == s.number() - 1 && s.changedInstances() != null
        && !node.workload().isEmpty() && !s.changedInstances().contains(node.namespace() + "/" + node.workload());
    var selfNow = selfKnown ? c.selfInstance : self(s.snapshot(), node);
    boolean selfChanged = !java.util.Objects.equals(selfNow, c.selfInstance);
    // Explicit-capture proxies (the local platform) rebuild their inbound side on every push: it
    // depends on their own instance, and such meshes are small.
    boolean keep = s.edsOnly() && !selfChanged && !node.explicitCapture() && c.viewKey != null
        && c.stateVersion >= 0;
    ViewKey key = keep || s.edsOnly() && c.viewKey != null ? c.viewKey : ViewKey.of(s.snapshot(), node);
    c.viewKey = key;
    s.views().computeIfAbsent(key, k -> {
      EncodedView prev = s.previous() == null ? null : s.previous().views().get(k);
      if (prev != null && s.edsOnly()) {
        return prev.withEndpoints(s.snapshot(), node, s.changedHosts(), s.encoder());
      }
      return EncodedView.build(s.snapshot(), node, prev, s.encoder());
    });
    if (!keep) {
      // Inbound resources follow config, services and the proxy's own instance; other endpoint-only
      // changes leave them (as istiod's EDS push does).
      var inbound = XdsTranslator.translateInbound(s.snapshot(), node);
      List<Any> il = EncodedView.pack(inbound.listeners());
      List<Any> ic = EncodedView.pack(inbound.clusters());
      boolean changed = !il.equals(c.inboundListeners) || !ic.equals(c.inboundClusters);
      c.inboundListeners = il.equals(c.inboundListeners) ? c.inboundListeners : il;
      c.inboundClusters = ic.equals(c.inboundClusters) ? c.inboundClusters : ic;
      c.selfInstance = selfNow;
      selfChanged |= changed;

    }
    c.stateVersion = s.number();
    // Remembered until sent: prepare also runs when a request arrives, which answers only its type.
    c.inboundPending |= selfChanged;
    return c.inboundPending;
  }

  private void handle(Connection c, DiscoveryRequest req) {
    pump(answer(c, req));
  }

  /** Records a request and makes its answer due; returns the proxy given a freed push slot, if any. */
  private @Nullable Connection answer(Connection c, DiscoveryRequest req) {
    synchronized (c) {
      if (c.closed) {
        return null;
      }
      if (c.node == null) {
        c.rawNode = req.getNode();
        c.node = ProxyNode.fromNode(req.getNode());
        connections.put(c.id, c);
        LOG.fine(() -> "ADS connected: " + c.node.id());
      }
      String type = req.getTypeUrl();
      if (!TypeUrls.ORDER.contains(type)) {
        return null;
      }
      Connection.TypeState ts = c.type(type);
      String nonce = req.getResponseNonce();
      if (!nonce.isEmpty()) {
        if (!nonce.equals(ts.sentNonce)) {
          return null; // an answer to an older response: the newer one is still outstanding
        }
        if (req.hasErrorDetail()) {
          ts.nackNonce = nonce;
          ts.nackMessage = req.getErrorDetail().getMessage();
          metrics.rejected(type);
          LOG.warning("NACK " + TypeUrls.shortName(type) + " from " + c.node.id() + " (version " + ts.sentVersion
              + "): " + ts.nackMessage);
        } else {
          ts.ackedNonce = nonce;
          ts.ackedVersion = req.getVersionInfo();
          ts.ackedAt = Instant.now();
        }
      }
      List<String> requested = req.getResourceNamesList();
      // An ACK usually repeats the last request's names: compare the lists before hashing thousands of names.
      boolean sameList = ts.subscribed && requested.equals(ts.requested);
      boolean changed = !ts.subscribed || !sameList && !sameNames(requested, ts.names);
      Set<String> names = changed ? intern(requested) : ts.names;
      ts.subscribed = true;
      ts.names = names;
      if (!sameList) {
        // Not the request's own list: decoded from the wire, each proxy's copy of thousands of
        // names would stay in memory for as long as it is connected (0.7 GB at 2,000 proxies).
        ts.requested = internList(requested);
      }
      if (nonce.isEmpty() || changed) {
        boolean inbound = prepare(c, state);
        c.due(type, true);
        if (inbound && c.types.containsKey(TypeUrls.LISTENER) && c.types.get(TypeUrls.LISTENER).subscribed) {
          // The proxy's own inbound side changed with this state: CDS, then LDS (make before break).
          for (String t : List.of(TypeUrls.CLUSTER, TypeUrls.LISTENER)) {
            if (!t.equals(type) && c.types.containsKey(t) && c.types.get(t).subscribed) {
              c.due(t, false);
            }
          }
          c.inboundPending = false;
        }
        return flush(c);
      }
      return null;
    }
  }

  /**
   * Sends {@code c}'s due responses while its stream is ready, if it holds a push slot (it asks
   * for one when something is due, and waits in the throttle's queue when none is free). Each
   * response is built now from the newest state, in CDS → EDS → LDS → RDS order; after clusters
   * (listeners) went out, the due assignments (route configurations) go out whole, changed or
   * not, because the proxy warms new clusters (listeners) until those arrive, as after istiod's
   * full push. The slot is given up once nothing is due and the stream has taken everything
   * (ready again: a slow reader keeps at most one response per stream in gRPC's buffers, and a
   * mass push at most the throttle's number) or the last response was small ({@link #smallLast}),
   * or when the stream is gone.
   *
   * <p>Caller holds {@code c}'s lock. Returns the waiting proxy that was handed the slot {@code c}
   * gave up, for the caller to {@link #pump} once it holds no lock.
   */
  private @Nullable Connection flush(Connection c) {
    if (c.draining) {
      return null; // the loop further up this stack sees what changed
    }
    if (c.closed) {
      return release(c);
    }
    boolean due = c.nextDue() != null;
    if (due ? !throttle.enter(c, scheduler.nanoTime()) : !throttle.holds(c)) {
      return null; // waits for a slot, or has nothing to do
    }
    c.draining = true;
    try {
      String type;
      while (!c.closed && c.ready() && (type = c.nextDue()) != null) {
        Connection.TypeState ts = c.types.get(type);
        boolean whole = ts.pendingWhole;
        ts.pending = false;
        ts.pendingWhole = false;
        if (send(c, type, whole)) {
          String follower = type.equals(TypeUrls.CLUSTER) ? TypeUrls.ENDPOINT
              : type.equals(TypeUrls.LISTENER) ? TypeUrls.ROUTE : null;
          Connection.TypeState f = follower == null ? null : c.types.get(follower);
          if (f != null && f.pending) {
            f.pendingWhole = true;
          }
        }
      }
    } finally {
      c.draining = false;
    }
    return c.closed || c.nextDue() == null && (c.ready() || smallLast(c)) ? release(c) : null;
  }

  /** gRPC's default {@code onReady} threshold: a stream is ready while less than this is queued on it. */
  private static final int SMALL_RESPONSE = 32 * 1024;

  /**
   * Whether the last response handed to gRPC was small (under gRPC's 32 KB readiness threshold):
   * then the stream was ready just before it, at most twice the threshold is queued, and the slot
   * need not wait for the proxy to read it. Over HTTP/2 such a stream is usually still ready; the
   * in-process transport turns unready after every message until the client asks for the next.
   */
  private static boolean smallLast(Connection c) {
    DiscoveryResponse last = c.lastSent;
    c.lastSent = null;
    return last != null && last.getSerializedSize() < SMALL_RESPONSE;
  }

  /** {@code c} gives up its push slot (or its place in the queue); returns the proxy that now holds the slot. Caller holds {@code c}'s lock. */
  private @Nullable Connection release(Connection c) {
    long now = scheduler.nanoTime();
    if (c.pushStartNanos >= 0 && !c.closed) {
      metrics.convergence.observe(Math.max(0, now - c.pushStartNanos) / 1e9);
    }
    c.pushStartNanos = -1;
    PushThrottle.Grant<Connection> g = throttle.leave(c, now);
    if (g == null) {
      return null;
    }
    metrics.queueTime.observe(g.waitedNanos() / 1e9);
    return g.proxy();
  }

  /** Flushes {@code c}, then each proxy handed a freed slot in turn (a loop: no recursion, no lock held between them). */
  private void pump(@Nullable Connection c) {
    while (c != null) {
      Connection next;
      synchronized (c) {
        next = flush(c);
      }
      c = next;
    }
  }

  // Equal subscriptions share one Set instance, so per-view response lists can be keyed by identity.
  private final Map<Set<String>, Set<String>> interned = new ConcurrentHashMap<>();

  private Set<String> intern(List<String> names) {
    return intern(interned, Set.copyOf(names));
  }

  private final Map<List<String>, List<String>> internedLists = new ConcurrentHashMap<>();

  private List<String> internList(List<String> names) {
    return intern(internedLists, List.copyOf(names));
  }

  /** The instance equal to {@code value} in {@code pool} (bounded: cleared past 10,000 entries). */
  private static <T> T intern(Map<T, T> pool, T value) {
    if (pool.size() > 10_000) {
      pool.clear();
    }
    T prev = pool.putIfAbsent(value, value);
    return prev == null ? value : prev;
  }

  private static boolean sameNames(List<String> names, Set<String> current) {
    if (names.size() != current.size()) {
      return false;
    }
    for (String n : names) {
      if (!current.contains(n)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Sends one type's resources. Caller holds the connection's lock. {@code always} answers a
   * request: the full set for the subscription. A push ({@code always} false) sends nothing when
   * the type is unchanged, and for RDS and EDS only the resources that changed: the xDS protocol
   * lets SotW responses of these types carry a subset ("Grouping Resources into Responses"), and
   * an endpoint change then costs one assignment per proxy instead of all of them.
   */
  private boolean send(Connection c, String type, boolean always) {
    long t0 = System.nanoTime();
    PushState s = state;
    if (c.stateVersion != s.number()) {
      // A response built after a newer push started and before that push reached this proxy:
      // bring the proxy to the state it is built from (the push then finds it prepared).
      prepare(c, s);
    }
    EncodedView view = s.views().get(c.viewKey);
    if (view == null) {
      c.stateVersion = -1;
      prepare(c, s);
      view = s.views().get(c.viewKey);
    }
    Connection.TypeState ts = c.type(type);
    List<Any> shared = switch (type) {
      case TypeUrls.LISTENER -> view.listeners;
      case TypeUrls.CLUSTER -> view.clusters;
      default -> null;
    };
    List<Any> inbound = type.equals(TypeUrls.LISTENER) ? c.inboundListeners : c.inboundClusters;
    if (!always && shared != null && shared == ts.sentShared && inbound == ts.sentInbound && ts.names == ts.sentNames) {
      return false; // LDS/CDS made of the very lists sent last time
    }
    List<Any> resources = shared != null ? filter(concat(shared, inbound), ts.names, true)
        : type.equals(TypeUrls.ROUTE) ? view.routesFor(ts.names) : view.endpointsFor(ts.names);
    List<Any> body = resources;
    if (!always) {
      if (shared == null && ts.names == ts.sentNames) {
        // RDS/EDS of an unchanged subscription: what changed is computed once per pair of lists.
        body = s.changes(ts.sent, resources);
        if (body.isEmpty()) {
          return false;
        }
      } else if (sameList(resources, ts.sent)) {
        return false;
      }
    }
    String nonce = Long.toString(nonces.incrementAndGet(), 36);
    String version = Long.toString(s.number());
    DiscoveryResponse r = DiscoveryResponse.newBuilder().setVersionInfo(version).setTypeUrl(type).setNonce(nonce)
        .addAllResources(body)
        .setControlPlane(CONTROL_PLANE.computeIfAbsent(options.version(),
            v -> ControlPlane.newBuilder().setIdentifier("sluiced-" + v).build()))
        .build();
    ts.sentNonce = nonce;
    ts.sentVersion = version;
    ts.sent = resources;
    ts.sentNames = ts.names;
    ts.sentShared = shared;
    ts.sentInbound = shared == null ? null : inbound;
    ts.sentAt = Instant.now();
    long t1 = System.nanoTime();
    try {
      c.lastSent = r;
      c.out.onNext(r);
    } catch (RuntimeException e) {
      LOG.log(java.util.logging.Level.WARNING, "ADS send to " + c.node.id() + " failed; closing the stream", e);
      c.closed = true;
      return false;
    }
    long t2 = System.nanoTime();
    metrics.pushed(type, t2 - t0);
    metrics.sendTime.observe((t2 - t1) / 1e9);
    return true;
  }

  private static final Map<String, ControlPlane> CONTROL_PLANE = new ConcurrentHashMap<>();

  /**
   * The resources of {@code after} that differ from the same-named ones in {@code before}; all of
   * {@code after} when a name appeared or went away. Both lists come from the same interned
   * subscription, so equal names sit at equal positions.
   */
  static List<Any> changes(List<Any> before, List<Any> after) {
    if (before.size() != after.size()) {
      return after;
    }
    List<Any> known = after instanceof NamedResources na ? na.changedSince(before) : null;
    if (known != null) {
      return known;
    }
    List<Any> out = new ArrayList<>();
    for (int i = 0; i < after.size(); i++) {
      Any a = after.get(i);
      Any b = before.get(i);
      boolean sameName = before instanceof NamedResources nb && after instanceof NamedResources na
          ? nb.name(i).equals(na.name(i)) : a == b || ConfigDumps.name(a).equals(ConfigDumps.name(b));
      if (!sameName) {
        return after;
      }
      if (a != b && !a.equals(b)) {
        out.add(a);
      }
    }
    return List.copyOf(out);
  }

  private static boolean sameList(List<Any> a, List<Any> b) {
    if (a == b) {
      return true;
    }
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i) != b.get(i) && !a.get(i).equals(b.get(i))) {
        return false;
      }
    }
    return true;
  }

  private static List<Any> concat(List<Any> a, List<Any> b) {
    if (b.isEmpty()) {
      return a;
    }
    List<Any> out = new ArrayList<>(a.size() + b.size());
    out.addAll(a);
    out.addAll(b);
    return out;
  }

  /** LDS/CDS: everything for a wildcard subscription, else the named ones. */
  private static List<Any> filter(List<Any> all, Set<String> names, boolean wildcardWhenEmpty) {
    if (names.isEmpty() && wildcardWhenEmpty || names.contains("*")) {
      return all;
    }
    List<Any> out = new ArrayList<>();
    for (Any a : all) {
      if (names.contains(ConfigDumps.name(a))) {
        out.add(a);
      }
    }
    return out;
  }

  private void close(Connection c) {
    Connection granted;
    synchronized (c) {
      c.closed = true;
      granted = release(c);
    }
    connections.remove(c.id);
    pump(granted);
  }

  /** The push throttle (tests watch how many proxies it lets through at once). */
  PushThrottle<Connection> throttle() {
    return throttle;
  }

  /** How many responses are due but not sent to the proxy {@code id} (at most one per type); -1 when not connected. */
  int due(String id) {
    for (Connection c : connections.values()) {
      synchronized (c) {
        if (c.node != null && c.node.id().equals(id)) {
          return c.dueCount();
        }
      }
    }
    return -1;
  }

  /** The {@code Node} each connected proxy sent on its stream (metadata included), sorted by id. */
  public List<io.envoyproxy.envoy.config.core.v3.Node> connectedNodes() {
    List<io.envoyproxy.envoy.config.core.v3.Node> out = new ArrayList<>();
    for (Connection c : connections.values()) {
      synchronized (c) {
        if (c.rawNode != null && !c.closed) {
          out.add(c.rawNode);
        }
      }
    }
    out.sort(java.util.Comparator.comparing(io.envoyproxy.envoy.config.core.v3.Node::getId));
    return out;
  }

  /** Sync status of every connected proxy, sorted by node id. */
  public List<ProxyStatus> proxyStatus() {
    List<ProxyStatus> out = new ArrayList<>();
    Instant now = Instant.now();
    for (Connection c : connections.values()) {
      synchronized (c) {
        if (c.node == null) {
          continue;
        }
        Map<String, String> status = new TreeMap<>();
        Map<String, Long> ages = new TreeMap<>();
        Map<String, String> errors = new TreeMap<>();
        for (String type : TypeUrls.ORDER) {
          String t = TypeUrls.shortName(type);
          status.put(t, c.status(type));
          Connection.TypeState ts = c.types.get(type);
          ages.put(t, ts == null || ts.sentAt == null ? -1 : Duration.between(ts.sentAt, now).toSeconds());
          if (ts != null && ts.nackMessage != null && ts.sentNonce.equals(ts.nackNonce)) {
            errors.put(t, ts.nackMessage);
          }
        }
        String cluster = c.rawNode == null || c.rawNode.getCluster().isEmpty() ? "Kubernetes" : c.rawNode.getCluster();
        out.add(new ProxyStatus(c.node.id(), cluster, status, ages, errors, options.version()));
      }
    }
    out.sort(java.util.Comparator.comparing(ProxyStatus::proxy));
    return out;
  }

  /**
   * The config last sent to a proxy as an Envoy-style {@code config_dump} (JSON), found by node id
   * or by a unique substring of it ({@code productpage-v1}).
   */
  public Optional<String> configDump(String proxy) {
    Connection match = null;
    for (Connection c : connections.values()) {
      String id = c.node == null ? "" : c.node.id();
      if (id.equals(proxy)) {
        match = c;
        break;
      }
      if (id.contains(proxy)) {
        if (match != null) {
          return Optional.empty();
        }
        match = c;
      }
    }
    if (match == null) {
      return Optional.empty();
    }
    synchronized (match) {
      return Optional.of(ConfigDumps.json(match));
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
    for (Connection c : connections.values()) {
      synchronized (c) {
        c.closed = true;
        try {
          c.out.onCompleted();
        } catch (RuntimeException ignored) {
          // gone
        }
      }
    }
    connections.clear();
  }
}
