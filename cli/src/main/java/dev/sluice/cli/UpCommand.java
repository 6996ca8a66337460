package dev.sluice.cli;

import dev.sluice.controlplane.MeshConfigFile;
import dev.sluice.controlplane.Sluiced;
import dev.sluice.platform.local.Demos;
import dev.sluice.platform.local.LocalPlatform;
import dev.sluice.translate.MeshTelemetry;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice up [--demo NAME] [-d]}: the whole mesh on this machine, in this process: sluiced
 * (ADS 15010, API 15014), the local platform with Istio's default ingress gateway on
 * {@code 127.0.0.1:8080}, and a demo's manifests. Runs in the foreground with a readable log until
 * Ctrl-C or {@code sluice down}; {@code -d} starts the same in the background and returns when it
 * is ready.
 */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {"Start a local mesh: control plane, ingress gateway (http://127.0.0.1:8080), and a demo.",
        "Demos: bookinfo, helloworld, tutorial, httpbin (Istio's sample manifests, unchanged)."})
public final class UpCommand implements Callable<Integer> {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--demo", paramLabel = "NAME", description = "Apply a demo: bookinfo, helloworld, tutorial, httpbin.")
  String demo;

  @Option(names = {"-d", "--detach"}, description = "Run in the background; `sluice down` stops it.")
  boolean detach;

  @Option(names = "--gateway-port", defaultValue = "8080", description = "Port of the ingress gateway (default: ${DEFAULT-VALUE}).")
  int gatewayPort;

  @Option(names = "--log", paramLabel = "FILE", description = "With -d: where the mesh's log goes (default: ~/.sluice/up.log).")
  Path logFile;

  @Option(names = "--mesh-config", paramLabel = "FILE", description = "Istio mesh config (MeshConfig YAML or the "
      + "istio ConfigMap): access logs, tracing sampling and provider. Default: Istio's demo profile (access logs "
      + "to stdout, 100 % sampling, Zipkin at zipkin.istio-system:9411).")
  Path meshConfig;

  @Option(names = "--zipkin", paramLabel = "HOST:PORT", description = "A Zipkin collector outside the mesh: "
      + "registered as zipkin.istio-system.svc.cluster.local:9411 (a ServiceEntry), where the demo profile sends spans.")
  String zipkin;

