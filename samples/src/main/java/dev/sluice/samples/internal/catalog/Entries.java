package dev.sluice.samples.internal.catalog;

import dev.sluice.samples.internal.bookinfo.Details;
import dev.sluice.samples.internal.bookinfo.ProductPage;
import dev.sluice.samples.internal.bookinfo.Ratings;
import dev.sluice.samples.internal.bookinfo.Reviews;
import dev.sluice.samples.internal.helloworld.HelloWorld;
import dev.sluice.samples.internal.httpbin.Flavor;
import dev.sluice.samples.internal.httpbin.HttpBin;
import dev.sluice.samples.internal.sleep.Sleep;
import dev.sluice.samples.internal.tcpecho.DatabaseStub;
import dev.sluice.samples.internal.tcpecho.TcpEcho;
import dev.sluice.samples.internal.tutorial.Chain;
import dev.sluice.samples.internal.tutorial.Recommendation;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every built-in sample by name, with the env its original image bakes in. */
public final class Entries {

  private Entries() {}

  /** All entries, by name, in a stable order. */
  public static final Map<String, CatalogSample> ALL = build();

  private static Map<String, CatalogSample> build() {
    Map<String, CatalogSample> all = new LinkedHashMap<>();
    List<Integer> bookinfo = List.of(9080);
    add(all, CatalogSample.fixed("productpage", Map.of("FLOOD_FACTOR", "0"), bookinfo, ProductPage::start));
    add(all, CatalogSample.fixed("productpage-v-flooding", Map.of("FLOOD_FACTOR", "100"), bookinfo,
        ProductPage::start));
    for (String v : List.of("v1", "v2")) {
      add(all, CatalogSample.fixed("details-" + v, Map.of("SERVICE_VERSION", v,
          "ENABLE_EXTERNAL_BOOK_SERVICE", String.valueOf(v.equals("v2"))), bookinfo, Details::start));
    }
    add(all, CatalogSample.fixed("reviews-v1", Map.of("SERVICE_VERSION", "v1", "ENABLE_RATINGS", "false",
        "STAR_COLOR", "black"), bookinfo, Reviews::start));
    add(all, CatalogSample.fixed("reviews-v2", Map.of("SERVICE_VERSION", "v2", "ENABLE_RATINGS", "true",
        "STAR_COLOR", "black"), bookinfo, Reviews::start));
    add(all, CatalogSample.fixed("reviews-v3", Map.of("SERVICE_VERSION", "v3", "ENABLE_RATINGS", "true",
        "STAR_COLOR", "red"), bookinfo, Reviews::start));
    for (String v : List.of("v1", "v2", "v-faulty", "v-delayed", "v-unavailable", "v-unhealthy")) {
      add(all, CatalogSample.fixed("ratings-" + v, Map.of("SERVICE_VERSION", v), bookinfo, Ratings::start));
    }
    add(all, CatalogSample.fixed("mongodb", Map.of(), List.of(27017),
        (name, ctx) -> DatabaseStub.start(name, 27017, ctx)));
    add(all, CatalogSample.fixed("mysqldb", Map.of(), List.of(3306),
        (name, ctx) -> DatabaseStub.start(name, 3306, ctx)));
    for (String v : List.of("v1", "v2")) {
      add(all, CatalogSample.fixed("helloworld-" + v, Map.of("SERVICE_VERSION", v), List.of(HelloWorld.PORT),
          HelloWorld::start));
    }
    List<Integer> tutorial = List.of(Chain.PORT);
    add(all, CatalogSample.fixed("customer", Map.of(), tutorial, Chain::customer));
    add(all, CatalogSample.fixed("preference", Map.of(), tutorial, Chain::preference));
    add(all, recommendation("recommendation-v1", "v1", Duration.ZERO));
    add(all, recommendation("recommendation-v2", "v2", Duration.ZERO));
    add(all, recommendation("recommendation-v2-timeout", "v2", Duration.ofSeconds(3)));
    add(all, recommendation("recommendation-v3", "v3", Duration.ZERO));
    add(all, new CatalogSample("httpbin", Map.of(), ctx -> List.of(HttpBin.port(Flavor.GO, ctx)),
        (name, ctx) -> HttpBin.start(name, ctx, Flavor.GO)));
    add(all, new CatalogSample("httpbin-python", Map.of(), ctx -> List.of(HttpBin.port(Flavor.PYTHON, ctx)),
        (name, ctx) -> HttpBin.start(name, ctx, Flavor.PYTHON)));
    add(all, CatalogSample.fixed("sleep", Map.of(), List.of(), Sleep::start));
    add(all, new CatalogSample("tcp-echo", Map.of(), ctx -> TcpEcho.ports(ctx.args()), TcpEcho::start));
    return java.util.Collections.unmodifiableMap(all);
  }

  private static CatalogSample recommendation(String name, String version, Duration delay) {
    return CatalogSample.fixed(name, Map.of(), List.of(Chain.PORT),
        (n, ctx) -> Recommendation.start(n, ctx, version, delay));
  }

  private static void add(Map<String, CatalogSample> all, CatalogSample sample) {
    all.put(sample.name(), sample);
  }
}
