package dev.sluice.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EmbeddedScraperTest {
  private final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final Instant start = clock.instant();
  private SyntheticMesh mesh;
  private EmbeddedScraper scraper;

  @BeforeEach
  void setUp() throws Exception {
    mesh = new SyntheticMesh(SyntheticMesh.bookinfo8020(),
        () -> Duration.between(start, clock.instant()).toMillis() / 1000.0);
    scraper = new EmbeddedScraper(mesh::targets, clock, Duration.ofHours(1), Duration.ofSeconds(15), 10_000);
  }

  @AfterEach
  void tearDown() {
    scraper.close();
    mesh.close();
  }

  private void scrapeEvery15sFor(Duration d) {
    scraper.scrapeOnce();
    for (long s = 0; s < d.toSeconds(); s += 15) {
      clock.advance(Duration.ofSeconds(15));
      scraper.scrapeOnce();
    }
  }

  @Test
  void ratesPerEdgeAndShares8020() {
    scrapeEvery15sFor(Duration.ofMinutes(5));
    GraphReader reader = new GraphReader(scraper);
    Graph g = reader.graph(GraphView.VERSIONED_APP, TrafficQuery.of(Duration.ofMinutes(5), clock.instant()));

    Graph.Edge v1 = g.edge("app:bookinfo/productpage/v1", "app:bookinfo/reviews/v1").orElseThrow();
    Graph.Edge v2 = g.edge("app:bookinfo/productpage/v1", "app:bookinfo/reviews/v2").orElseThrow();
    assertThat(v1.rps()).isCloseTo(8, within(1e-6));
    assertThat(v2.rps()).isCloseTo(2, within(1e-6));
    // Out of productpage's 20 rps, details takes half: reviews' own split is 80/20.
    assertThat(v1.sharePercent() / (v1.sharePercent() + v2.sharePercent())).isCloseTo(0.8, within(1e-9));
    assertThat(v1.p95Millis()).isCloseTo(9.75, within(1e-6)); // 7 ms falls in (5, 10]
    assertThat(g.edge("app:bookinfo/reviews/v2", "app:bookinfo/ratings/v1").orElseThrow().health())
        .isEqualTo(Health.DEGRADED); // 2 % 503
    assertThat(g.edge("app:istio-system/istio-ingressgateway/latest", "app:bookinfo/productpage/v1")).isPresent();
    assertThat(g.edges()).hasSize(5); // source-reported only: no double counting of reporter="destination"
  }

  @Test
  void namespaceSelectionsFollowKiali() {
    scrapeEvery15sFor(Duration.ofMinutes(1));
    TrafficQuery q = new TrafficQuery(Duration.ofMinutes(1), clock.instant(), Set.of("istio-system"));
    assertThat(scraper.requests(q)).extracting(s -> s.label("destination_service_name")).containsExactly("productpage");
  }

  @Test
  void needsTwoScrapesInTheWindow() {
    scraper.scrapeOnce();
    assertThat(scraper.requests(TrafficQuery.of(Duration.ofMinutes(1), clock.instant()))).isEmpty();
    clock.advance(Duration.ofSeconds(15));
    scraper.scrapeOnce();
    assertThat(scraper.requests(TrafficQuery.of(Duration.ofMinutes(1), clock.instant()))).hasSize(6); // 5 edges, ratings has 2 codes
    // A window that ended before any scrape sees nothing.
    assertThat(scraper.requests(TrafficQuery.of(Duration.ofMinutes(1), start.minusSeconds(1)))).isEmpty();
  }

  @Test
  void counterResetCountsAsRestart() {
    String target = "t";
    String page = "istio_requests_total{reporter=\"source\",source_workload=\"a\",destination_service_namespace=\"n\"} ";
    long t0 = clock.millis();
    scraper.ingest(target, page + "100\n", t0);
    scraper.ingest(target, page + "160\n", t0 + 10_000); // +60
    scraper.ingest(target, page + "20\n", t0 + 20_000); // restarted: +20
    List<TrafficSample> r = scraper.requests(TrafficQuery.of(Duration.ofMinutes(1), Instant.ofEpochMilli(t0 + 20_000)));
    assertThat(r).singleElement().extracting(TrafficSample::perSecond).isEqualTo(4.0); // 80 over 20 s
  }

  @Test
  void memoryIsBounded() {
    EmbeddedScraper small = new EmbeddedScraper(List::of, clock, Duration.ofMinutes(1), Duration.ofSeconds(15), 3);
    StringBuilder page = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      page.append("istio_requests_total{reporter=\"source\",source_workload=\"w").append(i).append("\"} 1\n");
    }
    page.append("envoy_cluster_upstream_rq_total{x=\"y\"} 9\n"); // not kept at all
    small.ingest("t", page.toString(), clock.millis());
    assertThat(small.seriesCount()).isEqualTo(3);
    assertThat(small.describe()).contains("7 dropped (limit 3)");
    // Series not seen for the retention are forgotten.
    clock.advance(Duration.ofMinutes(2));
    small.scrapeOnce();
    assertThat(small.seriesCount()).isZero();
  }

  @Test
  void ringKeepsOnlyItsCapacity() {
    SeriesRing ring = new SeriesRing(3);
    for (int i = 0; i < 10; i++) {
      ring.add(i * 1000L, i);
    }
    assertThat(ring.size()).isEqualTo(3);
    assertThat(ring.rate(0, 100_000)).isEqualTo(1.0);
    ring.add(5000, 99); // out-of-order: ignored
    assertThat(ring.size()).isEqualTo(3);
  }

  @Test
  void failingTargetIsReportedAndOthersStillScraped() {
    List<ScrapeTarget> targets = new java.util.ArrayList<>(mesh.targets());
    targets.add(new ScrapeTarget(URI.create("http://127.0.0.1:1/stats/prometheus"), "gone", "bookinfo", "gone"));
    EmbeddedScraper s = new EmbeddedScraper(() -> targets, clock, Duration.ofHours(1), Duration.ofSeconds(15), 10_000);
    s.scrapeOnce();
    assertThat(s.lastErrors()).containsOnlyKeys("http://127.0.0.1:1/stats/prometheus");
    assertThat(s.seriesCount()).isPositive();
    assertThat(s.describe()).contains("1 failing");
  }
}
