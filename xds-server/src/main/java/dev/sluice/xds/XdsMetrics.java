package dev.sluice.xds;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * istiod's xDS metrics, with istiod's names and buckets, in Prometheus text format:
 * {@code pilot_xds_pushes{type}}, {@code pilot_xds_push_time{type}} (seconds to build and send one
 * response), {@code pilot_proxy_convergence_time} (seconds from the first change of a push until
 * a proxy was sent its config), {@code pilot_total_xds_rejects{type}}, {@code pilot_xds} (connected
 * proxies), {@code pilot_debounce_time}, {@code pilot_xds_send_time} (seconds gRPC took to accept
 * one response) and {@code pilot_proxy_queue_time} (seconds a proxy waited for a push slot). The
 * push throttle's state has no istiod metric; it is exported as {@code sluice_xds_pushes_in_flight}
 * and {@code sluice_xds_pushes_waiting} (proxies with responses in flight, and waiting for a slot).
 */
public final class XdsMetrics {
  /** A Prometheus histogram with fixed buckets (seconds). */
  public static final class Histogram {
    private final double[] bounds;
    private final AtomicLongArray counts;
    private final DoubleAdder sum = new DoubleAdder();
    private final AtomicLong count = new AtomicLong();

    Histogram(double... bounds) {
      this.bounds = bounds;
      this.counts = new AtomicLongArray(bounds.length);
    }

    /** Records one value in seconds. */
    public void observe(double seconds) {
      for (int i = 0; i < bounds.length; i++) {
        if (seconds <= bounds[i]) {
          counts.incrementAndGet(i);
        }
      }
      sum.add(seconds);
      count.incrementAndGet();
    }

    public long count() {
      return count.get();
    }

    public double sum() {
      return sum.sum();
    }

    void write(StringBuilder sb, String name, String labels) {
      String sep = labels.isEmpty() ? "" : labels + ",";
      for (int i = 0; i < bounds.length; i++) {
        sb.append(name).append("_bucket{").append(sep).append("le=\"").append(fmt(bounds[i])).append("\"} ")
            .append(counts.get(i)).append('\n');
      }
      sb.append(name).append("_bucket{").append(sep).append("le=\"+Inf\"} ").append(count.get()).append('\n');
      String l = labels.isEmpty() ? "" : "{" + labels + "}";
      sb.append(name).append("_sum").append(l).append(' ').append(sum.sum()).append('\n');
      sb.append(name).append("_count").append(l).append(' ').append(count.get()).append('\n');
    }
  }

  private static final double[] PUSH_BUCKETS = {.01, .1, 1, 3, 5, 10, 20, 30};
  private static final double[] CONVERGENCE_BUCKETS = {.1, .5, 1, 3, 5, 10, 20, 30};

  private final Map<String, AtomicLong> pushes = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> rejects = new ConcurrentHashMap<>();
  private final Map<String, Histogram> pushTime = new ConcurrentHashMap<>();
  final Histogram convergence = new Histogram(CONVERGENCE_BUCKETS);
  final Histogram debounce = new Histogram(CONVERGENCE_BUCKETS);
  final Histogram sendTime = new Histogram(PUSH_BUCKETS);
  final Histogram queueTime = new Histogram(CONVERGENCE_BUCKETS);
  private volatile IntSupplier inFlight = () -> 0;
  private volatile IntSupplier waiting = () -> 0;
  private final AtomicLong fullPushes = new AtomicLong();
  private final AtomicLong edsPushes = new AtomicLong();
  private volatile LongSupplier connections = () -> 0;

  void connections(LongSupplier s) {
    connections = s;
  }

  void throttle(IntSupplier inFlight, IntSupplier waiting) {
    this.inFlight = inFlight;
    this.waiting = waiting;
  }

  /** Proxies with responses in flight (at most the push throttle) and proxies waiting for a slot. */
  public int pushesInFlight() {
    return inFlight.getAsInt();
  }

  public int pushesWaiting() {
    return waiting.getAsInt();
  }

  /** Seconds proxies waited for a push slot (istiod's {@code pilot_proxy_queue_time}). */
  public Histogram queueTime() {
    return queueTime;
  }

  void pushed(String typeUrl, long nanos) {
    String t = TypeUrls.shortName(typeUrl);
    pushes.computeIfAbsent(t, k -> new AtomicLong()).incrementAndGet();
    pushTime.computeIfAbsent(t, k -> new Histogram(PUSH_BUCKETS)).observe(nanos / 1e9);
  }

