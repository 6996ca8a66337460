package dev.sluice.cli;

import dev.sluice.controlplane.MeshConfigFile;
import dev.sluice.controlplane.Sluiced;
import dev.sluice.translate.MeshTelemetry;
import dev.sluice.registry.file.DirectorySource;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice control-plane --config DIR}: runs sluiced alone, watching DIR for Istio config and
 * for the registry's inputs (Kubernetes Services with Deployments, Pods or WorkloadEntries, and
 * ServiceEntries with static endpoints). Serves ADS on 15010 and the HTTP API on 15014, so that
 * hand-started {@code sluice proxy} processes (and tests) can use it.
 */
@Command(
    name = "control-plane",
    mixinStandardHelpOptions = true,
    description = {"Run sluiced, the control plane, from a directory of YAML files (watched for changes).",
        "ADS (xDS over gRPC) on --xds-port; HTTP API, /debug/syncz, /debug/config_dump and /metrics on --http-port."})
public final class ControlPlaneCommand implements Callable<Integer> {

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--config", paramLabel = "DIR", required = true,
      description = "Directory of Istio config and Kubernetes Services/Deployments/Pods/WorkloadEntries (recursive).")
  Path config;

  @Option(names = "--xds-port", defaultValue = "15010", description = "ADS port (default: ${DEFAULT-VALUE}; 0 = free).")
  int xdsPort;

  @Option(names = "--http-port", defaultValue = "15014", description = "HTTP API port (default: ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(names = "--address", defaultValue = "127.0.0.1", description = "Bind address (default: ${DEFAULT-VALUE}).")
  String address;

  @Option(names = "--mesh-config", paramLabel = "FILE", description = "Istio mesh config (MeshConfig YAML or the "
      + "istio ConfigMap): accessLogFile/Encoding/Format, defaultConfig.tracing, extensionProviders. Default: "
      + "Istio's (1 % sampling, no access logs).")
  Path meshConfig;

  @picocli.CommandLine.Mixin
  DashboardOptions dashboard = new DashboardOptions();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!Files.isDirectory(config)) {
      err.println("sluice control-plane: --config " + config + ": not a directory");
      return Main.EXIT_USAGE;
    }
    Sluiced.Options o = Sluiced.Options.defaults().withConfigDir(config).withPorts(xdsPort, httpPort);
    MeshTelemetry t;
    try {
      t = meshConfig == null ? MeshTelemetry.DEFAULT : MeshConfigFile.read(meshConfig);
    } catch (IllegalArgumentException e) {
      err.println("sluice control-plane: --mesh-config " + e.getMessage());
      return Main.EXIT_USAGE;
    }
    o = new Sluiced.Options(address, o.xdsPort(), o.httpPort(), o.configDir(), o.debounceQuiet(), o.debounceMax(),
        dashboard.dashboardPort, dashboard.prometheus, java.time.Duration.ofSeconds(5),
        t.withEnabled(dashboard.telemetry));
    Sluiced cp;
    try {
      cp = Sluiced.start(o, report -> report(report, out, err));
    } catch (RuntimeException e) {
      err.println("sluice control-plane: " + e.getMessage());
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(cp::close, "sluiced-shutdown"));
    out.println("sluiced ready: xDS " + address + ":" + cp.xdsPort() + ", HTTP " + address + ":" + cp.httpPort()
        + ", watching " + config.toAbsolutePath()
        + cp.dashboardUrl().map(u -> ", dashboard " + u).orElse(""));
    out.flush();
    cp.awaitTermination();
    return 0;
  }

  private static void report(DirectorySource.SyncReport r, PrintWriter out, PrintWriter err) {
    long stored = r.results().stream()
        .filter(x -> x.status() != dev.sluice.registry.ApplyResult.Status.REJECTED
            && x.status() != dev.sluice.registry.ApplyResult.Status.DELETED).count();
    out.println("config: " + stored + " Istio objects, " + r.services() + " services, " + r.instances()
        + " workload instances");
    r.errors().forEach(e -> err.println("rejected: " + e));
    out.flush();
    err.flush();
  }
}
