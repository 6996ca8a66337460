package dev.sluice.platform.local;

import static java.util.Objects.requireNonNull;

import dev.sluice.config.ConfigLoader;
import dev.sluice.config.LoadResult;
import dev.sluice.config.Resource;
import dev.sluice.config.ResourceKind;
import dev.sluice.config.kube.Kube;
import dev.sluice.controlplane.Platform;
import dev.sluice.controlplane.Sluiced;
import dev.sluice.dashboard.ScrapeTarget;
import dev.sluice.translate.MeshTelemetry;
import dev.sluice.registry.ApplyResult;
import dev.sluice.registry.kube.KubeWorkloads;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The local platform on top of a running sluiced: applied Kubernetes objects become services in
 * the registry and pods on loopback, each with its own sidecar; Istio's default ingress gateway
 * serves {@code http://127.0.0.1:8080}.
 *
 * <pre>{@code
 * try (Sluiced cp = Sluiced.start(Sluiced.Options.defaults());
 *      LocalPlatform platform = LocalPlatform.start(cp, LocalPlatform.Options.defaults())) {
 *   platform.apply(Path.of("bookinfo.yaml"));        // or POST /apis/config, `sluice apply -f`
 *   System.out.println(platform.gatewayUrl());       // http://127.0.0.1:8080
 * }
 * }</pre>
 *
 * <p>Deployments become pods named like Kubernetes' ({@code reviews-v2-<template hash>-<5
 * chars>}); scaling adds and removes them; a deleted pod of a Deployment is replaced; a dead app
 * process is restarted with back-off while its endpoint is withdrawn.
 */
public final class LocalPlatform implements Platform, AutoCloseable {

  /**
   * How to run.
   *
   * @param gatewayHttpPort where the ingress gateway serves its 8080 listener (Service port 80); 0
   *     picks a free port
   * @param gatewayHttpsPort the 8443 listener (Service port 443); 0 picks a free port
   * @param gatewayTcpPort the 31400 listener; 0 picks a free port
   * @param gatewayStatusPort the gateway's {@code /healthz/ready} (Istio's 15021); 0 picks a free port
   * @param proxyLogLevel the log level of every proxy
   * @param events receives one readable line per platform event (pod ready, restarted, deleted)
   */
  public record Options(int gatewayHttpPort, int gatewayHttpsPort, int gatewayTcpPort, int gatewayStatusPort,
      String proxyLogLevel, Consumer<String> events) {
    public Options {
      requireNonNull(proxyLogLevel, "proxyLogLevel");
      requireNonNull(events, "events");
    }

    /** Istio's ports: 8080, 8443, 31400, 15021. */
    public static Options defaults() {
      return new Options(8080, 8443, 31400, 15021, "warning", line -> { });
    }

    /** Free ports everywhere (tests). */
    public static Options ephemeral() {
      return new Options(0, 0, 0, 0, "warning", line -> { });
    }

    public Options withEvents(Consumer<String> sink) {
      return new Options(gatewayHttpPort, gatewayHttpsPort, gatewayTcpPort, gatewayStatusPort, proxyLogLevel, sink);
    }
  }

  /** A Deployment and the template hash of its current pods. */
  record Deployment(Resource resource, String hash, int replicas, Instant created) {}

  static final String DOMAIN = "cluster.local";
  /** How long a stopping pod keeps serving after its endpoint is withdrawn. */
  static final java.time.Duration STOP_GRACE = java.time.Duration.ofMillis(800);

  private final Sluiced cp;
  private final Options options;
  private final Ports ports = new Ports();
  private final PodRunner runner;
  private final Map<Integer, Integer> gatewayPorts;
  private final GatewayStatus status;
  private final Map<Resource.Key, Resource> objects = new TreeMap<>(Comparator.comparing(Resource.Key::toString));
  private final Map<Resource.Key, Instant> created = new HashMap<>();
  private final Map<String, Deployment> deployments = new TreeMap<>();
  private final Map<String, Pod> pods = new TreeMap<>();
  private volatile @Nullable Runnable shutdownHook;

