package dev.sluice.samples.internal.bookinfo;

import dev.sluice.samples.RunningSample;
import dev.sluice.samples.SampleContext;
import dev.sluice.samples.internal.http.HttpApp;
import dev.sluice.samples.internal.http.JsonText;
import dev.sluice.samples.internal.http.Request;
import dev.sluice.samples.internal.http.Response;
import dev.sluice.samples.internal.http.Running;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Bookinfo's ratings (Node.js in the original) on port 9080.
 *
 * <p>{@code GET /ratings/<id>} → {@code {"id":<id>,"ratings":{"Reviewer1":5,"Reviewer2":4}}};
 * {@code POST} stores ratings in memory (v1). {@code SERVICE_VERSION} selects the variant:
 * {@code v-faulty} (half the answers 503), {@code v-delayed} (half delayed 7 s),
 * {@code v-unavailable}/{@code v-unhealthy} (503 in alternate minutes / quarter hours), {@code v2}
 * (database backed: MongoDB at {@code MONGO_DB_URL}, or MySQL when {@code DB_TYPE=mysql}).
 */
public final class Ratings {

  /** The container port. */
  public static final int PORT = 9080;

  private static final String JSON = "application/json";
  private static final Pattern ROUTE = Pattern.compile("^/ratings/[0-9]*");

  private final SampleContext ctx;
  private final String version;
  private final LongSupplier clockMillis;
  private final long startMillis;
  private final Map<Integer, String> userAdded = new ConcurrentHashMap<>();

  Ratings(SampleContext ctx, LongSupplier clockMillis) {
    this.ctx = ctx;
    this.version = ctx.env("SERVICE_VERSION", "v1");
    this.clockMillis = clockMillis;
    this.startMillis = clockMillis.getAsLong();
  }

  /** Starts ratings on the context's mapping of port 9080. */
  public static RunningSample start(String name, SampleContext ctx) throws IOException {
    Ratings ratings = new Ratings(ctx, System::currentTimeMillis);
    HttpApp app = HttpApp.start(ctx.bindAddress(), ctx.listenPort(PORT), ratings::handle,
        (req, resp, nanos) -> ctx.log().accept(req.method() + " " + req.uri()));
    ctx.log().accept("Server listening on: http://0.0.0.0:" + PORT);
    return Running.http(name, PORT, app);
  }

  Response handle(Request request) throws InterruptedException {
    // httpdispatcher matches the regex against the URL including its query string.
    String url = request.uri();
    boolean ratingsRoute = ROUTE.matcher(url).find();
    if (request.method().equals("GET") && request.path().equals("/health")) {
      return unhealthy()
          ? Response.json(500, "{\"status\":\"Ratings is not healthy\"}")
          : Response.json(200, "{\"status\":\"Ratings is healthy\"}");
    }
    if (!ratingsRoute || !(request.method().equals("GET") || request.method().equals("POST"))) {
      return Response.text(404, "text/plain", "Page not found");
    }
    Integer productId = parseInt(url.substring(url.lastIndexOf('/') + 1));
    if (productId == null) {
      return Response.json(400, "{\"error\":\"please provide numeric product ID\"}");
    }
    return request.method().equals("POST") ? post(productId, request) : get(productId);
  }

  private Response post(int productId, Request request) {
    Object body;
    try {
      body = JsonText.parse(request.bodyText());
    } catch (IOException e) {
      return Response.json(400, "{\"error\":\"please provide valid ratings JSON\"}");
    }
    if (version.equals("v2")) {
      return Response.json(501, "{\"error\":\"Post not implemented for database backed ratings\"}");
    }
    Map<String, Object> stored = new LinkedHashMap<>();
    stored.put("id", productId);
    stored.put("ratings", body);
    String json = JsonText.write(stored, JsonText.Style.COMPACT);
    userAdded.put(productId, json);
    return Response.json(200, json);
  }

  private Response get(int productId) throws InterruptedException {
    return switch (version) {
      case "v2" -> fromDatabase(productId);
      case "v-faulty" -> ThreadLocalRandom.current().nextDouble() <= 0.5 ? unavailable() : local(productId);
      case "v-delayed" -> {
        if (ThreadLocalRandom.current().nextDouble() <= 0.5) {
          Thread.sleep(7000);
        }
        yield local(productId);
      }
      case "v-unavailable", "v-unhealthy" -> flipped() ? unavailable() : local(productId);
      default -> local(productId);
    };
  }

  private Response local(int productId) {
    String stored = userAdded.get(productId);
    return Response.json(200, stored != null ? stored
        : "{\"id\":" + productId + ",\"ratings\":{\"Reviewer1\":5,\"Reviewer2\":4}}");
  }

  private static Response unavailable() {
    return Response.json(503, "{\"error\":\"Service unavailable\"}");
  }

  // v-unavailable flips every minute, v-unhealthy every 15 minutes, both starting available.
  private boolean flipped() {
    long period = version.equals("v-unhealthy") ? 900_000 : 60_000;
    return ((clockMillis.getAsLong() - startMillis) / period) % 2 == 1;
  }

  private boolean unhealthy() {
    return version.equals("v-unhealthy") && flipped();
  }

  /**
   * The database-backed v2. Sluice ships no MongoDB or MySQL: the database is reached with a TCP
   * connect only, and a reachable database is taken to hold the sample's seed data (ratings 5
   * and 4, as {@code ratings_data.json} and {@code mysqldb-init.sql} insert). An unreachable one
   * gives the original's error answers.
   */
  private Response fromDatabase(int productId) {
    boolean mysql = "mysql".equals(ctx.env("DB_TYPE"));
    InetSocketAddress address;
    if (mysql) {
      address = InetSocketAddress.createUnresolved(ctx.env("MYSQL_DB_HOST", "localhost"),
          parsePort(ctx.env("MYSQL_DB_PORT", "3306"), 3306));
    } else {
      URI uri = URI.create(ctx.env("MONGO_DB_URL", "mongodb://localhost:27017/test"));
      address = InetSocketAddress.createUnresolved(
          uri.getHost() == null ? "localhost" : uri.getHost(), uri.getPort() < 0 ? 27017 : uri.getPort());
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address.getHostString(), address.getPort()), 3000);
    } catch (IOException | IllegalArgumentException e) {
      ctx.log().accept(e.toString());
      // The original's MySQL branch writes this body without setting a status: HTTP 200.
      return Response.json(mysql ? 200 : 500, "{\"error\":\"could not connect to ratings database\"}");
    }
    return Response.json(200, "{\"id\":" + productId + ",\"ratings\":{\"Reviewer1\":5,\"Reviewer2\":4}}");
  }

  private static int parsePort(String s, int fallback) {
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  // JavaScript's parseInt(s): optional sign and leading digits after leading spaces; else NaN.
  static @Nullable Integer parseInt(String s) {
    String t = s.stripLeading();
    int i = 0;
    if (i < t.length() && (t.charAt(i) == '+' || t.charAt(i) == '-')) {
      i++;
    }
    int digitsFrom = i;
    while (i < t.length() && Character.isDigit(t.charAt(i)) && t.charAt(i) < 128) {
      i++;
    }
    if (i == digitsFrom) {
      return null;
    }
    try {
      return Integer.parseInt(t.substring(0, i));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
