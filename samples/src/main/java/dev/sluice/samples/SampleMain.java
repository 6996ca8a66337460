package dev.sluice.samples;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one sample as a process of its own, configured from the process environment (as a
 * container would be): {@code java dev.sluice.samples.SampleMain <name> [--port N] [--bind ADDR]
 * [args…]}, e.g. {@code SampleMain reviews-v3 --port 9082} or {@code SampleMain tcp-echo 9000,9001
 * one}. {@code --port} maps the sample's first container port; it stops on SIGTERM/Ctrl-C.
 */
public final class SampleMain {

  private SampleMain() {}

  /** Entry point. */
  public static void main(String[] argv) throws Exception {
    if (argv.length == 0 || argv[0].equals("--help") || argv[0].equals("-h")) {
      System.out.println("usage: SampleMain <name> [--port N] [--bind ADDR] [args...]");
      System.out.println("samples: " + String.join(", ", SampleCatalog.all().keySet()));
      System.exit(argv.length == 0 ? 2 : 0);
    }
    Sample sample = SampleCatalog.forName(argv[0]).orElseGet(() -> {
      System.err.println("unknown sample: " + argv[0] + " (known: "
          + String.join(", ", SampleCatalog.all().keySet()) + ")");
      System.exit(2);
      throw new AssertionError();
    });
    Integer port = null;
    String bind = "0.0.0.0";
    List<String> args = new ArrayList<>();
    for (int i = 1; i < argv.length; i++) {
      switch (argv[i]) {
        case "--port" -> port = Integer.parseInt(argv[++i]);
        case "--bind" -> bind = argv[++i];
        default -> args.add(argv[i]);
      }
    }
    String hostname = System.getenv().getOrDefault("HOSTNAME",
        java.net.InetAddress.getLocalHost().getHostName());
    SampleContext.Builder builder = SampleContext.builder(PodInfo.named(hostname))
        .bindAddress(bind)
        .env(System.getenv())
        .env("HOSTNAME", hostname)
        .args(args);
    SampleContext probe = builder.build();
    List<Integer> ports = sample.containerPorts(probe);
    if (port != null && !ports.isEmpty()) {
      builder.port(ports.getFirst(), port);
    }
    RunningSample running = sample.start(builder.build());
    System.out.println(running.name() + " listening on " + running.ports());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      running.close();
      stopped.countDown();
    }));
    stopped.await();
  }
}