  private LocalPlatform(Sluiced cp, Options o) {
    this.cp = cp;
    this.options = o;
    gatewayPorts = Map.of(
        8080, fixedOrFree(o.gatewayHttpPort(), "the ingress gateway's HTTP port"),
        8443, fixedOrFree(o.gatewayHttpsPort(), "the ingress gateway's HTTPS port"),
        31400, fixedOrFree(o.gatewayTcpPort(), "the ingress gateway's TCP port"),
        15021, fixedOrFree(o.gatewayStatusPort(), "the ingress gateway's status port"));
    runner = new PodRunner(cp.registry(), cp.xdsPort(), ports, o.events(), o.proxyLogLevel(), gatewayPorts);
    status = GatewayStatus.start(gatewayPorts.get(15021), this::gatewayReady);
  }

  private int fixedOrFree(int port, String what) {
    if (port == 0) {
      return ports.allocate();
    }
    if (!Ports.isFree(port)) {
      throw new IllegalStateException("port " + port + " (" + what + ") is in use on 127.0.0.1 (is another "
          + "`sluice up` running? `sluice down` stops it)");
    }
    ports.reserve(port);
    return port;
  }

  /**
   * Starts the platform on {@code cp}: registers it for Kubernetes objects and its HTTP endpoints
   * ({@code /platform/...}), and starts the ingress gateway.
   *
   * @throws IllegalStateException when a fixed gateway port is taken
   */
  public static LocalPlatform start(Sluiced cp, Options options) {
    LocalPlatform p = new LocalPlatform(cp, options);
    cp.setPlatform(p);
    cp.addHttpHandler("/platform/", new PlatformHttp(p));
    for (Resource r : load("istio-ingressgateway.yaml", resource("istio-ingressgateway.yaml"))) {
      p.apply(r);
    }
    return p;
  }

  /** The ingress gateway's URL for Service port 80 ({@code http://127.0.0.1:8080}). */
  public String gatewayUrl() {
    return "http://127.0.0.1:" + gatewayPorts.get(8080);
  }

  /** Where the gateway serves listener port {@code port} (8080, 8443, 31400, 15021). */
  public int gatewayPort(int port) {
    return gatewayPorts.getOrDefault(port, port);
  }

  /** sluiced's HTTP API port. */
  public int apiPort() {
    return cp.httpPort();
  }

  /** Called when a client asks the mesh to stop ({@code sluice down}). */
  public void onShutdownRequest(Runnable hook) {
    shutdownHook = hook;
  }

  void requestShutdown() {
    Runnable h = shutdownHook;
    if (h != null) {
      h.run();
    }
  }

  /** Applies every object in a YAML stream: Kubernetes ones here, Istio ones to sluiced's store. */
  public List<String> apply(String name, String yaml) {
    LoadResult loaded = new ConfigLoader().load(name, new java.io.StringReader(yaml));
    if (!loaded.problems().isEmpty()) {
      throw new IllegalArgumentException(name + ": " + loaded.problems());
    }
    List<String> lines = new ArrayList<>();
    for (Resource r : loaded.resources()) {
      Resource n = r.withDefaultNamespace("default");
      lines.add((r.kind().isIstio() ? cp.store().apply(n) : apply(n)).line());
    }
    return lines;
  }

  // ---- Platform -------------------------------------------------------------------------------

  @Override
  public @Nullable String check(Resource r) {
    return switch (r.kind()) {
      case NAMESPACE, SERVICE_ACCOUNT, SECRET, CONFIG_MAP, SERVICE, POD -> null;
      case DEPLOYMENT -> {
        Kube.Deployment d = (Kube.Deployment) r.spec();
        if (d.spec() == null || d.spec().template() == null || d.spec().template().spec() == null
            || d.spec().template().spec().containers().isEmpty()) {
          yield "spec.template.spec.containers: missing (expected: at least one container)";
        }
        yield d.spec().replicasOrDefault() < 0 ? "spec.replicas: " + d.spec().replicas() + " (expected: >= 0)" : null;
      }
      default -> "kind " + r.kind().kind() + " is not supported by the local platform";
    };
  }

