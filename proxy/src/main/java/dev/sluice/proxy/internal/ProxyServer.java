package dev.sluice.proxy.internal;

import dev.sluice.proxy.core.cluster.Cluster;
import dev.sluice.proxy.core.cluster.OutlierMonitor;
import dev.sluice.proxy.core.listener.AccessLog;
import dev.sluice.proxy.core.listener.HttpConnectionManager;
import dev.sluice.proxy.core.listener.Listener;
import dev.sluice.proxy.internal.telemetry.IstioMetrics;
import dev.sluice.proxy.internal.telemetry.PeerMetadata;
import dev.sluice.proxy.internal.telemetry.Tracer;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * One proxy: its event loops, config state, listeners, ADS client, admin server and statistics.
 * No static state, so several proxies can run in one process (ARCHITECTURE.md, local platform).
 */
public final class ProxyServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ProxyServer.class.getName());
  /** Granularity of outlier detection's interval timers. */
  private static final long OUTLIER_TICK_MS = 50;
  /**
   * The longest the housekeeping timer sleeps: without outlier detection it wakes once a second
   * (ORIGINAL_DST clean-up, clusters added by CDS), not twenty times, which an idle proxy pays for.
   */
  private static final long IDLE_TICK_MS = 1000;

  /** Start-up settings (from the CLI flags). */
  public record Settings(
      @Nullable String configPath,
      @Nullable String configYaml,
      @Nullable Integer adminPort,
      String adminAddress,
      @Nullable String serviceNode,
      @Nullable String serviceCluster,
      int concurrency,
      java.time.Duration drainTime,
      @Nullable Integer prometheusPort) {

    /** Settings without a Prometheus listener. */
    public Settings(@Nullable String configPath, @Nullable String configYaml, @Nullable Integer adminPort,
        String adminAddress, @Nullable String serviceNode, @Nullable String serviceCluster, int concurrency,
        java.time.Duration drainTime) {
      this(configPath, configYaml, adminPort, adminAddress, serviceNode, serviceCluster, concurrency, drainTime, null);
    }

    /** Settings with Envoy's and Istio's default drain time of 5 s. */
    public Settings(@Nullable String configPath, @Nullable String configYaml, @Nullable Integer adminPort,
        String adminAddress, @Nullable String serviceNode, @Nullable String serviceCluster, int concurrency) {
      this(configPath, configYaml, adminPort, adminAddress, serviceNode, serviceCluster, concurrency,
          java.time.Duration.ofSeconds(5));
    }
  }

  final Transport transport;
  final Stats stats = new Stats();
  final Instant startTime = Instant.now();
  private final EventLoopGroup group;
  private final EventLoopGroup adminGroup;
  private final Map<EventLoop, Worker> workers = new IdentityHashMap<>();
  private final ScheduledExecutorService xdsExecutor;
  final XdsState xds;
  final ListenerManager listeners;
  private final @Nullable AdsClient ads;
  private final AdminServer admin;
  private volatile ConfigSnapshot snapshot = ConfigSnapshot.EMPTY;
  private final ConcurrentHashMap<String, Stats.HttpStats> httpStats = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<AccessLog, AccessLogFormatter> formatters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AccessLogWriter> writers = new ConcurrentHashMap<>();
  /** HTTP filter instances per connection manager config (created once per config, STYLE §6). */
  private final Map<HttpConnectionManager, List<HttpFilter>> filterChains =
      java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());
  private volatile boolean draining;
  private final CountDownLatch terminated = new CountDownLatch(1);
  /**
   * What the bootstrap says, in the proxy's own types (read at start): the node's id and cluster,
   * this proxy's workload ({@code self}) and the default trace provider among them.
   */
  final StaticConfig config;
  /** The bootstrap proto, read from {@link StaticConfig#bootstrap} when ADS or {@code /config_dump} needs it. */
  private volatile @Nullable Bootstrap bootstrap;
  final Settings settings;
  private volatile boolean ready;
  /** This proxy's encoded exchange header (made on first use from {@code config.self()}). */
  private volatile @Nullable String selfEncoded;
  /** Where spans go: {@code service_name} of this proxy, the bootstrap's default provider. */
  final String localService;
  final IstioMetrics istioMetrics = new IstioMetrics();
  final Tracer tracer;
  private final @Nullable AdminServer prometheus;

  static {
    // Netty's default leak detection samples one buffer in 128 and records a stack trace (a
    // Throwable) at each touch: ~300 stack traces a second at 30k req/s. A proxy releases its
    // buffers by design (the tests run with paranoid detection); an explicit
    // -Dio.netty.leakDetection.level still wins.
    if (System.getProperty("io.netty.leakDetection.level") == null
        && System.getProperty("io.netty.leakDetectionLevel") == null) {
      io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.DISABLED);
    }
  }

  /**
   * Loads the bootstrap, binds static listeners and the admin port and starts the ADS stream.
   *
   * @throws IllegalArgumentException when the bootstrap is invalid
   */
  public ProxyServer(Settings settings) {
    this.settings = settings;
    ConfigReading.Read read = ConfigReading.read(settings.configPath(), settings.configYaml(), settings.serviceNode(),
        settings.serviceCluster());
    this.config = read.config();
    if (read.isolated()) {
      // The reading class loader is unreachable now: a full GC unloads its classes (issue 3's idle memory).
      System.gc();
    }
    PeerMetadata self = config.self();
    this.localService = !config.nodeCluster().isEmpty() ? config.nodeCluster()
        : !self.canonicalService().isEmpty() ? self.canonicalService() + (self.namespace().isEmpty() ? "" : "." + self.namespace())
        : config.nodeId().isEmpty() ? "sluice-proxy" : config.nodeId();

    this.tracer = new Tracer(this::collectorAddress);
    this.transport = Transport.detect(!Boolean.getBoolean("sluice.proxy.nio"));
    int threads = settings.concurrency() > 0 ? settings.concurrency() : Runtime.getRuntime().availableProcessors();
    this.group = transport.newGroup(threads, new DefaultThreadFactory("sluice-worker", true));
    for (EventExecutor e : group) {
      workers.put((EventLoop) e, new Worker((EventLoop) e, transport));
    }
    this.adminGroup = transport.newGroup(1, new DefaultThreadFactory("sluice-admin", true));
    this.xdsExecutor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sluice-xds");
      t.setDaemon(true);
      return t;
    });
    this.listeners = new ListenerManager(this, group);
    this.xds = new XdsState(stats, s -> {
      snapshot = s;
      listeners.update(s.listeners());
    }, (delay, task) -> {
      var f = xdsExecutor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
      return () -> f.cancel(false);
    });
    try {
      xdsExecutor.submit(() -> {
        xds.staticClusters.putAll(config.clusters());
        xds.staticListeners.putAll(config.listeners());
        xds.rebuild();
      }).get();
    } catch (Exception e) {
      close();
      throw new IllegalStateException("start-up failed: " + e.getMessage(), e);
    }
    int adminPort = settings.adminPort() != null ? settings.adminPort()
        : config.adminPort() >= 0 ? config.adminPort() : 15000;
    xdsExecutor.schedule(this::housekeeping, OUTLIER_TICK_MS, TimeUnit.MILLISECONDS);
    this.admin = new AdminServer(this, adminGroup, settings.adminAddress(), adminPort, false);
    this.prometheus = settings.prometheusPort() == null ? null
        : new AdminServer(this, adminGroup, settings.adminAddress(), settings.prometheusPort(), true);
    this.ads = startAds();
    if (ads == null) {
      ready = true;
    }
  }

  private @Nullable AdsClient startAds() {
    if (!config.dynamic()) {
      return null;
    }
    var ads = bootstrap().getDynamicResources().getAdsConfig();
    if (ads.getGrpcServicesCount() == 0) {
      throw new IllegalArgumentException("dynamic_resources.ads_config.grpc_services: [] (expected: one service)");
    }
    var svc = ads.getGrpcServices(0);
    String target;
    if (svc.hasEnvoyGrpc()) {
      String name = svc.getEnvoyGrpc().getClusterName();
      Cluster c = xds.staticClusters.get(name);
      if (c == null || c.endpoints().isEmpty()) {
        throw new IllegalArgumentException("dynamic_resources.ads_config.grpc_services[0].envoy_grpc.cluster_name: "
            + name + " (expected: a static cluster with an endpoint)");
      }
      var ep = c.endpoints().getFirst();
      target = ep.address() + ":" + ep.port();
    } else if (svc.hasGoogleGrpc()) {
      target = svc.getGoogleGrpc().getTargetUri();
    } else {
      throw new IllegalArgumentException("dynamic_resources.ads_config.grpc_services[0]: (expected: envoy_grpc or google_grpc)");
    }
    ManagedChannel ch = NettyChannelBuilder.forTarget(target)
        .usePlaintext()
        .eventLoopGroup(adminGroup)
        .channelType(transport.socketChannel().asSubclass(io.netty.channel.Channel.class))
        .maxInboundMessageSize(64 * 1024 * 1024)
        .directExecutor() // callbacks only hand over to the xDS thread: no grpc-default-executor threads
        .build();
    AdsClient client = new AdsClient(ch, adsNode(), xds, xdsExecutor);
    client.start();
    return client;
  }

  /** The bootstrap proto (read again from its wire form on first use). */
  Bootstrap bootstrap() {
    Bootstrap b = bootstrap;
    if (b == null) {
      b = dev.sluice.proxy.internal.Bootstrap.decode("bootstrap", config.bootstrap());
      bootstrap = b;
    }
    return b;
  }

  /** The {@code x-envoy-peer-metadata} value of this proxy. */
  String selfEncoded() {
    String e = selfEncoded;
    if (e == null) {
      e = config.self().encode();
      selfEncoded = e;
    }
    return e;
  }

  /** The bootstrap's node with the configured id and cluster and this proxy's user agent. */
  Node node() {
    return bootstrap().getNode().toBuilder().setId(config.nodeId()).setCluster(config.nodeCluster()).setUserAgentName("sluice-proxy").build();
  }

  /**
   * Sluice's node metadata key: the URL of this proxy's Prometheus endpoint, which sluiced lists
   * at {@code /debug/prometheus_sd} and its dashboard scrapes. Istio's keys are left alone.
   */
  public static final String PROMETHEUS_URL_KEY = "SLUICE_PROMETHEUS_URL";

  /**
   * The node sent on the ADS stream: the bootstrap's, plus {@link #PROMETHEUS_URL_KEY} (the stats
   * listener's {@code /stats/prometheus} if one is configured, else the admin port's) unless the
   * bootstrap sets it. A wildcard admin address is advertised as 127.0.0.1.
   */
  Node adsNode() {
    Node node = node();
    if (node.getMetadata().containsFields(PROMETHEUS_URL_KEY)) {
      return node;
    }
    String host = settings.adminAddress();
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      host = "127.0.0.1";
    } else if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    int port = prometheus != null ? prometheus.port() : admin.port();
    String url = "http://" + host + ":" + port + "/stats/prometheus";
    Node.Builder nb = node.toBuilder();
    nb.getMetadataBuilder().putFields(PROMETHEUS_URL_KEY,
        com.google.protobuf.Value.newBuilder().setStringValue(url).build());
    return nb.build();
  }

  /** Builds and runs a proxy for the in-process ADS tests: a channel supplied by the caller. */
  AdsClient startAdsWith(ManagedChannel channel) {
    AdsClient client = new AdsClient(channel, adsNode(), xds, xdsExecutor);
    client.start();
    return client;
  }

  ConfigSnapshot snapshot() {
    return snapshot;
  }

  Worker worker(EventLoop loop) {
    return workers.get(loop);
  }

  Stats.HttpStats httpStats(String prefix) {
    return httpStats.computeIfAbsent(prefix, p -> new Stats.HttpStats(stats, p));
  }

  /** A host of a tracing collector cluster (the first healthy pick), or null. */
  private java.net.@Nullable InetSocketAddress collectorAddress(String cluster) {
    ClusterRuntime c = snapshot.clusters().get(cluster);
    if (c == null || c.hosts.isEmpty()) {
      return null;
    }
    int idx = c.balancer.pick(null, java.util.concurrent.ThreadLocalRandom.current());
    HostRuntime h = c.hosts.get(Math.max(idx, 0));
    return new java.net.InetSocketAddress(h.address.getHostString(), h.address.getPort());
  }

  /** Everything {@code /stats/prometheus} serves: Envoy's stats and Istio's standard metrics. */
  public String prometheusText() {
    StringBuilder sb = new StringBuilder(PrometheusFormat.render(refreshGauges()));
    istioMetrics.render(sb);
    return sb.toString();
  }

  /** The bound Prometheus port, or -1 when not served. */
  public int prometheusPort() {
    return prometheus == null ? -1 : prometheus.port();
  }

  /** The span exporter (tests wait on it). */
  public Tracer tracer() {
    return tracer;
  }

  /** Updates computed gauges (circuit-breaker state) before an admin read. */
  Stats refreshGauges() {
    for (ClusterRuntime c : snapshot.clusters().values()) {
      c.stats.refreshCircuitBreakers(c.cluster.circuitBreakers());
    }
    return stats;
  }

  /** The HTTP filters of {@code hcm}, created on first use. */
  List<HttpFilter> filters(HttpConnectionManager hcm) {
    if (hcm.httpFilters().isEmpty()) {
      return List.of();
    }
    return filterChains.computeIfAbsent(hcm, HttpFilter::create);
  }

  /** Whether the proxy is draining (shutting down): HTTP/1.1 responses get {@code Connection: close}. */
  boolean isDraining() {
    return draining;
  }

  /**
   * A host reached an outlier threshold on some event loop: decide on the xDS thread (Envoy's main
   * thread), and rebuild the cluster's balancer when it is ejected.
   */
  void outlierDetected(String clusterName, HostRuntime host, OutlierMonitor.EjectionType type) {
    xdsExecutor.execute(() -> {
      ClusterRuntime c = snapshot.clusters().get(clusterName);
      if (c == null || c.outlier == null) {
        return;
      }
      switch (type) {
        case CONSECUTIVE_5XX -> c.stats.odDetected5xx.increment();
        case CONSECUTIVE_GATEWAY_FAILURE -> c.stats.odDetectedGateway.increment();
        case CONSECUTIVE_LOCAL_ORIGIN_FAILURE -> c.stats.odDetectedLocal.increment();
      }
      switch (c.outlier.onDetected(host.outlier, type, c.monitors, System.nanoTime())) {
        case EJECTED -> {
          c.stats.odEnforcedTotal.increment();
          switch (type) {
            case CONSECUTIVE_5XX -> c.stats.odEnforced5xx.increment();
            case CONSECUTIVE_GATEWAY_FAILURE -> c.stats.odEnforcedGateway.increment();
            case CONSECUTIVE_LOCAL_ORIGIN_FAILURE -> c.stats.odEnforcedLocal.increment();
          }
          LOG.info(() -> "outlier detection: ejected " + host.hostPort + " of " + clusterName + " (" + type + ")");
          c.rebalance();
        }
        case OVERFLOW -> c.stats.odOverflow.increment();
        case NOT_ENFORCED, IGNORED -> { }
      }
    });
  }

  /** Envoy's ORIGINAL_DST {@code cleanup_interval} default. */
  private static final long ORIGINAL_DST_CLEANUP_NANOS = TimeUnit.SECONDS.toNanos(5);
  private long lastOriginalDstCleanup = System.nanoTime();

  /**
   * The outlier interval timer of every cluster (each at its own interval), and the clean-up of
   * idle ORIGINAL_DST hosts, on the xDS thread.
   */
  private void housekeeping() {
    long nextMs = IDLE_TICK_MS;
    try {
      nextMs = outlierTick();
    } finally {
      try {
        xdsExecutor.schedule(this::housekeeping, nextMs, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException closed) {
        // the proxy is shutting down
      }
    }
  }

  /** Runs what is due; returns the milliseconds until the next outlier interval is due. */
  private long outlierTick() {
    long now = System.nanoTime();
    if (now - lastOriginalDstCleanup >= ORIGINAL_DST_CLEANUP_NANOS) {
      lastOriginalDstCleanup = now;
      for (ClusterRuntime c : snapshot.clusters().values()) {
        for (HostRuntime h : c.retireIdleOriginalDst(now, ORIGINAL_DST_CLEANUP_NANOS)) {
          for (Worker w : workers.values()) {
            w.loop.execute(() -> w.dropPool(h));
          }
        }
      }
    }
    long next = TimeUnit.MILLISECONDS.toNanos(IDLE_TICK_MS);
    for (ClusterRuntime c : snapshot.clusters().values()) {
      if (c.outlier == null) {
        continue;
      }
      long interval = c.outlier.config().interval().toNanos();
      if (now - c.stats.lastOutlierTick >= interval) {
        c.stats.lastOutlierTick = now;
        if (!c.outlier.onInterval(c.monitors, now).isEmpty()) {
          LOG.info(() -> "outlier detection: hosts of " + c.name() + " returned to service");
          c.rebalance();
        }
      }
      next = Math.min(next, c.stats.lastOutlierTick + interval - now);
    }
    return Math.max(OUTLIER_TICK_MS, TimeUnit.NANOSECONDS.toMillis(next));
  }

  ScheduledExecutorService xdsExecutor() {
    return xdsExecutor;
  }

  @Nullable AdsClient ads() {
    return ads;
  }

  /** Whether the initial config is in: static only, or the first ADS listeners arrived. */
  public boolean isReady() {
    if (!ready && ads != null && ads.connected() && !xds.listeners.version.isEmpty()) {
      ready = true;
    }
    return ready;
  }

  void accessLog(HttpConnectionManager hcm, LogEntry e) {
    var logs = hcm.accessLogs();
    for (int i = 0; i < logs.size(); i++) {
      AccessLog al = logs.get(i);
      AccessLogFormatter f = formatters.computeIfAbsent(al, a -> a.isJson()
          ? AccessLogFormatter.json(a.jsonFormat())
          : AccessLogFormatter.text(a.textFormat() == null ? AccessLog.DEFAULT_FORMAT : a.textFormat()));
      AccessLogWriter w = writers.computeIfAbsent(al.path(), p -> {
        try {
          return new AccessLogWriter(p);
        } catch (IOException ex) {
          throw new IllegalStateException("access log " + p + ": " + ex.getMessage(), ex);
        }
      });
      w.append(f.format(e));
    }
  }

  /** The admin port actually bound. */
  public int adminPort() {
    return admin.port();
  }

  /** The bound port of listener {@code name}, or -1. */
  public int listenerPort(String name) {
    ActiveListener a = listeners.active().get(name);
    return a == null ? -1 : a.boundPort();
  }

  /** Names and bound ports of the active listeners. */
  public Map<String, Integer> listenerPorts() {
    Map<String, Integer> m = new java.util.TreeMap<>();
    listeners.active().forEach((k, v) -> m.put(k, v.boundPort()));
    return m;
  }

  /** Blocks until {@link #close()}. */
  public void awaitTermination() throws InterruptedException {
    terminated.await();
  }

  /** Blocks up to {@code millis} until the proxy is ready. */
  public boolean awaitReady(long millis) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (!isReady()) {
      if (System.nanoTime() > end) {
        return false;
      }
      Thread.onSpinWait();
      TimeUnit.MILLISECONDS.sleep(5);
    }
    return true;
  }

  java.time.Duration drainTime() {
    return settings.drainTime();
  }

  /**
   * Graceful shutdown: stop accepting, let in-flight requests finish (HTTP/1.1 responses carry
   * {@code Connection: close}, HTTP/2 connections get GOAWAY) for at most the drain time, then
   * close everything.
   */
  public void drainAndClose() {
    if (terminated.getCount() == 0) {
      return;
    }
    draining = true;
    try {
      xdsExecutor.submit(listeners::stopAcceptingAll).get(5, TimeUnit.SECONDS);
      long end = System.nanoTime() + settings.drainTime().toNanos();
      while (System.nanoTime() < end) {
        if (xdsExecutor.submit(listeners::allDrained).get(5, TimeUnit.SECONDS)) {
          break;
        }
        TimeUnit.MILLISECONDS.sleep(20);
      }
    } catch (Exception e) {
      LOG.log(Level.FINE, "draining", e);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    }
    close();
  }

  @Override
  public void close() {
    if (terminated.getCount() == 0) {
      return;
    }
    draining = true;
    try {
      if (ads != null) {
        ads.close();
      }
      try {
        xdsExecutor.submit(listeners::closeAll).get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.log(Level.FINE, "closing listeners", e);
      }
      xdsExecutor.shutdownNow();
      if (admin != null) {
        admin.close();
      }
      if (prometheus != null) {
        prometheus.close();
      }
      tracer.close();
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
      adminGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
      writers.values().forEach(AccessLogWriter::close);
    } finally {
      terminated.countDown();
    }
  }
}
