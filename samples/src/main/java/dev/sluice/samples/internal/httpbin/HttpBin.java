package dev.sluice.samples.internal.httpbin;

import dev.sluice.samples.SampleContext;
import dev.sluice.samples.internal.http.HttpApp;
import dev.sluice.samples.internal.http.JsonText;
import dev.sluice.samples.internal.http.Request;
import dev.sluice.samples.internal.http.Response;
import dev.sluice.samples.internal.http.Running;
import java.io.IOException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * httpbin: {@code /get}, {@code /anything[/…]}, {@code /post|put|patch|delete}, {@code /headers},
 * {@code /ip}, {@code /user-agent}, {@code /status/<code>[,<code>…]}, {@code /delay/<seconds>} (at
 * most 10 s), as go-httpbin or the Python httpbin answers them ({@link Flavor}), with their
 * access logs (go-httpbin always; the Python one with gunicorn's {@code --access-logfile -}).
 */
public final class HttpBin {

  private static final Duration MAX_DELAY = Duration.ofSeconds(10);
  private static final DateTimeFormatter GUNICORN_TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);

  private final Flavor flavor;
  private final HttpBinBodies bodies;

  HttpBin(Flavor flavor) {
    this.flavor = flavor;
    this.bodies = new HttpBinBodies(flavor);
  }

  /** The container port: go-httpbin's {@code PORT}/{@code -port}, gunicorn's {@code -b host:port}. */
  public static int port(Flavor flavor, SampleContext ctx) {
    List<String> words = new ArrayList<>(ctx.command());
    words.addAll(ctx.args());
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i);
      String next = i + 1 < words.size() ? words.get(i + 1) : "";
      if (flavor == Flavor.GO && (w.equals("-port") || w.equals("--port"))) {
        return Integer.parseInt(next);
      }
      if (flavor == Flavor.GO && (w.startsWith("-port=") || w.startsWith("--port="))) {
        return Integer.parseInt(w.substring(w.indexOf('=') + 1));
      }
      if (flavor == Flavor.PYTHON && (w.equals("-b") || w.equals("--bind"))) {
        return Integer.parseInt(next.substring(next.lastIndexOf(':') + 1));
      }
      if (flavor == Flavor.PYTHON && w.startsWith("--bind=")) {
        return Integer.parseInt(w.substring(w.lastIndexOf(':') + 1));
      }
    }
    if (flavor == Flavor.GO && ctx.env("PORT") != null) {
      return Integer.parseInt(ctx.env("PORT", "8080").trim());
    }
    return flavor == Flavor.GO ? 8080 : 80;
  }

  /** Starts httpbin of {@code flavor}. */
  public static Running start(String sample, SampleContext ctx, Flavor flavor) throws IOException {
    HttpBin bin = new HttpBin(flavor);
    int port = port(flavor, ctx);
    boolean accessLog = flavor == Flavor.GO
        || ctx.command().contains("--access-logfile") || ctx.args().contains("--access-logfile");
    Consumer<String> log = ctx.log();
    HttpApp app = HttpApp.start(ctx.bindAddress(), ctx.listenPort(port), bin::handle,
        (req, resp, nanos) -> {
          if (accessLog) {
            log.accept(bin.accessLog(req, resp, nanos));
          }
        });
    log.accept(flavor == Flavor.GO
        ? "time=" + ZonedDateTime.now(ZoneOffset.UTC) + " level=INFO msg=\"go-httpbin listening on http://0.0.0.0:" + port + "\""
        : "[INFO] Listening at: http://0.0.0.0:" + port);
    return Running.http(sample, port, app);
  }

  Response handle(Request request) throws InterruptedException {
    Response response = route(request);
    return response
        .withHeader("Access-Control-Allow-Origin", request.header("origin") == null ? "*" : request.header("origin"))
        .withHeader("Access-Control-Allow-Credentials", "true");
  }

  private Response route(Request req) throws InterruptedException {
    String path = req.path();
    String m = req.method();
    if (m.equals("OPTIONS")) {
      return Response.text(200, "text/plain; charset=utf-8", "")
          .withHeader("Access-Control-Allow-Methods", flavor == Flavor.GO
              ? "GET, POST, HEAD, PUT, DELETE, PATCH, OPTIONS" : "GET, POST, PUT, DELETE, PATCH, OPTIONS")
          .withHeader("Access-Control-Max-Age", "3600");
    }
    return switch (path) {
      case "/" -> bodies.index();
      case "/get" -> only(req, Set.of("GET", "HEAD"), () -> bodies.get(req));
      case "/post" -> only(req, Set.of("POST"), () -> bodies.withBody(req));
      case "/put" -> only(req, Set.of("PUT"), () -> bodies.withBody(req));
      case "/patch" -> only(req, Set.of("PATCH"), () -> bodies.withBody(req));
      case "/delete" -> only(req, Set.of("DELETE"), () -> bodies.withBody(req));
      case "/headers" -> bodies.json(Map.of("headers", bodies.headers(req)));
      case "/ip" -> bodies.json(Map.of("origin", bodies.origin(req)));
      case "/user-agent" -> bodies.json(Map.of("user-agent", String.valueOf(req.header("user-agent"))));
      default -> {
        if (path.equals("/anything") || path.startsWith("/anything/")) {
          yield m.equals("HEAD") ? bodies.get(req) : bodies.withBody(req);
        }
        if (path.startsWith("/status/") && path.indexOf('/', 8) < 0) {
          yield status(path.substring(8));
        }
        if (path.startsWith("/delay/") && path.indexOf('/', 7) < 0) {
          yield delay(req, path.substring(7));
        }
        yield bodies.notFound();
      }
    };
  }

  private interface Body {
    Response get();
  }

  private Response only(Request req, Set<String> methods, Body body) {
    if (methods.contains(req.method())) {
      return body.get();
    }
    return bodies.methodNotAllowed(methods);
  }

  private Response status(String codes) {
    List<int[]> choices = new ArrayList<>();
    for (String choice : codes.split(",")) {
      String[] parts = choice.split(":");
      try {
        int code = Integer.parseInt(parts[0].trim());
        int weight = parts.length > 1 ? (int) Math.round(Double.parseDouble(parts[1]) * 1000) : 1000;
        if (code < 100 || code > 599) {
          return bodies.badStatus(choice, code);
        }
        choices.add(new int[] {code, weight});
      } catch (NumberFormatException e) {
        return bodies.badStatus(choice, null);
      }
    }
    int total = choices.stream().mapToInt(c -> c[1]).sum();
    int pick = total <= 0 ? 0 : ThreadLocalRandom.current().nextInt(total);
    for (int[] c : choices) {
      pick -= c[1];
      if (pick < 0 || total <= 0) {
        return bodies.status(c[0]);
      }
    }
    return bodies.status(choices.getLast()[0]);
  }

  private Response delay(Request req, String value) throws InterruptedException {
    Duration d;
    try {
      d = flavor == Flavor.GO ? goDuration(value) : Duration.ofMillis(Math.round(
          Math.min(Double.parseDouble(value), 10.0) * 1000));
    } catch (NumberFormatException | ArithmeticException e) {
      return flavor == Flavor.GO ? bodies.error(400, "invalid duration: " + e.getMessage())
          : bodies.flaskError500();
    }
    if (flavor == Flavor.GO && (d.compareTo(MAX_DELAY) > 0 || d.isNegative())) {
      return bodies.error(400, "invalid duration: duration " + value + " "
          + (d.isNegative() ? "shorter than 0s" : "longer than 10s"));
    }
    if (d.isPositive()) {
      Thread.sleep(d);
    }
    Response body = flavor == Flavor.GO ? bodies.withBody(req) : bodies.delayed(req);
    return flavor == Flavor.GO
        ? body.withHeader("Server-Timing", String.format(Locale.ROOT,
            "initial_delay;dur=%.2f;desc=\"initial delay\"", d.toNanos() / 1e6))
        : body;
  }

  // Go's time.ParseDuration for the common forms ("1s", "500ms", "1.5s"), else float seconds.
  static Duration goDuration(String s) {
    var m = java.util.regex.Pattern.compile("([0-9.]+)(ns|us|µs|ms|s|m|h)").matcher(s);
    if (m.matches()) {
      double v = Double.parseDouble(m.group(1));
      double nanos = v * switch (m.group(2)) {
        case "ns" -> 1;
        case "us", "µs" -> 1e3;
        case "ms" -> 1e6;
        case "s" -> 1e9;
        case "m" -> 60e9;
        default -> 3600e9;
      };
      return Duration.ofNanos((long) nanos);
    }
    return Duration.ofMillis((long) (Double.parseDouble(s) * 1000));
  }

  String accessLog(Request req, Response resp, long nanos) {
    String ua = String.valueOf(req.header("user-agent"));
    if (flavor == Flavor.PYTHON) {
      String referer = req.header("referer");
      return req.remote().getAddress().getHostAddress() + " - - ["
          + GUNICORN_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)) + "] \""
          + req.method() + " " + req.uri() + " " + req.protocol() + "\" " + resp.status() + " "
          + resp.body().length + " \"" + (referer == null ? "-" : referer) + "\" \"" + ua + "\"";
    }
    String level = resp.status() >= 500 ? "ERROR" : resp.status() >= 400 ? "WARN" : "INFO";
    double ms = nanos / 1e6;
    return "time=" + java.time.Instant.now() + " level=" + level
        + " msg=\"" + resp.status() + " " + req.method() + " " + req.uri()
        + String.format(Locale.ROOT, " %.1fms\"", ms)
        + " status=" + resp.status() + " method=" + req.method() + " uri=" + req.uri()
        + " size_bytes=" + resp.body().length
        + String.format(Locale.ROOT, " duration_ms=%.3f", ms)
        + " user_agent=" + (ua.contains(" ") ? JsonText.write(ua, JsonText.Style.COMPACT) : ua)
        + " client_ip=" + bodies.origin(req);
  }
}
