package dev.sluice.dashboard;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Asks a {@link MetricsSource} Kiali's questions and hands the answers to {@link GraphBuilder}: the
 * graph now, and the history of one edge or node over the window (for the side panel).
 */
public final class GraphReader {
  /** p95, Kiali's default {@code responseTimeQuantile}. */
  public static final double QUANTILE = 0.95;
  /** Points in a history. */
  static final int POINTS = 20;
  /** A rate needs at least two scrapes; history rates never use a shorter window than this. */
  static final Duration MIN_RATE_WINDOW = Duration.ofSeconds(30);

  private final MetricsSource source;

  public GraphReader(MetricsSource source) {
    this.source = requireNonNull(source, "source");
  }

  /** The graph of {@code q}. */
  public Graph graph(GraphView view, TrafficQuery q) {
    return GraphBuilder.build(view, q.window(), q.namespaces(), source.requests(q),
        source.latency(q, QUANTILE, view.edgeGroupBy()), source.latency(q, QUANTILE, view.destinationGroupBy()));
  }

  /** One point of a history: requests/s per response code, error % and p95 at time {@code t}. */
  public record Point(long t, double rps, Map<String, Double> codes, double errorPercent,
      @Nullable Double p95Millis) {
    public Point {
      codes = Map.copyOf(codes);
    }
  }

  /**
   * The history of edge or node {@code id} over the query's window, {@link #POINTS} points, each a
   * rate over max(window / points, 30 s). For a node: its inbound traffic (outbound if none).
   */
  public List<Point> history(GraphView view, TrafficQuery q, String id) {
    Duration step = q.window().dividedBy(POINTS);
    Duration rateWindow = step.compareTo(MIN_RATE_WINDOW) < 0 ? MIN_RATE_WINDOW : step;
    Instant start = q.at().minus(q.window());
    List<Point> out = new ArrayList<>();
    for (int i = 1; i <= POINTS; i++) {
      Instant at = start.plus(step.multipliedBy(i));
      Graph g = graph(view, q.withWindow(rateWindow, at));
      Point p = g.edges().stream().filter(e -> e.id().equals(id)).findFirst()
          .map(e -> new Point(at.toEpochMilli(), e.rps(), e.codes(), e.errorPercent(), e.p95Millis()))
          .or(() -> g.node(id).map(n -> new Point(at.toEpochMilli(), n.inRps() > 0 ? n.inRps() : n.outRps(),
              n.codes(), n.errorPercent(), n.p95Millis())))
          .orElse(new Point(at.toEpochMilli(), 0, Map.of(), 0, null));
      out.add(p);
    }
    return out;
  }

  /** Namespaces with traffic in the last hour. */
  public List<String> namespaces() {
    TreeSet<String> out = new TreeSet<>();
    for (TrafficSample s : source.requests(TrafficQuery.of(Duration.ofHours(1), source.now()))) {
      for (String l : List.of("source_workload_namespace", "destination_service_namespace")) {
        String v = s.label(l);
        if (!v.equals(IstioLabels.UNKNOWN)) {
          out.add(v);
        }
      }
    }
    return List.copyOf(out);
  }

  MetricsSource source() {
    return source;
  }
}
