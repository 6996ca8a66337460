package dev.sluice.samples.internal.tutorial;

import dev.sluice.samples.SampleContext;
import dev.sluice.samples.internal.http.HttpApp;
import dev.sluice.samples.internal.http.JsonText;
import dev.sluice.samples.internal.http.Outbound;
import dev.sluice.samples.internal.http.Request;
import dev.sluice.samples.internal.http.Response;
import dev.sluice.samples.internal.http.Running;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * recommendation v1/v2/v3: {@code GET /} → {@code recommendation v1 from '<HOSTNAME>': <count>\n}
 * with a per-pod counter starting at 1; v3 inserts the time in Madrid from worldtimeapi.org
 * (through the sidecar, the egress lesson). {@code /misbehave} makes {@code /} answer 503
 * {@code recommendation misbehavior from '<HOSTNAME>'\n} until {@code /behave}. The
 * {@code -timeout} image waits 3 s before answering.
 */
public final class Recommendation {

  private final String version;
  private final Duration delay;
  private final String hostname;
  private final Outbound outbound;
  private final AtomicInteger count = new AtomicInteger();
  private volatile boolean misbehave;

  private Recommendation(String version, Duration delay, String hostname, Outbound outbound) {
    this.version = version;
    this.delay = delay;
    this.hostname = hostname;
    this.outbound = outbound;
  }

  /**
   * Starts a recommendation pod.
   *
   * @param version {@code v1}, {@code v2} or {@code v3}
   * @param delay how long {@code GET /} waits first (3 s for the {@code -timeout} image)
   */
  public static Running start(String sample, SampleContext ctx, String version, Duration delay)
      throws IOException {
    Outbound outbound = Outbound.fromEnv(ctx.env());
    Recommendation r = new Recommendation(version, delay, ctx.env("HOSTNAME", "unknown"), outbound);
    HttpApp app = HttpApp.start(ctx.bindAddress(), ctx.listenPort(Chain.PORT), r::handle);
    return Running.http(sample, Chain.PORT, app, outbound);
  }

  static Response health() {
    return Response.json(200, "{\n    \"status\": \"UP\",\n    \"checks\": [\n    ]\n}");
  }

  Response handle(Request request) throws InterruptedException {
    return switch (request.path()) {
      case "/" -> recommend();
      case "/misbehave" -> {
        misbehave = true;
        yield Response.text(200, Chain.TEXT, "Following requests to / will return a 503\n");
      }
      case "/behave" -> {
        misbehave = false;
        yield Response.text(200, Chain.TEXT, "Following requests to / will return 200\n");
      }
      case "/health/live", "/health/ready" -> health();
      default -> Response.empty(404);
    };
  }

  private Response recommend() throws InterruptedException {
    int n = count.incrementAndGet();
    if (!delay.isZero()) {
      Thread.sleep(delay);
    }
    if (misbehave) {
      return Response.text(503, Chain.TEXT, "recommendation misbehavior from '" + hostname + "'\n");
    }
    String now = "";
    if (version.equals("v3")) {
      try {
        Outbound.Result r = outbound.get("http://worldtimeapi.org/api/timezone/Europe/Madrid",
            List.of(), null);
        now = String.valueOf(((Map<?, ?>) JsonText.parse(r.body())).get("datetime")) + " ";
      } catch (IOException | RuntimeException e) {
        return Response.text(500, "text/html;charset=UTF-8",
            "<html><head><title>Internal Server Error</title></head><body><h1>Internal Server Error</h1>"
                + "</body></html>");
      }
    }
    return Response.text(200, Chain.TEXT,
        "recommendation " + version + " " + now + "from '" + hostname + "': " + n + "\n");
  }
}
