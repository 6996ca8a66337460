package dev.sluice.dashboard;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The embedded default {@link MetricsSource}: scrapes the proxies' {@code /stats/prometheus}
 * itself and answers Kiali's questions from a bounded in-memory window.
 *
 * <p>Memory is bounded three ways: only {@code istio_requests_total} and
 * {@code istio_request_duration_milliseconds_bucket} are kept; each series is a fixed-size ring
 * ({@code retention / interval} samples, at most one hour); and at most {@code maxSeries} series
 * exist (new ones are dropped and counted beyond that). Series not seen for the retention are
 * forgotten.
 *
 * <pre>{@code
 * EmbeddedScraper scraper = new EmbeddedScraper(platform::scrapeTargets);
 * scraper.start(Duration.ofSeconds(5));
 * DashboardServer.start(20001, scraper, configView);
 * }</pre>
 *
 * <p>Tests call {@link #scrapeOnce()} after advancing a fake {@link InstantSource}.
 */
public final class EmbeddedScraper implements MetricsSource, AutoCloseable {
  private static final Logger log = Logger.getLogger(EmbeddedScraper.class.getName());
  /** The longest window the UI offers; a longer retention would only cost memory. */
  public static final Duration MAX_RETENTION = Duration.ofHours(1);
  static final int DEFAULT_MAX_SERIES = 50_000;

  private record SeriesKey(String target, String name, Map<String, String> labels) {}

  private final Supplier<List<ScrapeTarget>> targets;
  private final InstantSource clock;
  private final Duration retention;
  private final int ringCapacity;
  private final int maxSeries;
  private final HttpClient http;
  private final Map<SeriesKey, SeriesRing> series = new ConcurrentHashMap<>();
  private final Map<String, String> lastErrors = new ConcurrentHashMap<>();
  private final AtomicLong droppedSeries = new AtomicLong();
  private final AtomicLong scrapes = new AtomicLong();
  private volatile @org.jspecify.annotations.Nullable ScheduledExecutorService scheduler;

  /** Scrapes every 5 s (once started) and keeps one hour. */
  public EmbeddedScraper(Supplier<List<ScrapeTarget>> targets) {
    this(targets, InstantSource.system(), MAX_RETENTION, Duration.ofSeconds(5), DEFAULT_MAX_SERIES);
  }

  /**
   * @param targets the proxies to scrape, asked again at every scrape
   * @param clock the time stamped on samples and used as "now"
   * @param retention how much history to keep (at most {@link #MAX_RETENTION})
   * @param interval the expected scrape interval, sizing each series' ring
   * @param maxSeries the most series kept at once
   */
  public EmbeddedScraper(Supplier<List<ScrapeTarget>> targets, InstantSource clock, Duration retention,
      Duration interval, int maxSeries) {
    this.targets = requireNonNull(targets, "targets");
    this.clock = requireNonNull(clock, "clock");
    if (retention.isNegative() || retention.isZero() || retention.compareTo(MAX_RETENTION) > 0) {
      throw new IllegalArgumentException("retention: " + retention + " (expected: > 0 and <= 1h)");
    }
    if (interval.toMillis() < 100) {
      throw new IllegalArgumentException("interval: " + interval + " (expected: >= 100ms)");
    }
    if (maxSeries < 1) {
      throw new IllegalArgumentException("maxSeries: " + maxSeries + " (expected: > 0)");
    }
    this.retention = retention;
    this.ringCapacity = (int) Math.min(10_000, retention.toMillis() / interval.toMillis() + 2);
    this.maxSeries = maxSeries;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  }

  /** Scrapes every {@code interval} on a daemon thread until {@link #close()}. */
  public synchronized EmbeddedScraper start(Duration interval) {
    if (scheduler != null) {
      throw new IllegalStateException("already started");
    }
    ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sluice-dashboard-scraper");
      t.setDaemon(true);
      return t;
    });
    s.scheduleWithFixedDelay(() -> {
      try {
        scrapeOnce();
      } catch (RuntimeException e) {
        log.log(Level.WARNING, "scrape failed", e);
      }
    }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    scheduler = s;
    return this;
  }

  /** Scrapes every target once (in parallel), stamping all samples with the clock's current time. */
  public void scrapeOnce() {
    List<ScrapeTarget> list = List.copyOf(targets.get());
    long now = clock.millis();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> futures = new ArrayList<>();
      for (ScrapeTarget t : list) {
        futures.add(pool.submit(() -> scrapeTarget(t, now)));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (Exception e) {
          log.log(Level.FINE, "scrape task failed", e);
        }
      }
    }
    long cutoff = now - retention.toMillis();
    series.values().removeIf(ring -> !ring.trim(cutoff));
    scrapes.incrementAndGet();
  }

  private void scrapeTarget(ScrapeTarget t, long now) {
    String id = t.url().toString();
    String body;
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(t.url()).timeout(Duration.ofSeconds(5)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        lastErrors.put(id, "HTTP " + r.statusCode());
        return;
      }
      body = r.body();
    } catch (IOException e) {
      lastErrors.put(id, e.toString());
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    lastErrors.remove(id);
    ingest(id, body, now);
  }

  /** Adds one scraped page of {@code target} at {@code timeMillis} (visible for in-process feeding). */
  void ingest(String target, String page, long timeMillis) {
    PrometheusText.Page parsed = PrometheusText.parse(page,
        n -> n.equals(IstioLabels.REQUESTS_TOTAL) || n.equals(IstioLabels.DURATION_BUCKET));
    for (PrometheusText.Sample s : parsed.samples()) {
      SeriesKey key = new SeriesKey(target, s.name(), s.labels());
      SeriesRing ring = series.get(key);
      if (ring == null) {
        if (series.size() >= maxSeries) {
          droppedSeries.incrementAndGet();
          continue;
        }
        ring = series.computeIfAbsent(key, k -> new SeriesRing(ringCapacity));
      }
      ring.add(timeMillis, s.value());
    }
  }

  @Override
  public List<TrafficSample> requests(TrafficQuery q) {
    long to = q.at().toEpochMilli();
    long from = to - q.window().toMillis();
    Map<Map<String, String>, Double> sums = new LinkedHashMap<>();
    for (Map.Entry<SeriesKey, SeriesRing> e : series.entrySet()) {
      SeriesKey k = e.getKey();
      if (!k.name().equals(IstioLabels.REQUESTS_TOTAL) || !GraphQueries.selected(k.labels(), q.namespaces())) {
        continue;
      }
      double rate = e.getValue().rate(from, to);
      if (Double.isNaN(rate)) {
        continue;
      }
      sums.merge(project(k.labels(), IstioLabels.GRAPH_GROUP_BY), rate, Double::sum);
    }
    List<TrafficSample> out = new ArrayList<>();
    sums.forEach((labels, rate) -> {
      if (rate > 0) {
        out.add(new TrafficSample(labels, rate));
      }
    });
    return out;
  }

  @Override
  public List<LatencySample> latency(TrafficQuery q, double quantile, List<String> groupBy) {
    long to = q.at().toEpochMilli();
    long from = to - q.window().toMillis();
    Map<Map<String, String>, Map<Double, Double>> groups = new HashMap<>();
    for (Map.Entry<SeriesKey, SeriesRing> e : series.entrySet()) {
      SeriesKey k = e.getKey();
      if (!k.name().equals(IstioLabels.DURATION_BUCKET) || !GraphQueries.selected(k.labels(), q.namespaces())) {
        continue;
      }
      double rate = e.getValue().rate(from, to);
      String le = k.labels().get("le");
      if (Double.isNaN(rate) || le == null) {
        continue;
      }
      groups.computeIfAbsent(project(k.labels(), groupBy), g -> new HashMap<>())
          .merge(PrometheusText.parseValue(le), rate, Double::sum);
    }
    List<LatencySample> out = new ArrayList<>();
    groups.forEach((labels, buckets) -> {
      double v = Histograms.quantile(quantile, buckets);
      if (!Double.isNaN(v)) {
        out.add(new LatencySample(labels, v));
      }
    });
    return out;
  }

  private static Map<String, String> project(Map<String, String> labels, List<String> keys) {
    Map<String, String> out = new HashMap<>();
    for (String key : keys) {
      out.put(key, labels.getOrDefault(key, IstioLabels.UNKNOWN));
    }
    return out;
  }

  @Override
  public Instant now() {
    return clock.instant();
  }

  @Override
  public String describe() {
    return "embedded scraper: " + targets.get().size() + " targets, " + series.size() + " series"
        + (droppedSeries.get() > 0 ? ", " + droppedSeries.get() + " dropped (limit " + maxSeries + ")" : "")
        + (lastErrors.isEmpty() ? "" : ", " + lastErrors.size() + " failing");
  }

  /** Per target URL, the last scrape error of the targets currently failing. */
  public Map<String, String> lastErrors() {
    return Map.copyOf(lastErrors);
  }

  /** How many series the window holds (for tests of its bound). */
  public int seriesCount() {
    return series.size();
  }

  @Override
  public void close() {
    ScheduledExecutorService s = scheduler;
    if (s != null) {
      s.shutdownNow();
    }
  }
}
