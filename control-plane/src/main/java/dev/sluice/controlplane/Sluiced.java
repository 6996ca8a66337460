package dev.sluice.controlplane;

import dev.sluice.registry.InMemoryConfigStore;
import dev.sluice.registry.InMemoryServiceRegistry;
import dev.sluice.registry.file.DirectorySource;
import dev.sluice.translate.MeshSnapshot;
import dev.sluice.xds.XdsServer;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
   */
  public record Options(String address, int xdsPort, int httpPort, @Nullable Path configDir, Duration debounceQuiet,
      Duration debounceMax) {
    /** Istio's ports on loopback, istiod's debounce. */
    public static Options defaults() {
      return new Options("127.0.0.1", 15010, 15014, null, Duration.ofMillis(100), Duration.ofSeconds(10));
    }

    /** Free ports (tests). */
    public static Options ephemeral() {
      return new Options("127.0.0.1", 0, 0, null, Duration.ofMillis(100), Duration.ofSeconds(10));
    }

    public Options withConfigDir(@Nullable Path dir) {
      return new Options(address, xdsPort, httpPort, dir, debounceQuiet, debounceMax);
    }

    public Options withPorts(int xds, int http) {
      return new Options(address, xds, http, configDir, debounceQuiet, debounceMax);
    }
  }

  private final InMemoryConfigStore store = new InMemoryConfigStore();
  private final InMemoryServiceRegistry registry = new InMemoryServiceRegistry();
  private final XdsServer xds;
  private final Server grpc;
  private final HttpApi http;
  private final @Nullable DirectorySource source;

  private Sluiced(Options o, Consumer<DirectorySource.SyncReport> onSync) throws IOException {
    xds = new XdsServer(v -> MeshSnapshot.build(registry.services(), registry.instances(), store.list(), v),
        new XdsServer.Options(o.debounceQuiet(), o.debounceMax(), Version.VERSION));
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
   * skipped with a message).
   */
  public void setPlatform(Platform platform) {
    http.setPlatform(platform);
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
    http.close();
    xds.close();
    grpc.shutdownNow();
  }
}
