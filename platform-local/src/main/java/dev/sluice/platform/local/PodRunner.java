package dev.sluice.platform.local;

import dev.sluice.config.kube.Kube;
import dev.sluice.proxy.SluiceProxy;
import dev.sluice.registry.InMemoryServiceRegistry;
import dev.sluice.registry.MeshService;
import dev.sluice.registry.ServicePort;
import dev.sluice.samples.PodInfo;
import dev.sluice.samples.Sample;
import dev.sluice.samples.SampleCatalog;
import dev.sluice.samples.SampleContext;
import dev.sluice.translate.MeshSnapshot;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs pods: allocates their ports, publishes them in the registry (not ready), starts the
 * sidecar and the app, marks the instance ready once both serve, and restarts a dead app with
 * Kubernetes-like back-off (1 s doubling to 30 s; reset after 60 s of running) while its endpoint
 * is withdrawn.
 */
final class PodRunner implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final InMemoryServiceRegistry registry;
  private final int xdsPort;
  private final Ports ports;
  private final Consumer<String> events;
  private final String proxyLogLevel;
  private final Map<Integer, Integer> gatewayPorts;
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().daemon().name("sluice-pod-restarts").factory());

  PodRunner(InMemoryServiceRegistry registry, int xdsPort, Ports ports, Consumer<String> events, String proxyLogLevel,
      Map<Integer, Integer> gatewayPorts) {
    this.registry = registry;
    this.xdsPort = xdsPort;
    this.ports = ports;
    this.events = events;
    this.proxyLogLevel = proxyLogLevel;
    this.gatewayPorts = Map.copyOf(gatewayPorts);
  }

  /** Starts {@code pod} in the background. */
  void start(Pod pod) {
    workers.execute(() -> {
      try {
        run(pod);
      } catch (Exception e) {
        pod.status = Pod.Status.ERROR;
        pod.message = e.getMessage() == null ? e.toString() : e.getMessage();
        pod.log.add("sluice: " + pod.message);
        events.accept("pod " + pod.key() + " failed to start: " + pod.message);
      }
    });
  }

  private void run(Pod pod) throws IOException, InterruptedException {
    pod.status = Pod.Status.CONTAINER_CREATING;
    Kube.Container c = pod.container;
    Optional<Sample> sample = pod.router || c == null || c.image() == null ? Optional.empty()
        : SampleCatalog.forImage(c.image());
    boolean process = sample.isEmpty() && c != null && !pod.router && (!c.command().isEmpty() || !c.args().isEmpty());
    // Ports: a sample's app gets free ports; a process keeps the ports its command binds.
    pod.outboundPort = pod.router ? 0 : ports.allocate();
    pod.env = Pod.environment(c, pod.name, pod.outboundPort);
    Set<Integer> containerPorts = new TreeSet<>();
    Map<String, Integer> named = new LinkedHashMap<>();
    if (c != null) {
      for (Kube.ContainerPort p : c.ports()) {
        if (p.containerPort() != null) {
          containerPorts.add(p.containerPort());
          if (p.name() != null) {
            named.put(p.name(), p.containerPort());
          }
        }
      }
    }
    SampleContext ctx = null;
    if (sample.isPresent()) {
      SampleContext probe = context(pod, c, Map.of());
      containerPorts.addAll(sample.get().containerPorts(probe));
    }
    Map<Integer, Integer> app = new LinkedHashMap<>();
    Map<Integer, Integer> published = new LinkedHashMap<>();
    if (pod.router) {
      containerPorts.addAll(gatewayPorts.keySet());
    }
    for (int p : containerPorts) {
      if (pod.router) {
        published.put(p, gatewayPorts.getOrDefault(p, p));
        continue;
      }
      app.put(p, process ? p : ports.allocate());
      if (process) {
        ports.reserve(p);
      }
      published.put(p, ports.allocate());
    }
    pod.appPorts = Map.copyOf(app);
    pod.publishedPorts = Map.copyOf(published);
    pod.namedPorts = Map.copyOf(named);
    if (sample.isPresent()) {
      ctx = context(pod, c, app);
    }
    if (pod.stopping) {
      return;
    }
    // Published before anything runs, not ready: the sidecar's inbound listeners are built from it.
    registry.putInstance(pod.instance(false));
    pod.sidecar = Sidecar.start(new Sidecar.Node(pod.router, pod.name, pod.namespace, pod.labels, pod.outboundPort,
        pod.appPorts, pod.router ? pod.publishedPorts : Map.of(), pod.owner != null ? pod.owner : pod.name,
        pod.serviceAccount), xdsPort, proxyLogLevel);
    SluiceProxy proxy = java.util.Objects.requireNonNull(pod.sidecar);
    pod.agent = AgentEndpoint.start(ports.allocate(), proxy::prometheusText,
        AgentEndpoint.appMetrics(pod.annotations, pod.appPorts).orElse(null), () -> pod.ready);
    App a;
    if (pod.router) {
      a = new App.None("gateway proxy");
    } else if (sample.isPresent()) {
      a = SampleApp.start(sample.get(), ctx);
    } else if (process) {
      a = startProcess(pod, c, List.copyOf(containerPorts));
    } else {
      String why = c == null || c.image() == null ? "no container"
          : "image " + c.image() + " has no built-in sample and the container declares no command: sidecar only";
      pod.log.add("sluice: " + why);
      a = new App.None(why);
    }
    pod.app = a;
    pod.lastStart = Instant.now();
    awaitReady(pod);
    watch(pod, a);
  }

  private static SampleContext context(Pod pod, Kube.Container c, Map<Integer, Integer> app) {
    SampleContext.Builder b = SampleContext.builder(new PodInfo(pod.name, pod.namespace, pod.labels, pod.serviceAccount))
        .bindAddress("127.0.0.1").env(pod.env).log(pod.log::add)
        .command(c.command()).args(c.args());
    app.forEach(b::port);
    return b.build();
  }

  private ProcessApp startProcess(Pod pod, Kube.Container c, List<Integer> containerPorts) throws IOException {
    Map<String, String> env = new LinkedHashMap<>(pod.env);
    if (!containerPorts.isEmpty()) {
      env.putIfAbsent("PORT", Integer.toString(containerPorts.getFirst()));
    }
    List<String> command = new ArrayList<>();
    for (String s : c.command()) {
      command.add(ProcessApp.expand(s, env));
    }
    for (String s : c.args()) {
      command.add(ProcessApp.expand(s, env));
    }
    return ProcessApp.start(command, env, containerPorts, pod.log::add);
  }

  /** Waits until app and sidecar serve, then publishes the endpoint as ready. */
  private void awaitReady(Pod pod) throws InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    App a = pod.app;
    SluiceProxy s = pod.sidecar;
    long nudgeAt = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    while (!pod.stopping && System.nanoTime() < deadline) {
      boolean serving = a != null && s != null && a.isReady() && s.isReady();
      if (serving && !inboundBound(pod, s) && System.nanoTime() > nudgeAt) {
        // Safety net: re-publish the instance so that sluiced rebuilds the sidecar's inbound side.
        events.accept("pod " + pod.key() + ": sidecar has no inbound listener yet; re-publishing its endpoint");
        registry.removeInstance(pod.key());
        registry.putInstance(pod.instance(false));
        nudgeAt = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      }
      if (serving && inboundBound(pod, s)) {
        pod.ready = true;
        pod.status = Pod.Status.RUNNING;
        pod.message = "";
        registry.putInstance(pod.instance(true));
        events.accept("pod " + pod.key() + " ready: " + a.describe() + describePorts(pod));
        return;
      }
      if (a != null && a.exited().isDone()) {
        return; // the exit watcher restarts it
      }
      Thread.sleep(20);
    }
    if (!pod.stopping) {
      pod.message = "not ready after " + READY_TIMEOUT.toSeconds() + " s";
      events.accept("pod " + pod.key() + " " + pod.message);
    }
  }

  private static String describePorts(Pod pod) {
    AgentEndpoint agent = pod.agent;
    String agentPort = agent == null ? "" : ", agent (15020) 127.0.0.1:" + agent.port();
    if (pod.router) {
      return ", listeners " + pod.publishedPorts + agentPort;
    }
    StringBuilder b = new StringBuilder(", outbound 127.0.0.1:" + pod.outboundPort + agentPort);
    pod.publishedPorts.forEach((c, p) -> b.append(", ").append(c).append(" → sidecar 127.0.0.1:").append(p)
        .append(" → app 127.0.0.1:").append(pod.appPorts.get(c)));
    return b.toString();
  }

  /** Whether the sidecar has bound the inbound listener of every service port that selects the pod. */
  private boolean inboundBound(Pod pod, SluiceProxy s) {
    if (pod.router) {
      return true;
    }
    Set<Integer> served = new TreeSet<>();
    var self = pod.instance(true);
    for (MeshService svc : registry.services()) {
      var sel = svc.selector();
      if (sel == null || sel.isEmpty() || !svc.namespace().equals(pod.namespace)
          || !sel.entrySet().stream().allMatch(e -> e.getValue().equals(pod.labels.get(e.getKey())))) {
        continue;
      }
      for (ServicePort sp : svc.ports()) {
        served.add(MeshSnapshot.workloadPort(sp, self));
      }
    }
    for (String l : pod.inboundListeners(served)) {
      if (s.listenerPort(l) <= 0) {
        return false;
      }
    }
    return true;
  }

  private void watch(Pod pod, App a) {
    a.exited().thenAccept(code -> onExit(pod, code));
  }

  private void onExit(Pod pod, int code) {
    {
      if (pod.stopping) {
        return;
      }
      pod.ready = false;
      registry.putInstance(pod.instance(false));
      int n = ++pod.restarts;
      Instant last = pod.lastStart;
      boolean ranLong = last != null && Duration.between(last, Instant.now()).toSeconds() >= 60;
      long delayMs = ranLong ? 1000 : Math.min(30_000, 1000L << Math.min(5, n - 1));
      pod.status = n > 1 && !ranLong ? Pod.Status.CRASH_LOOP : Pod.Status.ERROR;
      pod.message = "app exited with " + code + "; restarting in " + delayMs + " ms";
      pod.log.add("sluice: " + pod.message);
      events.accept("pod " + pod.key() + ": " + pod.message + " (restart " + n + "), endpoint withdrawn");
      timers.schedule(() -> workers.execute(() -> restart(pod)), delayMs, TimeUnit.MILLISECONDS);
    }
  }

  private void restart(Pod pod) {
    if (pod.stopping || pod.container == null) {
      return;
    }
    try {
      App a = startProcess(pod, pod.container, List.copyOf(pod.appPorts.keySet()));
      pod.app = a;
      pod.lastStart = Instant.now();
      awaitReady(pod);
      watch(pod, a);
    } catch (IOException e) {
      pod.message = "restart failed: " + e.getMessage();
      events.accept("pod " + pod.key() + ": " + pod.message);
      onExit(pod, 127);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Withdraws the endpoint, waits {@code grace} so that every proxy has heard (push debounce plus
   * delivery; Kubernetes' preStop sleep serves the same purpose), then stops the app and drains the
   * sidecar; returns when done.
   */
  void stop(Pod pod, Duration grace) {
    pod.stopping = true;
    pod.status = Pod.Status.TERMINATING;
    pod.ready = false;
    registry.removeInstance(pod.key());
    if (!grace.isZero()) {
      try {
        Thread.sleep(grace);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    App a = pod.app;
    if (a != null) {
      a.close();
    }
    AgentEndpoint agent = pod.agent;
    if (agent != null) {
      agent.close();
      ports.release(agent.port());
    }
    SluiceProxy s = pod.sidecar;
    if (s != null) {
      s.close();
    }
    ports.release(pod.outboundPort);
    pod.appPorts.values().forEach(ports::release);
    if (!pod.router) {
      pod.publishedPorts.values().forEach(ports::release);
    }
  }

  @Override
  public void close() {
    timers.shutdownNow();
    workers.shutdownNow();
  }
}