  void rejected(String typeUrl) {
    rejects.computeIfAbsent(TypeUrls.shortName(typeUrl), k -> new AtomicLong()).incrementAndGet();
  }

  void push(boolean full) {
    (full ? fullPushes : edsPushes).incrementAndGet();
  }

  /** Responses sent of one type ({@code cds}, {@code eds}, {@code lds}, {@code rds}). */
  public long pushes(String shortType) {
    AtomicLong a = pushes.get(shortType);
    return a == null ? 0 : a.get();
  }

  /** NACKs received of one type. */
  public long rejects(String shortType) {
    AtomicLong a = rejects.get(shortType);
    return a == null ? 0 : a.get();
  }

  /** Full pushes and EDS-only pushes started. */
  public long fullPushes() {
    return fullPushes.get();
  }

  public long edsPushes() {
    return edsPushes.get();
  }

  public Histogram convergence() {
    return convergence;
  }

  /** The Prometheus text exposition. */
  public String prometheus() {
    StringBuilder sb = new StringBuilder();
    sb.append("# HELP pilot_xds_pushes Pilot build and send errors for lds, rds, cds and eds.\n");
    sb.append("# TYPE pilot_xds_pushes counter\n");
    new TreeMap<>(pushes).forEach((t, v) -> sb.append("pilot_xds_pushes{type=\"").append(t).append("\"} ")
        .append(v.get()).append('\n'));
    sb.append("# HELP pilot_xds_push_time Total time in seconds Pilot takes to push lds, rds, cds and eds.\n");
    sb.append("# TYPE pilot_xds_push_time histogram\n");
    new TreeMap<>(pushTime).forEach((t, h) -> h.write(sb, "pilot_xds_push_time", "type=\"" + t + "\""));
    sb.append("# HELP pilot_proxy_convergence_time Delay in seconds between config change and a proxy receiving all"
        + " required configuration.\n");
    sb.append("# TYPE pilot_proxy_convergence_time histogram\n");
    convergence.write(sb, "pilot_proxy_convergence_time", "");
    sb.append("# HELP pilot_debounce_time Delay in seconds between the first config enters debouncing and the merged"
        + " push request is pushed into the push queue.\n");
    sb.append("# TYPE pilot_debounce_time histogram\n");
    debounce.write(sb, "pilot_debounce_time", "");
    sb.append("# HELP pilot_xds_send_time Total time in seconds Pilot takes to send generated configuration.\n");
    sb.append("# TYPE pilot_xds_send_time histogram\n");
    sendTime.write(sb, "pilot_xds_send_time", "");
    sb.append("# HELP pilot_proxy_queue_time Time in seconds, a proxy is in the push queue before being dequeued.\n");
    sb.append("# TYPE pilot_proxy_queue_time histogram\n");
    queueTime.write(sb, "pilot_proxy_queue_time", "");
    sb.append("# HELP sluice_xds_pushes_in_flight Proxies with xDS responses in flight (bounded by the push throttle,"
        + " PILOT_PUSH_THROTTLE).\n");
    sb.append("# TYPE sluice_xds_pushes_in_flight gauge\n");
    sb.append("sluice_xds_pushes_in_flight ").append(inFlight.getAsInt()).append('\n');
    sb.append("# HELP sluice_xds_pushes_waiting Proxies with xDS responses due, waiting for a push slot.\n");
    sb.append("# TYPE sluice_xds_pushes_waiting gauge\n");
    sb.append("sluice_xds_pushes_waiting ").append(waiting.getAsInt()).append('\n');
    sb.append("# HELP pilot_total_xds_rejects Total number of XDS responses from pilot rejected by proxy.\n");
    sb.append("# TYPE pilot_total_xds_rejects counter\n");
    new TreeMap<>(rejects).forEach((t, v) -> sb.append("pilot_total_xds_rejects{type=\"").append(t).append("\"} ")
        .append(v.get()).append('\n'));
    sb.append("# HELP pilot_xds Number of endpoints connected to this pilot using XDS.\n");
    sb.append("# TYPE pilot_xds gauge\n");
    sb.append("pilot_xds ").append(connections.getAsLong()).append('\n');
    sb.append("# HELP pilot_push_triggers Total number of times a push was triggered, labeled by reason.\n");
    sb.append("# TYPE pilot_push_triggers counter\n");
    sb.append("pilot_push_triggers{type=\"full\"} ").append(fullPushes.get()).append('\n');
    sb.append("pilot_push_triggers{type=\"endpoint\"} ").append(edsPushes.get()).append('\n');
    return sb.toString();
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