  @picocli.CommandLine.Mixin
  DashboardOptions dashboard = new DashboardOptions();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (demo != null && !Demos.names().contains(demo)) {
      err.println("sluice up: --demo " + demo + ": unknown (expected: " + String.join(", ", Demos.names()) + ")");
      return Main.EXIT_USAGE;
    }
    if (MeshClient.of(null).reachable()) {
      err.println("sluice up: a mesh already runs at http://127.0.0.1:15014 (`sluice down` stops it)");
      return 1;
    }
    return detach ? detach(out, err) : foreground(out, err);
  }

  private int foreground(PrintWriter out, PrintWriter err) throws Exception {
    long t0 = System.nanoTime();
    PrintWriter log = out;
    Sluiced cp;
    LocalPlatform platform;
    MeshTelemetry t;
    try {
      t = meshConfig == null ? MeshTelemetry.DEMO : MeshConfigFile.read(meshConfig);
    } catch (IllegalArgumentException e) {
      err.println("sluice up: --mesh-config " + e.getMessage());
      return Main.EXIT_USAGE;
    }
    try {
      // The proxies share this process: each one's stdout (its access log) gets its own file, which
      // `sluice logs POD -c istio-proxy` reads.
      Path proxyLogs = Files.createTempDirectory("sluice-proxy-logs-");
      cp = Sluiced.start(Sluiced.Options.defaults()
          .withTelemetry(t.withEnabled(dashboard.telemetry).withProxyStdoutDir(proxyLogs.toString()))
          .withDashboard(dashboard.dashboardPort, dashboard.prometheus, Duration.ofSeconds(5)));
    } catch (RuntimeException e) {
      err.println("sluice up: " + e.getMessage() + " (ports 15010/15014 in use? `sluice down` stops a running mesh)");
      return 1;
    }
    try {
      LocalPlatform.Options o = LocalPlatform.Options.defaults().withEvents(line -> {
        synchronized (log) {
          log.println(LocalTime.now().format(TIME) + "  " + line);
          log.flush();
        }
      });
      platform = LocalPlatform.start(cp, new LocalPlatform.Options(gatewayPort, o.gatewayHttpsPort(),
          o.gatewayTcpPort(), o.gatewayStatusPort(), o.proxyLogLevel(), o.events()));
    } catch (RuntimeException e) {
      cp.close();
      err.println("sluice up: " + e.getMessage());
      return 1;
    }
    CountDownLatch stop = new CountDownLatch(1);
    platform.onShutdownRequest(stop::countDown);
    Thread hook = new Thread(() -> shutdown(platform, cp, log), "sluice-up-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    if (zipkin != null) {
      try {
        for (String line : platform.apply("--zipkin", zipkinEntry(zipkin))) {
          log.println(LocalTime.now().format(TIME) + "  " + line);
        }
      } catch (IllegalArgumentException e) {
        err.println("sluice up: --zipkin " + zipkin + ": " + e.getMessage());
      }
    }
    if (demo != null) {
      for (String line : platform.apply(demo, Demos.yaml(demo))) {
        log.println(LocalTime.now().format(TIME) + "  " + line);
      }
      log.flush();
    }
    String url = platform.gatewayUrl() + (demo == null ? "/" : Demos.path(demo));
    boolean served = demo == null || awaitOk(url, Duration.ofSeconds(60));
    double seconds = (System.nanoTime() - t0) / 1e9;
    synchronized (log) {
      banner(log, platform, cp, served, seconds);
    }
    stop.await();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      return 0; // Ctrl-C arrived meanwhile: the hook stops everything
    }
    shutdown(platform, cp, log);
    return 0;
  }

  /** A ServiceEntry putting an outside Zipkin behind Istio's {@code zipkin.istio-system:9411}. */
  static String zipkinEntry(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0 || !hostPort.substring(colon + 1).matches("[0-9]{1,5}")) {
      throw new IllegalArgumentException("expected HOST:PORT");
    }
    return """
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: zipkin, namespace: istio-system}
        spec:
          hosts: [zipkin.istio-system.svc.cluster.local]
          location: MESH_EXTERNAL
          resolution: STATIC
          ports: [{number: 9411, name: http-zipkin, protocol: HTTP}]
          endpoints: [{address: %s, ports: {http-zipkin: %s}}]
        """.formatted(hostPort.substring(0, colon), hostPort.substring(colon + 1));
  }

  private void banner(PrintWriter log, LocalPlatform platform, Sluiced cp, boolean served, double seconds) {
    log.println();
    log.printf("Sluice is up%s (%.1f s).%n", demo == null ? "" : " with " + demo,
        seconds);
    if (!served) {
      log.println("  (the demo's page did not answer 200 yet; `sluice get pods` shows what is starting)");
    }
    log.println("  gateway     " + platform.gatewayUrl()
        + (demo == null ? "" : "   open " + platform.gatewayUrl() + Demos.path(demo)));
    log.println("  TCP         127.0.0.1:" + platform.gatewayPort(31400) + "   (Gateway servers on port 31400)");
    log.println("  sluiced     http://127.0.0.1:" + platform.apiPort() + "   (sluice get pods | apply -f | proxy-status)");
    cp.dashboardUrl().ifPresent(u -> log.println("  dashboard   " + u + "   (traffic graph and config; "
        + "`sluice dashboard --open`)"));
    log.println("  stop        Ctrl-C" + (detach ? "" : " here, or `sluice down` from another terminal"));
    log.println();
    log.flush();
  }

  private static void shutdown(LocalPlatform platform, Sluiced cp, PrintWriter log) {
    long t0 = System.nanoTime();
    log.println(LocalTime.now().format(TIME) + "  stopping: pods, sidecars, gateway, sluiced");
    log.flush();
    platform.close();
    cp.close();
    log.println(LocalTime.now().format(TIME) + "  stopped (" + (System.nanoTime() - t0) / 1_000_000 + " ms)");
    log.flush();
  }

  static boolean awaitOk(String url, Duration timeout) throws InterruptedException {
    HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      try {
        HttpResponse<Void> r = c.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return true;
        }
      } catch (IOException e) {
        // not yet
      }
      Thread.sleep(50);
    }
    return false;
  }

  /** Starts {@code sluice up} (without -d) as a background process logging to a file, waits until it is up. */
  private int detach(PrintWriter out, PrintWriter err) throws IOException, InterruptedException {
    Path logPath = logFile != null ? logFile
        : Path.of(System.getProperty("user.home"), ".sluice", "up.log");
    Files.createDirectories(logPath.toAbsolutePath().getParent());
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "up", "--gateway-port", Integer.toString(gatewayPort),
        "--dashboard-port", Integer.toString(dashboard.dashboardPort),
        dashboard.telemetry ? "--telemetry" : "--no-telemetry"));
    if (meshConfig != null) {
      cmd.addAll(List.of("--mesh-config", meshConfig.toAbsolutePath().toString()));
    }
    if (zipkin != null) {
      cmd.addAll(List.of("--zipkin", zipkin));
    }
    if (dashboard.prometheus != null) {
      cmd.addAll(List.of("--prometheus", dashboard.prometheus.toString()));
    }
    if (demo != null) {
      cmd.addAll(List.of("--demo", demo));
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(logPath.toFile())).redirectInput(ProcessBuilder.Redirect.PIPE)
        .start();
    p.getOutputStream().close();
    long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < end) {
      String text = Files.exists(logPath) ? Files.readString(logPath) : "";
      int up = text.indexOf("Sluice is up");
      if (up >= 0 && text.indexOf("\n\n", up) > 0) {
        out.print(text.substring(up, text.indexOf("\n\n", up) + 1).replace("Ctrl-C here, or ", ""));
        out.println("  log         " + logPath + "   (pid " + p.pid() + ")");
        out.flush();
        return 0;
      }
      if (!p.isAlive()) {
        err.println("sluice up: the mesh exited with " + p.exitValue() + "; its log (" + logPath + "):");
        err.print(text);
        err.flush();
        return 1;
      }
      Thread.sleep(100);
    }
    err.println("sluice up: not up after 90 s; see " + logPath);
    return 1;
  }
}
