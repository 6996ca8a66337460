package dev.sluice.controlplane;

import dev.sluice.dashboard.ConfigView;
import dev.sluice.dashboard.DashboardServer;
import dev.sluice.dashboard.EmbeddedScraper;
import dev.sluice.dashboard.MetricsSource;
import dev.sluice.dashboard.PrometheusSd;
import dev.sluice.dashboard.PrometheusSource;
import dev.sluice.dashboard.ScrapeTarget;
import dev.sluice.registry.InMemoryConfigStore;
import dev.sluice.registry.InMemoryServiceRegistry;
import dev.sluice.registry.file.DirectorySource;
import dev.sluice.translate.MeshSnapshot;
import dev.sluice.translate.MeshTelemetry;
import dev.sluice.xds.XdsServer;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A running control plane.
 *
 * <pre>{@code
 * try (Sluiced cp = Sluiced.start(Sluiced.Options.defaults().withConfigDir(Path.of("mesh")))) {
 *   System.out.println("xDS on " + cp.xdsPort() + ", HTTP on " + cp.httpPort());
 *   cp.awaitTermination();
 * }
 * }</pre>
 */
public final class Sluiced implements AutoCloseable {

  /**
   * How to start.
   *
   * @param address the bind address of both servers
   * @param xdsPort ADS (gRPC); 0 picks a free port
   * @param httpPort the HTTP API; 0 picks a free port
   * @param configDir a directory to load and watch, or null
   * @param debounceQuiet istiod's {@code PILOT_DEBOUNCE_AFTER}
   * @param debounceMax istiod's {@code PILOT_DEBOUNCE_MAX}
   * @param dashboardPort the dashboard (Kiali's 20001); 0 picks a free port, -1 serves none
   * @param prometheusUrl the dashboard reads this Prometheus; {@code null}: sluiced scrapes the
   *     platform's proxies itself (the embedded window)
   * @param scrapeInterval how often the embedded window scrapes
   * @param telemetry the mesh config's telemetry settings (translation uses them process-wide)
   */
  public record Options(String address, int xdsPort, int httpPort, @Nullable Path configDir, Duration debounceQuiet,
      Duration debounceMax, int dashboardPort, @Nullable URI prometheusUrl, Duration scrapeInterval,
      MeshTelemetry telemetry) {
    public Options {
      if (dashboardPort < -1 || dashboardPort > 65535) {
        throw new IllegalArgumentException("dashboardPort: " + dashboardPort + " (expected: -1 (off) or 0..65535)");
      }
      java.util.Objects.requireNonNull(scrapeInterval, "scrapeInterval");
      java.util.Objects.requireNonNull(telemetry, "telemetry");
    }

    /** Without a dashboard, with Istio's default telemetry. */
    public Options(String address, int xdsPort, int httpPort, @Nullable Path configDir, Duration debounceQuiet,
        Duration debounceMax) {
      this(address, xdsPort, httpPort, configDir, debounceQuiet, debounceMax, -1, null, Duration.ofSeconds(5),
          MeshTelemetry.DEFAULT);
    }

    /** Istio's ports on loopback (xDS 15010, HTTP 15014, dashboard 20001), istiod's debounce. */
    public static Options defaults() {
      return new Options("127.0.0.1", 15010, 15014, null, Duration.ofMillis(100), Duration.ofSeconds(10), 20001,
          null, Duration.ofSeconds(5), MeshTelemetry.DEFAULT);
    }

    /** Free ports (tests); no dashboard. */
    public static Options ephemeral() {
      return new Options("127.0.0.1", 0, 0, null, Duration.ofMillis(100), Duration.ofSeconds(10));
    }

    public Options withConfigDir(@Nullable Path dir) {
      return new Options(address, xdsPort, httpPort, dir, debounceQuiet, debounceMax, dashboardPort, prometheusUrl,
          scrapeInterval, telemetry);
    }

    public Options withPorts(int xds, int http) {
      return new Options(address, xds, http, configDir, debounceQuiet, debounceMax, dashboardPort, prometheusUrl,
          scrapeInterval, telemetry);
    }

    /** A dashboard on {@code port} (0: a free one; -1: none) reading {@code prometheus} or its own window. */
    public Options withDashboard(int port, @Nullable URI prometheus, Duration interval) {
      return new Options(address, xdsPort, httpPort, configDir, debounceQuiet, debounceMax, port, prometheus,
          interval, telemetry);
    }

    public Options withTelemetry(MeshTelemetry t) {
      return new Options(address, xdsPort, httpPort, configDir, debounceQuiet, debounceMax, dashboardPort,
          prometheusUrl, scrapeInterval, t);
    }
  }

  private final InMemoryConfigStore store = new InMemoryConfigStore();
  private final InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
  private final XdsServer xds;
  private final Server grpc;
  private final HttpApi http;
  private final @Nullable DirectorySource source;
  private final @Nullable DashboardServer dashboard;
  private final @Nullable EmbeddedScraper scraper;
  private volatile Supplier<List<ScrapeTarget>> scrapeTargets = List::of;