  @Override
  public synchronized ApplyResult apply(Resource r) {
    String why = check(r);
    if (why != null) {
      return new ApplyResult(r.key(), ApplyResult.Status.REJECTED, List.of(why));
    }
    Resource old = objects.get(r.key());
    if (old != null && old.spec().equals(r.spec()) && old.meta().equals(r.meta())) {
      return new ApplyResult(r.key(), ApplyResult.Status.UNCHANGED, List.of());
    }
    objects.put(r.key(), r);
    created.putIfAbsent(r.key(), Instant.now());
    switch (r.spec()) {
      case Kube.Service svc -> cp.registry().putService(KubeWorkloads.service(r, svc, DOMAIN));
      case Kube.Deployment d -> applyDeployment(r, d);
      case Kube.Pod p -> {
        if (!pods.containsKey(r.namespace() + "/" + r.name())) {
          Kube.PodSpec spec = p.spec();
          createPod(r.name(), r.namespace(), r.meta().labels(), r.meta().annotations(), spec, null, "");
        }
      }
      default -> { }
    }
    return new ApplyResult(r.key(), old == null ? ApplyResult.Status.CREATED : ApplyResult.Status.CONFIGURED,
        List.of());
  }

  @Override
  public synchronized ApplyResult delete(Resource.Key key) {
    Resource r = objects.remove(key);
    created.remove(key);
    if (r == null) {
      return new ApplyResult(key, ApplyResult.Status.UNCHANGED, List.of("not found"));
    }
    switch (r.spec()) {
      case Kube.Service svc -> cp.registry().removeService(KubeWorkloads.service(r, svc, DOMAIN).hostname());
      case Kube.Deployment d -> {
        deployments.remove(key.namespace() + "/" + key.name());
        reconcile(key.namespace(), key.name());
      }
      case Kube.Pod p -> {
        Pod pod = pods.remove(key.namespace() + "/" + key.name());
        if (pod != null) {
          stopAsync(pod);
        }
      }
      default -> { }
    }
    return new ApplyResult(key, ApplyResult.Status.DELETED, List.of());
  }

  @Override
  public synchronized List<Resource> list() {
    return List.copyOf(objects.values());
  }

  synchronized Optional<Instant> created(Resource.Key key) {
    return Optional.ofNullable(created.get(key));
  }

  // ---- Deployments and pods -------------------------------------------------------------------

  private void applyDeployment(Resource r, Kube.Deployment d) {
    String key = r.namespace() + "/" + r.name();
    Deployment old = deployments.get(key);
    String hash = podTemplateHash(r);
    deployments.put(key, new Deployment(r, hash, d.spec().replicasOrDefault(),
        old == null ? Instant.now() : old.created()));
    reconcile(r.namespace(), r.name());
  }

  /** Brings the pods of a Deployment to its replicas and template (old-template pods are replaced). */
  private void reconcile(String namespace, String name) {
    Deployment d = deployments.get(namespace + "/" + name);
    List<Pod> current = new ArrayList<>();
    for (Pod p : List.copyOf(pods.values())) {
      if (!p.namespace.equals(namespace) || !name.equals(p.owner)) {
        continue;
      }
      if (d == null || !p.templateHash.equals(d.hash())) {
        pods.remove(p.key());
        stopAsync(p);
      } else {
        current.add(p);
      }
    }
    if (d == null) {
      return;
    }
    Kube.PodTemplate t = ((Kube.Deployment) d.resource().spec()).spec().template();
    Map<String, String> labels = t.metadata() == null ? Map.of() : t.metadata().labels();
    Map<String, String> annotations = t.metadata() == null ? Map.of() : t.metadata().annotations();
    while (current.size() < d.replicas()) {
      current.add(createPod(name + "-" + d.hash() + "-" + suffix(), namespace, labels, annotations, t.spec(), name,
          d.hash()));
    }
    while (current.size() > d.replicas()) {
      Pod p = current.removeLast();
      pods.remove(p.key());
      stopAsync(p);
    }
  }

  private Pod createPod(String name, String namespace, Map<String, String> labels, Map<String, String> annotations,
      Kube.@Nullable PodSpec spec, @Nullable String owner, String hash) {
    Kube.Container c = spec == null || spec.containers().isEmpty() ? null : spec.containers().getFirst();
    boolean router = c != null && c.image() != null && c.image().contains("proxyv2") && c.args().contains("router");
    Pod pod = new Pod(name, namespace, labels, annotations, serviceAccount(spec), owner, hash, c, router);
    if (spec != null && spec.containers().size() > 1) {
      pod.log.add("sluice: only the first container (" + c.name() + ") runs; " + (spec.containers().size() - 1)
          + " more ignored");
    }
    pods.put(pod.key(), pod);
    prepareProxyLog(pod);
    runner.start(pod);
    return pod;
  }

  private void stopAsync(Pod pod) {
    options.events().accept("pod " + pod.key() + " terminating");
    Thread.ofVirtual().start(() -> runner.stop(pod, STOP_GRACE));
  }

