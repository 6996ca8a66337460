package dev.sluice.bench.controlplane;

import com.sun.management.OperatingSystemMXBean;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.Resource;
import dev.sluice.registry.InMemoryConfigStore;
import dev.sluice.registry.InMemoryServiceRegistry;
import dev.sluice.registry.MeshService;
import dev.sluice.registry.Protocol;
import dev.sluice.registry.ServicePort;
import dev.sluice.registry.WorkloadInstance;
import dev.sluice.translate.MeshSnapshot;
import dev.sluice.translate.ProxyNode;
import dev.sluice.translate.XdsTranslator;
import dev.sluice.xds.XdsServer;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelOption;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * sluiced at istiod's reference scale: 1,000 services (10 namespaces, one HTTP port each) × 3
 * DestinationRule subsets, an 80/20 VirtualService per service, 10,000 endpoints, and 2,000
 * in-process ADS clients (sluice-proxy's subscription pattern). Measures snapshot build time,
 * initial sync, full-push convergence (a VirtualService change that changes every proxy's RDS),
 * endpoint-only convergence (one instance becomes unhealthy), heap and CPU.
 *
 * <pre>
 * ./mvnw -q -B -o -pl bench -am package -DskipTests
 * java -Xmx2g -cp "bench/target/classes:bench/target/lib/*" dev.sluice.bench.controlplane.ControlPlaneScale
 * </pre>
 *
 * <p>Convergence is measured from the change (store apply / registry update) to each client's
 * receipt of the new version, so it includes the 100 ms debounce quiet period, as istiod's
 * {@code pilot_proxy_convergence_time} does; the push-only figures use {@code pushNow} instead.
 * Clients run in the same JVM, so the CPU figure includes them (they do little: ACKs). The first
 * {@code -Dwarmup=3} pushes of each kind are reported separately (JIT warm-up); {@code -Drounds=5}
 * measured rounds follow ({@code -DedsRounds} sets the endpoint-only ones apart);
 * {@code -Dprofile=/tmp/cp.jfr} records them with JFR, and with {@code -DprofileEdsOnly=true} only
 * the endpoint-only rounds, sampled every millisecond. With {@code XdsServer} logging at FINE
 * ({@code -Djava.util.logging.config.file=...}), each push logs its phases (snapshot, diff, views,
 * sends).
 *
 * <p>{@code -Dtransport=netty} runs the same mesh over grpc-netty on 127.0.0.1 ({@code
 * -Dconnections=20} HTTP/2 connections, the clients reading on the transport's threads), so
 * responses are encoded, framed and flow-controlled as with real proxies; it prints the peak direct
 * memory in all and per allocator (server, clients). {@code -DpushThrottle=N} sets the server's
 * push throttle (default 100, istiod's {@code PILOT_PUSH_THROTTLE}); {@code -Dprogress=true} prints
 * direct memory and the throttle's state every 2 s.
 */
public final class ControlPlaneScale {
  static final int SERVICES = Integer.getInteger("services", 1000);
  static final int ENDPOINTS_PER_SERVICE = Integer.getInteger("endpointsPerService", 10);
  static final int PROXIES = Integer.getInteger("proxies", 2000);
  static final int NAMESPACES = 10;
  static final int ROUNDS = Integer.getInteger("rounds", 5);
  static final int EDS_ROUNDS = Integer.getInteger("edsRounds", ROUNDS);
  static final int WARMUP = Integer.getInteger("warmup", 3);
  /** {@code -Dtransport=netty}: grpc-netty on 127.0.0.1 over {@code -Dconnections=20} HTTP/2 connections. */
  static final boolean NETTY = System.getProperty("transport", "inprocess").equals("netty");
  static final int CONNECTIONS = Integer.getInteger("connections", 20);

  public static void main(String[] args) throws Exception {
    InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
    InMemoryConfigStore store = new InMemoryConfigStore();
    List<MeshService> services = new ArrayList<>();
    List<WorkloadInstance> instances = new ArrayList<>();
    StringBuilder yaml = new StringBuilder();
    for (int i = 0; i < SERVICES; i++) {
      String ns = "ns-" + (i % NAMESPACES);
      String name = "svc-" + i;
      services.add(new MeshService(name + "." + ns + ".svc.cluster.local", name, ns,
          List.of(ServicePort.of("http", 8080, Protocol.HTTP)), Map.of("app", name), "", List.of(),
          MeshService.Origin.KUBERNETES, "STATIC", false));
      for (int e = 0; e < ENDPOINTS_PER_SERVICE; e++) {
        int n = i * ENDPOINTS_PER_SERVICE + e;
        instances.add(new WorkloadInstance(name + "-v" + (e % 3 + 1) + "-" + e, ns,
            "10." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255),
            Map.of("app", name, "version", "v" + (e % 3 + 1)), "default", Map.of(), true, List.of()));
      }
      yaml.append(rules(name, ns, 80));
    }
    registry.replaceAll(services, instances);
    List<Resource> config = new ConfigLoader().load("bench", new StringReader(yaml.toString())).resources();
    store.replaceAll(config);
    System.out.printf("mesh: %d services, %d endpoints, %d Istio objects, %d proxies%n", services.size(),
        instances.size(), store.list().size(), PROXIES);

    // 1. Snapshot build and one view's translation.
    long[] build = new long[5];
    MeshSnapshot snap = null;
    for (int i = 0; i < build.length; i++) {
      long t0 = System.nanoTime();
      snap = MeshSnapshot.build(registry.services(), registry.instances(), store.list(), "x");
      build[i] = System.nanoTime() - t0;
    }
    long t0 = System.nanoTime();
    var shared = XdsTranslator.translateShared(snap, ProxyNode.sidecar("svc-0-x", "ns-0", "10.0.0.0", Map.of("app", "svc-0")));
    long translate = System.nanoTime() - t0;
    System.out.printf("snapshot build: %s ms (median of 5); one view: %d clusters, %d endpoints, %d routes in %.1f ms%n",
        ms(median(build)), shared.clusters().size(), shared.endpoints().size(), shared.routes().size(), translate / 1e6);

    XdsServer xds = new XdsServer(
        (prev, v) -> MeshSnapshot.build(prev, registry.services(), registry.instances(), store.list(), v),
        XdsServer.Options.DEFAULTS.withPushThrottle(Integer.getInteger("pushThrottle",
            XdsServer.Options.DEFAULT_PUSH_THROTTLE)), null);
    store.addListener(xds::onChange);
    registry.addListener(xds::onChange);
    ExecutorService serverExec = Executors.newFixedThreadPool(2);
    ExecutorService clientExec = Executors.newFixedThreadPool(2);
    Server server;
    List<ManagedChannel> channels = new ArrayList<>();
    // Server and clients allocate from separate pools, so that the server's share of the direct
    // memory can be told from the clients' (which a real mesh keeps in the proxies' processes).
    PooledByteBufAllocator serverAlloc = new PooledByteBufAllocator(true);
    PooledByteBufAllocator clientAlloc = new PooledByteBufAllocator(true);
    if (NETTY) {
      // Real HTTP/2 on loopback: every response is encoded and framed, and what a stream cannot
      // take yet waits in Netty's direct buffers (the case flow control and the push throttle bound).
      server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).executor(serverExec)
          .withChildOption(ChannelOption.ALLOCATOR, serverAlloc).addService(xds.service()).build().start();
      for (int i = 0; i < CONNECTIONS; i++) {
        // The clients take each response on the transport's thread (directExecutor): a client
        // that is busy does not read its socket, as a separate proxy process would not, instead of
        // decoding every response into a queue in front of two client threads.
        channels.add(NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext()
            .withOption(ChannelOption.ALLOCATOR, clientAlloc).directExecutor().maxInboundMessageSize(256 << 20)
            .build());
      }
    } else {
      String name = InProcessServerBuilder.generateName();
      server = InProcessServerBuilder.forName(name).executor(serverExec).addService(xds.service()).build().start();
      channels.add(InProcessChannelBuilder.forName(name).executor(clientExec).build());
    }
    DirectMemoryPeak direct = new DirectMemoryPeak(serverAlloc, clientAlloc);
    direct.xds = xds;

    // 2. Connect 2,000 proxies and wait until each has all four types.
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    t0 = System.nanoTime();
    List<BenchClient> clients = new ArrayList<>();
    for (int i = 0; i < PROXIES; i++) {
      int svc = i % SERVICES;
      String ns = "ns-" + (svc % NAMESPACES);
      clients.add(new BenchClient(channels.get(i % channels.size()), "sidecar~10.200." + (i >> 8) + "." + (i & 255) + "~svc-" + svc + "-" + i + "."
          + ns + "~" + ns + ".svc.cluster.local", ns, "svc-" + svc, () -> { }));
    }
    awaitAll(clients, BenchClient.RDS, 1, Duration.ofMinutes(5));
    awaitAll(clients, BenchClient.EDS, 1, Duration.ofMinutes(5));
    System.out.printf("initial sync of %d proxies (%s): %d ms, process CPU %.1f s; peak direct memory %s%n", PROXIES,
        NETTY ? "grpc-netty on loopback, " + CONNECTIONS + " connections" : "in-process",
        (System.nanoTime() - t0) / 1_000_000, (os.getProcessCpuTime() - cpu0) / 1e9, direct.peakAndReset());
    System.out.printf("first response of each type: CDS %d KB, EDS %d KB, LDS %d KB, RDS %d KB%n",
        BenchClient.SIZES.getOrDefault(BenchClient.CDS, 0) >> 10, BenchClient.SIZES.getOrDefault(BenchClient.EDS, 0) >> 10,
        BenchClient.SIZES.getOrDefault(BenchClient.LDS, 0) >> 10, BenchClient.SIZES.getOrDefault(BenchClient.RDS, 0) >> 10);
    heap("heap after initial sync");

    // 3. Full pushes: a VirtualService change (weights of svc-0) changes every proxy's route config.
    // The first WARMUP rounds of each kind run while the JIT still compiles the push path; they are
    // reported separately (a control plane runs for days, so the steady state is what matters).
    List<Long> warm = new ArrayList<>();
    for (int r = 0; r < WARMUP; r++) {
      long version = Long.parseLong(xds.snapshot().version());
      long start = System.nanoTime();
      new ConfigLoader().load("warmup", new StringReader(rules("svc-2", "ns-2", 50 + r))).resources()
          .stream().filter(x -> x.kind().kind().equals("VirtualService")).forEach(store::apply);
      awaitAll(clients, BenchClient.RDS, version + 1, Duration.ofMinutes(2));
      for (BenchClient c : clients) {
        warm.add(c.receivedNanos.get(BenchClient.RDS) - start);
      }
    }
    if (!warm.isEmpty()) {
      report("warm-up full pushes (excluded below)", warm);
    }
    // -Dprofile=FILE records the measured rounds (not the initial sync and warm-up) with JFR.
    String profile = System.getProperty("profile");
    jdk.jfr.Recording recording = null;
    if (profile != null && !Boolean.getBoolean("profileEdsOnly")) {
      recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
      recording.start();
    }
    List<Long> fullP = new ArrayList<>();
    long cpuFull = 0;
    for (int r = 0; r < ROUNDS; r++) {
      long version = xds.snapshot().version().isEmpty() ? 0 : Long.parseLong(xds.snapshot().version());
      long c0 = os.getProcessCpuTime();
      long start = System.nanoTime();
      new ConfigLoader().load("change", new StringReader(rules("svc-0", "ns-0", 70 + r))).resources()
          .stream().filter(x -> x.kind().kind().equals("VirtualService")).forEach(store::apply);
      awaitAll(clients, BenchClient.RDS, version + 1, Duration.ofMinutes(2));
      cpuFull += os.getProcessCpuTime() - c0;
      for (BenchClient c : clients) {
        fullP.add(c.receivedNanos.get(BenchClient.RDS) - start);
      }
    }
    report("full push (config change → RDS at every proxy, incl. 100 ms debounce)", fullP);
    System.out.printf("  process CPU per full push: %.2f s%n", cpuFull / 1e9 / ROUNDS);

    List<Long> forced = new ArrayList<>();
    for (int r = 0; r < ROUNDS; r++) {
      long version = Long.parseLong(xds.snapshot().version());
      new ConfigLoader().load("change", new StringReader(rules("svc-1", "ns-1", 60 + r))).resources()
          .stream().filter(x -> x.kind().kind().equals("VirtualService")).forEach(store::apply);
      awaitAll(clients, BenchClient.RDS, version + 1, Duration.ofMinutes(2));
      version = Long.parseLong(xds.snapshot().version());
      long start = System.nanoTime();
      xds.pushNow(true).get();
      // A forced push with unchanged config sends nothing new; measure the push itself.
      forced.add(System.nanoTime() - start);
    }
    System.out.printf("full push with unchanged config (translate + compare, no sends): median %s ms%n",
        ms(forced.stream().sorted().toList().get(forced.size() / 2)));

    // 4. Endpoint-only: one instance of svc-0 flips health; only EDS goes out.
    List<Long> edsP = new ArrayList<>();
    long cds = xds.metrics().pushes("cds");
    long cpuEds = 0;
    List<Long> edsWarm = new ArrayList<>();
    List<String> lastPerRound = new ArrayList<>();
    if (profile != null && Boolean.getBoolean("profileEdsOnly")) {
      recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
      recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
      recording.enable("jdk.ThreadCPULoad").withPeriod(Duration.ofMillis(100));
      recording.start();
    }
    for (int r = 0; r < WARMUP + EDS_ROUNDS; r++) {
      List<Long> into = r < WARMUP ? edsWarm : edsP;
      long version = Long.parseLong(xds.snapshot().version());
      WorkloadInstance w = registry.instances().stream().filter(x -> x.name().equals("svc-0-v1-0")).findFirst()
          .orElseThrow();
      long c0 = os.getProcessCpuTime();
      long start = System.nanoTime();
      registry.putInstance(w.withHealthy(!w.healthy()));
      awaitAll(clients, BenchClient.EDS, version + 1, Duration.ofMinutes(2));
      if (r >= WARMUP) {
        cpuEds += os.getProcessCpuTime() - c0;
      }
      long last = 0;
      for (BenchClient c : clients) {
        long t = c.receivedNanos.get(BenchClient.EDS) - start;
        into.add(t);
        last = Math.max(last, t);
      }
      lastPerRound.add(ms(last));
    }
    System.out.println("endpoint-only pushes, last proxy per round (ms, warm-up first): " + lastPerRound);
    if (!edsWarm.isEmpty()) {
      report("warm-up endpoint-only pushes (excluded below)", edsWarm);
    }
    report("endpoint-only push (instance change → EDS at every proxy, incl. 100 ms debounce)", edsP);
    System.out.printf("  process CPU per EDS push: %.2f s; CDS responses during EDS pushes: %d%n",
        cpuEds / 1e9 / EDS_ROUNDS, xds.metrics().pushes("cds") - cds);
    if (recording != null) {
      recording.stop();
      recording.dump(java.nio.file.Path.of(profile));
      System.out.println("profile of the measured rounds: " + profile);
    }
    heap("heap at the end");
    System.out.println("peak direct memory after the initial sync: " + direct.peakAndReset());
    direct.close();
    System.out.println(xds.metrics().prometheus().lines().filter(l -> l.startsWith("pilot_xds_pushes")
        || l.startsWith("pilot_proxy_convergence_time_count") || l.startsWith("pilot_proxy_convergence_time_sum"))
        .reduce("", (a, b) -> a + b + "\n"));

    clients.forEach(BenchClient::close);
    channels.forEach(ManagedChannel::shutdownNow);
    server.shutdownNow();
    xds.close();
    serverExec.shutdownNow();
    clientExec.shutdownNow();
  }

  /**
   * The highest direct memory reserved, sampled every millisecond: in all
   * ({@code PlatformDependent.usedDirectMemory()}, what {@code OutOfDirectMemoryError} is raised
   * against; the JDK's direct buffer pool when Netty does not count), and by the server's and the
   * clients' allocators. With {@code -Dprogress=true} it prints them, with the push throttle's
   * state, every 2 s.
   */
  static final class DirectMemoryPeak implements AutoCloseable {
    private final java.util.concurrent.atomic.AtomicLongArray peak = new java.util.concurrent.atomic.AtomicLongArray(3);
    private final PooledByteBufAllocator server;
    private final PooledByteBufAllocator client;
    private final Thread sampler;
    volatile @org.jspecify.annotations.Nullable XdsServer xds;

    DirectMemoryPeak(PooledByteBufAllocator server, PooledByteBufAllocator client) {
      this.server = server;
      this.client = client;
      boolean progress = Boolean.getBoolean("progress");
      sampler = Thread.ofPlatform().daemon().name("direct-memory-sampler").start(() -> {
        long next = System.nanoTime();
        while (!Thread.currentThread().isInterrupted()) {
          long[] now = used();
          for (int i = 0; i < now.length; i++) {
            int k = i;
            peak.getAndUpdate(k, p -> Math.max(p, now[k]));
          }
          if (progress && System.nanoTime() > next) {
            next = System.nanoTime() + 2_000_000_000L;
            XdsServer x = xds;
            System.out.printf("  direct %d MB (server %d, clients %d)%s%n", now[0] >> 20, now[1] >> 20, now[2] >> 20,
                x == null ? "" : ", pushes in flight " + x.metrics().pushesInFlight() + ", waiting "
                    + x.metrics().pushesWaiting());
          }
          try {
            TimeUnit.MILLISECONDS.sleep(1);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
    }

    long[] used() {
      long total = io.netty.util.internal.PlatformDependent.usedDirectMemory();
      if (total < 0) {
        total = ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class).stream()
            .filter(b -> b.getName().equals("direct")).mapToLong(java.lang.management.BufferPoolMXBean::getMemoryUsed)
            .sum();
      }
      return new long[] {total, server.metric().usedDirectMemory(), client.metric().usedDirectMemory()};
    }

    String peakAndReset() {
      long[] now = used();
      long[] p = new long[3];
      for (int i = 0; i < 3; i++) {
        p[i] = Math.max(peak.getAndSet(i, 0), now[i]) >> 20;
      }
      return p[0] + " MB (server's allocator " + p[1] + " MB, clients' " + p[2] + " MB)";
    }

    @Override
    public void close() {
      sampler.interrupt();
    }
  }

  static String rules(String name, String ns, int weight) {
    return """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: %1$s, namespace: %2$s}
        spec:
          host: %1$s
          subsets:
          - {name: v1, labels: {version: v1}}
          - {name: v2, labels: {version: v2}}
          - {name: v3, labels: {version: v3}}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: %1$s, namespace: %2$s}
        spec:
          hosts: [%1$s]
          http:
          - route:
            - {destination: {host: %1$s, subset: v1}, weight: %3$d}
            - {destination: {host: %1$s, subset: v2}, weight: %4$d}
        ---
        """.formatted(name, ns, weight, 100 - weight);
  }

  static void awaitAll(List<BenchClient> clients, String type, long version, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    for (BenchClient c : clients) {
      while (c.receivedVersion.getOrDefault(type, 0L) < version) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("timeout waiting for " + type + " version " + version + " at " + c.node.getId());
        }
        TimeUnit.MILLISECONDS.sleep(1);
      }
    }
  }

  static void report(String what, List<Long> nanos) {
    long[] a = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    System.out.printf("%s over %d samples: p50 %s ms, p99 %s ms, max %s ms%n", what, a.length,
        ms(a[a.length / 2]), ms(a[(int) Math.min(a.length - 1, Math.ceil(a.length * 0.99) - 1)]), ms(a[a.length - 1]));
  }

  static void heap(String what) {
    System.gc();
    var mem = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    System.out.printf("%s: %d MB used after GC (committed %d MB)%n", what, mem.getUsed() >> 20, mem.getCommitted() >> 20);
  }

  static long median(long[] a) {
    long[] s = a.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  static String ms(long nanos) {
    return String.format("%.1f", nanos / 1e6);
  }
}
