package dev.sluice.cli;

import dev.sluice.proxy.ProxyOptions;
import dev.sluice.proxy.SluiceProxy;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice proxy -c FILE}: runs the data plane from an Envoy v3 bootstrap (static resources
 * and/or an ADS server), with Envoy's flags. Blocks until SIGTERM / Ctrl-C or {@code POST
 * /quitquitquit} on the admin port.
 */
@Command(
    name = "proxy",
    mixinStandardHelpOptions = true,
    description = "Run the Sluice proxy (the data plane) from an Envoy v3 bootstrap file.")
public final class ProxyCommand implements Callable<Integer> {

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = {"-c", "--config-path"}, paramLabel = "FILE", required = true,
      description = "Envoy v3 bootstrap, YAML or JSON.")
  String configPath;

  @Option(names = "--admin-port", paramLabel = "PORT",
      description = "Admin port (default: the bootstrap's admin address, else 15000; 0 = any free port).")
  Integer adminPort;

  @Option(names = "--admin-address", defaultValue = "127.0.0.1", description = "Admin bind address (default: ${DEFAULT-VALUE}).")
  String adminAddress;

  @Option(names = {"-l", "--log-level"}, defaultValue = "info",
      description = "trace, debug, info, warning, error, critical or off (default: ${DEFAULT-VALUE}).")
  String logLevel;

  @Option(names = "--service-node", description = "Node id when the bootstrap has none.")
  String serviceNode;

  @Option(names = "--service-cluster", description = "Node cluster when the bootstrap has none.")
  String serviceCluster;

  @Option(names = "--concurrency", defaultValue = "0",
      description = "Worker event loops (default: one per CPU).")
  int concurrency;

  @Override
  public Integer call() throws Exception {
    SluiceProxy proxy;
    try {
      proxy = SluiceProxy.start(new ProxyOptions(configPath, null, adminPort, adminAddress, logLevel,
          serviceNode, serviceCluster, concurrency));
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("sluice proxy: " + e.getMessage());
      return Main.EXIT_DATA;
    }
    Thread hook = new Thread(proxy::close, "sluice-proxy-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    spec.commandLine().getOut().println(proxy.readyLine());
    spec.commandLine().getOut().flush();
    proxy.awaitTermination();
    return 0;
  }
}
