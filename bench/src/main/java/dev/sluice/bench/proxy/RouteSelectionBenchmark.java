package dev.sluice.bench.proxy;

import dev.sluice.proxy.core.route.HeaderMatcher;
import dev.sluice.proxy.core.route.PathMatch;
import dev.sluice.proxy.core.route.RequestView;
import dev.sluice.proxy.core.route.Route;
import dev.sluice.proxy.core.route.RouteAction;
import dev.sluice.proxy.core.route.RouteMatch;
import dev.sluice.proxy.core.route.RouteSelection;
import dev.sluice.proxy.core.route.RouteTable;
import dev.sluice.proxy.core.route.StringMatcher;
import dev.sluice.proxy.core.route.VirtualHost;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Route selection on a 1,000-route table: 100 virtual hosts (exact domains with and without
 * port) of 10 routes each (prefix, path, regex, header-matched), and one host with 1,000 prefix
 * routes where the match is the first, middle or last route.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar RouteSelection} or through the JMH main
 * class on the module's classpath.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RouteSelectionBenchmark {

  record Req(String authority, String path, Map<String, String> headers) implements RequestView {
    @Override
    public String method() {
      return "GET";
    }

    @Override
    public @Nullable String header(String name) {
      return headers.get(name);
    }
  }

  private final RouteTable hosts = buildHosts();
  private final RouteTable flat = buildFlat();
  private final Req hostHit = new Req("svc-57.default.svc.cluster.local:8080", "/api/v3/items?x=1", Map.of("x-user", "jason"));
  private final Req hostMiss = new Req("unknown.example.com", "/", Map.of());
  private final Req flatFirst = new Req("any", "/svc-0/x", Map.of());
  private final Req flatMiddle = new Req("any", "/svc-500/x", Map.of());
  private final Req flatLast = new Req("any", "/svc-999/x", Map.of());

  static RouteTable buildHosts() {
    List<VirtualHost> vhs = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      String svc = "svc-" + i;
      List<Route> routes = new ArrayList<>();
      routes.add(route("h", new PathMatch.Prefix("/", true),
          List.of(HeaderMatcher.of("x-canary", new StringMatcher.Exact("1", false))), svc + "-canary"));
      routes.add(route("e", new PathMatch.Exact("/health", true), List.of(), svc));
      for (int r = 0; r < 6; r++) {
        routes.add(route("p" + r, new PathMatch.Prefix("/api/v" + r + "/", true), List.of(), svc + "-v" + r));
      }
      routes.add(route("re", new PathMatch.Regex(com.google.re2j.Pattern.compile("/api/v3/[a-z]+")), List.of(), svc));
      routes.add(route("d", new PathMatch.Prefix("/", true), List.of(), svc));
      String fqdn = svc + ".default.svc.cluster.local";
      vhs.add(VirtualHost.of(svc, List.of(svc, svc + ":8080", fqdn, fqdn + ":8080", svc + ".default", svc + ".default:8080"), routes));
    }
    return RouteTable.of("8080", vhs);
  }

  static RouteTable buildFlat() {
    List<Route> routes = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      routes.add(route("r" + i, new PathMatch.Prefix("/svc-" + i + "/", true), List.of(), "c" + i));
    }
    return RouteTable.of("flat", List.of(VirtualHost.of("all", List.of("*"), routes)));
  }

  static Route route(String name, PathMatch path, List<HeaderMatcher> headers, String cluster) {
    return Route.of(name, new RouteMatch(path, headers, List.of()), RouteAction.Forward.toCluster(cluster));
  }

  @Benchmark
  public @Nullable RouteSelection hostsTableHit() {
    return hosts.select(hostHit);
  }

  @Benchmark
  public @Nullable RouteSelection hostsTableMiss() {
    return hosts.select(hostMiss);
  }

  @Benchmark
  public @Nullable RouteSelection flatFirst() {
    return flat.select(flatFirst);
  }

  @Benchmark
  public @Nullable RouteSelection flatMiddle() {
    return flat.select(flatMiddle);
  }

  @Benchmark
  public @Nullable RouteSelection flatLast() {
    return flat.select(flatLast);
  }
}