  private Sluiced(Options o, Consumer<DirectorySource.SyncReport> onSync) throws IOException {
    // istiod reads its mesh config once per process; translation reads these settings from here on.
    MeshTelemetry.use(o.telemetry());
    xds = new XdsServer((prev, v) -> MeshSnapshot.build(prev, registry.services(), registry.instances(), store.list(), v),
        new XdsServer.Options(o.debounceQuiet(), o.debounceMax(), Version.VERSION,
            XdsServer.Options.pushThrottle(System.getenv())), null);
    if (o.configDir() != null) {
      source = new DirectorySource(o.configDir(), store, registry, "cluster.local", onSync);
      source.sync();
    } else {
      source = null;
    }
    // Listeners after the first sync: the initial state is served without a push.
    store.addListener(xds::onChange);
    registry.addListener(xds::onChange);
    xds.pushNow(true).join();
    grpc = NettyServerBuilder.forAddress(new InetSocketAddress(o.address(), o.xdsPort()))
        .addService(xds.service())
        .permitKeepAliveTime(5, TimeUnit.SECONDS)
        .permitKeepAliveWithoutCalls(true)
        .build().start();
    http = new HttpApi(new InetSocketAddress(o.address(), o.httpPort()), store, registry, xds);
    http.addHandler("/debug/prometheus_sd", ex -> {
      try (ex) {
        HttpExchanges.reply(ex, 200, "application/json", PrometheusSd.render(scrapeTargets()));
      }
    });
    http.addHandler("/debug/dashboardz", ex -> {
      try (ex) {
        HttpExchanges.reply(ex, 200, "application/json", "{\"url\":"
            + dashboardUrl().map(u -> "\"" + u + "\"").orElse("null") + "}");
      }
    });
    if (o.dashboardPort() >= 0) {
      MetricsSource metrics;
      if (o.prometheusUrl() != null) {
        scraper = null;
        metrics = new PrometheusSource(o.prometheusUrl());
      } else {
        scraper = new EmbeddedScraper(this::scrapeTargets, java.time.InstantSource.system(),
            EmbeddedScraper.MAX_RETENTION, o.scrapeInterval(), 50_000).start(o.scrapeInterval());
        metrics = scraper;
      }
      dashboard = DashboardServer.start(o.dashboardPort(), metrics, ConfigView.analyzing(store::list));
    } else {
      scraper = null;
      dashboard = null;
    }
    if (source != null) {
      source.start();
    }
  }

  /** Starts sluiced; {@code onSync} hears about every directory sync (rejected objects included). */
  public static Sluiced start(Options options, Consumer<DirectorySource.SyncReport> onSync) {
    try {
      return new Sluiced(options, onSync);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start sluiced: " + e.getMessage(), e);
    }
  }

  public static Sluiced start(Options options) {
    return start(options, r -> { });
  }

  public int xdsPort() {
    return grpc.getPort();
  }

  public int httpPort() {
    return http.port();
  }

  public InMemoryConfigStore store() {
    return store;
  }

  public InMemoryServiceRegistry registry() {
    return registry;
  }

  public XdsServer xds() {
    return xds;
  }

  /**
   * Hands the Kubernetes objects of later applies to {@code platform} (without one they are
   * skipped with a message); its proxies' metrics endpoints become the scrape targets of the
   * dashboard and of {@code /debug/prometheus_sd}.
   */
  public void setPlatform(Platform platform) {
    http.setPlatform(platform);
    scrapeTargets = platform::scrapeTargets;
  }

  /**
   * Every proxy's metrics endpoint: the platform's list, plus every connected proxy that advertises
   * one in its node metadata ({@code SLUICE_PROMETHEUS_URL}) at a URL the platform does not list.
   */
  public List<ScrapeTarget> scrapeTargets() {
    return AdvertisedTargets.merge(scrapeTargets.get(), AdvertisedTargets.of(xds.connectedNodes()));
  }

  /** The dashboard's URL ({@code http://127.0.0.1:20001/}), when one is served. */
  public Optional<URI> dashboardUrl() {
    return dashboard == null ? Optional.empty() : Optional.of(dashboard.uri());
  }

  /** The embedded metrics window, when the dashboard reads no Prometheus (tests scrape it on demand). */
  public Optional<EmbeddedScraper> embeddedMetrics() {
    return Optional.ofNullable(scraper);
  }

  /** Serves {@code handler} under {@code pathPrefix} on the HTTP API (a platform's own endpoints). */
  public void addHttpHandler(String pathPrefix, com.sun.net.httpserver.HttpHandler handler) {
    http.addHandler(pathPrefix, handler);
  }

  /** Blocks until the gRPC server stops. */
  public void awaitTermination() throws InterruptedException {
    grpc.awaitTermination();
  }

  @Override
  public void close() {
    try {
      if (source != null) {
        source.close();
      }
    } catch (IOException ignored) {
      // closing anyway
    }
    if (dashboard != null) {
      dashboard.close();
    }
    if (scraper != null) {
      scraper.close();
    }
    http.close();
    xds.close();
    grpc.shutdownNow();
  }
}