  private static String serviceAccount(Kube.@Nullable PodSpec spec) {
    if (spec == null) {
      return "default";
    }
    String sa = spec.serviceAccountName() != null ? spec.serviceAccountName() : spec.serviceAccount();
    return sa == null || sa.isEmpty() ? "default" : sa;
  }

  /** Kubernetes' pod-template-hash look: 10 characters from the template's content. */
  static String podTemplateHash(Resource r) {
    String text = r.raw() == null ? r.spec().toString() : r.raw().path("spec").path("template").toString();
    String alphabet = "bcdfghjklmnpqrstvwxz2456789";
    long h = 1125899906842597L;
    for (byte b : (r.namespace() + "/" + r.name() + "/" + text).getBytes(StandardCharsets.UTF_8)) {
      h = 31 * h + b;
    }
    StringBuilder sb = new StringBuilder();
    long v = h & Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      sb.append(alphabet.charAt((int) (v % alphabet.length())));
      v /= alphabet.length();
    }
    return sb.toString();
  }

  private static String suffix() {
    String alphabet = "bcdfghjklmnpqrstvwxz2456789";
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      sb.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  /** {@code kubectl scale deployment/NAME --replicas=N}. */
  public synchronized String scale(String namespace, String name, int replicas) {
    Deployment d = deployments.get(namespace + "/" + name);
    if (d == null) {
      throw new IllegalArgumentException("deployments.apps \"" + name + "\" not found");
    }
    if (replicas < 0) {
      throw new IllegalArgumentException("--replicas=" + replicas + " (expected: >= 0)");
    }
    deployments.put(namespace + "/" + name, new Deployment(d.resource(), d.hash(), replicas, d.created()));
    reconcile(namespace, name);
    options.events().accept("deployment " + namespace + "/" + name + " scaled to " + replicas);
    return "deployment.apps/" + name + " scaled";
  }

  /** {@code kubectl delete pod NAME}: the pod stops; its Deployment, if any, starts a replacement. */
  public String deletePod(String namespace, String name) {
    Pod pod;
    synchronized (this) {
      pod = pods.remove(namespace + "/" + name);
      if (pod == null) {
        throw new IllegalArgumentException("pods \"" + name + "\" not found");
      }
      objects.remove(new Resource.Key(ResourceKind.POD, namespace, name));
      if (pod.owner != null) {
        reconcile(namespace, pod.owner);
      }
    }
    options.events().accept("pod " + pod.key() + " deleted");
    runner.stop(pod, STOP_GRACE);
    return "pod \"" + name + "\" deleted";
  }

  /**
   * A pod by name: the exact name, else a pod of the Deployment with that name (or {@code
   * deploy/NAME}), else a unique name prefix; ready pods first.
   */
  public synchronized Optional<String> resolvePod(String namespace, String name) {
    Pod p = find(namespace, name);
    return p == null ? Optional.empty() : Optional.of(p.name);
  }

  synchronized @Nullable Pod find(String namespace, String name) {
    String n = name.startsWith("deploy/") ? name.substring(7) : name.startsWith("deployment/") ? name.substring(11)
        : name.startsWith("pod/") ? name.substring(4) : name;
    Pod exact = pods.get(namespace + "/" + n);
    if (exact != null) {
      return exact;
    }
    List<Pod> owned = pods.values().stream().filter(p -> p.namespace.equals(namespace) && n.equals(p.owner))
        .sorted(Comparator.comparing((Pod p) -> !p.ready)).toList();
    if (!owned.isEmpty()) {
      return owned.getFirst();
    }
    List<Pod> prefixed = pods.values().stream().filter(p -> p.namespace.equals(namespace) && p.name.startsWith(n))
        .toList();
    return prefixed.size() == 1 ? prefixed.getFirst() : null;
  }

  synchronized List<Pod> pods() {
    return List.copyOf(pods.values());
  }

  synchronized List<Deployment> deployments() {
    return List.copyOf(deployments.values());
  }

  /** Names of pods (namespace/name) and whether each is ready, for tests and status lines. */
  public synchronized Map<String, Boolean> podReadiness() {
    Map<String, Boolean> out = new TreeMap<>();
    pods.values().forEach(p -> out.put(p.key(), p.ready));
    return out;
  }

  /** The process id of a pod's app when it runs as a process (tests kill it). */
  public synchronized Optional<Long> appPid(String namespace, String name) {
    Pod p = find(namespace, name);
    return p != null && p.app instanceof ProcessApp a ? Optional.of(a.pid()) : Optional.empty();
  }

  /** The environment {@code sluice exec} gives a command run "in" the pod. */
  public synchronized Optional<Map<String, String>> execEnv(String namespace, String name) {
    Pod p = find(namespace, name);
    return p == null ? Optional.empty() : Optional.of(Map.copyOf(p.env));
  }

  /** The pod's app output ({@code sluice logs}). */
  public synchronized Optional<List<String>> logs(String namespace, String name) {
    Pod p = find(namespace, name);
    return p == null ? Optional.empty() : Optional.of(p.log.lines());
  }

  /**
   * Creates the file a proxy's {@code /dev/stdout} access log goes to when the mesh asks for
   * per-proxy files ({@link MeshTelemetry#proxyStdoutDir}): the proxy appends, it does not create
   * directories.
   */
  private static void prepareProxyLog(Pod pod) {
    String dir = MeshTelemetry.inUse().proxyStdoutDir();
    if (dir == null) {
      return;
    }
    try {
      Path f = Path.of(MeshTelemetry.proxyStdoutFile(dir, pod.namespace, pod.name));
      Files.createDirectories(f.getParent());
      if (!Files.exists(f)) {
        Files.createFile(f);
      }
    } catch (IOException e) {
      pod.log.add("sluice: cannot create the sidecar's log (" + e.getMessage() + ")");
    }
  }

  /** What the pod's sidecar printed (its access log), {@code sluice logs POD -c istio-proxy}; the last 1,000 lines. */
  String proxyLog(Pod pod) {
    String dir = MeshTelemetry.inUse().proxyStdoutDir();
    if (dir == null) {
      return "";
    }
    try {
      List<String> lines = Files.readAllLines(Path.of(MeshTelemetry.proxyStdoutFile(dir, pod.namespace, pod.name)));
      StringBuilder sb = new StringBuilder();
      lines.subList(Math.max(0, lines.size() - 1000), lines.size()).forEach(l -> sb.append(l).append('\n'));
      return sb.toString();
    } catch (IOException e) {
      return "";
    }
  }

  /** Every running proxy's {@code /stats/prometheus} (Istio's 15090), with its pod's labels. */
  @Override
  public List<ScrapeTarget> scrapeTargets() {
    List<ScrapeTarget> out = new ArrayList<>();
    for (Pod p : pods()) {
      var s = p.sidecar;
      if (s != null && s.prometheusPort() > 0) {
        out.add(new ScrapeTarget(java.net.URI.create("http://127.0.0.1:" + s.prometheusPort() + "/stats/prometheus"),
            p.name, p.namespace, p.labels.getOrDefault("app", p.owner != null ? p.owner : p.name)));
      }
    }
    return out;
  }

  private boolean gatewayReady() {
    return pods().stream().anyMatch(p -> p.router && p.ready);
  }

  /**
   * grpc-java logs a stack trace per proxy when sluice-proxy's ADS stream closes after its executor
   * (a known proxy issue); quiet during shutdown only. Held here so the setting is not collected.
   */
  private static final java.util.logging.Logger GRPC_CALLS =
      java.util.logging.Logger.getLogger("io.grpc.internal.DelayedClientCall");

  /** Stops every pod (in parallel; each sidecar drains), the gateway status server and the runner. */
  @Override
  public void close() {
    GRPC_CALLS.setLevel(java.util.logging.Level.OFF);
    List<Pod> all;
    synchronized (this) {
      all = List.copyOf(pods.values());
      pods.clear();
      deployments.clear();
    }
    List<Thread> stops = new ArrayList<>();
    for (Pod p : all) {
      stops.add(Thread.ofVirtual().start(() -> runner.stop(p, java.time.Duration.ZERO)));
    }
    for (Thread t : stops) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    status.close();
    runner.close();
  }

  static String resource(String name) {
    try (InputStream in = LocalPlatform.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Resource> load(String name, String yaml) {
    LoadResult r = new ConfigLoader().load(name, new InputStreamReader(
        new java.io.ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8));
    if (!r.problems().isEmpty()) {
      throw new IllegalStateException(name + ": " + r.problems());
    }
    return r.resources().stream().map(x -> x.withDefaultNamespace("default")).toList();
  }
}
