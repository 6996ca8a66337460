package dev.sluice.samples.internal.helloworld;

import dev.sluice.samples.RunningSample;
import dev.sluice.samples.SampleContext;
import dev.sluice.samples.internal.http.FlaskPages;
import dev.sluice.samples.internal.http.HttpApp;
import dev.sluice.samples.internal.http.Response;
import dev.sluice.samples.internal.http.Router;
import dev.sluice.samples.internal.http.Running;
import java.io.IOException;

/**
 * helloworld (Python/Flask in the original) on port 5000: {@code GET /hello} →
 * {@code Hello version: <SERVICE_VERSION>, instance: <HOSTNAME>\n} after a CPU-bound loop (the
 * original computes a million square roots, which the autoscaling demo relies on);
 * {@code GET /health} → {@code Helloworld is healthy}.
 */
public final class HelloWorld {

  /** The container port. */
  public static final int PORT = 5000;

  private static final String HTML = "text/html; charset=utf-8";

  private HelloWorld() {}

  /** Starts helloworld on the context's mapping of port 5000. */
  public static RunningSample start(String name, SampleContext ctx) throws IOException {
    // Python's '%s' % None prints "None".
    String text = "Hello version: " + ctx.env("SERVICE_VERSION", "None")
        + ", instance: " + ctx.env("HOSTNAME", "None") + "\n";
    Router router = new Router(FlaskPages::fallback)
        .add("GET", "/hello", (req, p) -> {
          burnCpu();
          return Response.text(200, HTML, text);
        })
        .add("GET", "/health", (req, p) -> Response.text(200, HTML, "Helloworld is healthy"));
    HttpApp app = HttpApp.start(ctx.bindAddress(), ctx.listenPort(PORT), router);
    return Running.http(name, PORT, app);
  }

  // x = x + sqrt(x), a million times, as the original; the result is kept so it is not optimized away.
  private static volatile double sink;

  static void burnCpu() {
    double x = 0.0001;
    for (int i = 0; i < 1_000_000; i++) {
      x = x + Math.sqrt(x);
    }
    sink = x;
  }
}
