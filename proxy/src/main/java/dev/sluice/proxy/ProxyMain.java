package dev.sluice.proxy;

/**
 * A plain {@code main} for running the proxy without the CLI (benchmarks, scripts): {@code
 * ProxyMain -c FILE [--admin-port N] [--prometheus-port N] [--concurrency N] [--log-level L]
 * [--drain-time-s S]}. The Prometheus port defaults to Istio's 15090; -1 turns it off.
 */
public final class ProxyMain {
  private ProxyMain() {}

  public static void main(String[] args) throws Exception {
    String config = null;
    Integer admin = null;
    int concurrency = 0;
    String level = "info";
    java.time.Duration drain = java.time.Duration.ofSeconds(5);
    Integer prometheus = 15090;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "-c", "--config-path" -> config = args[++i];
        case "--admin-port" -> admin = Integer.parseInt(args[++i]);
        case "--concurrency" -> concurrency = Integer.parseInt(args[++i]);
        case "--log-level", "-l" -> level = args[++i];
        case "--prometheus-port" -> {
          int p = Integer.parseInt(args[++i]);
          prometheus = p < 0 ? null : p;
        }
        case "--drain-time-s" -> drain = java.time.Duration.ofSeconds(Long.parseLong(args[++i]));
        default -> {
          System.err.println("unknown argument: " + args[i]);
          System.exit(64);
        }
      }
    }
    if (config == null) {
      System.err.println("usage: ProxyMain -c FILE [--admin-port N] [--concurrency N] [--log-level L]");
      System.exit(64);
    }
    SluiceProxy proxy = SluiceProxy.start(new ProxyOptions(config, null, admin, "127.0.0.1", level, null, null, concurrency, drain,
        prometheus));
    Runtime.getRuntime().addShutdownHook(new Thread(proxy::close));
    System.out.println(proxy.readyLine());
    proxy.awaitTermination();
  }
}
