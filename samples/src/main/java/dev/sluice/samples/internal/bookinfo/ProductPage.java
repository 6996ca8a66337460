package dev.sluice.samples.internal.bookinfo;

import dev.sluice.samples.RunningSample;
import dev.sluice.samples.SampleContext;
import dev.sluice.samples.internal.http.FlaskPages;
import dev.sluice.samples.internal.http.HttpApp;
import dev.sluice.samples.internal.http.JsonText;
import dev.sluice.samples.internal.http.Outbound;
import dev.sluice.samples.internal.http.Request;
import dev.sluice.samples.internal.http.Response;
import dev.sluice.samples.internal.http.Router;
import dev.sluice.samples.internal.http.Running;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Bookinfo's productpage (Python/Flask in the original) on port 9080.
 *
 * <p>{@code GET /productpage} asks details (one attempt) and reviews (two attempts, as the
 * original's deliberate retry loop), each with a 3 s timeout, forwarding the tracing headers and
 * {@code end-user: <session user>}, and renders the original's page byte for byte.
 * {@code POST /login} stores {@code username} in Flask's signed {@code session} cookie (no
 * password check) and redirects to the Referer; {@code GET /logout} clears it. The JSON API
 * ({@code /api/v1/products[/<id>[/reviews|/ratings]]}), {@code /health}, {@code /metrics}, the
 * index page and {@code /static} complete it.
 */
public final class ProductPage {

  /** The container port. */
  public static final int PORT = 9080;

  static final String DETAILS_ERROR = "Sorry, product details are currently unavailable for this book.";
  static final String REVIEWS_ERROR = "Sorry, product reviews are currently unavailable for this book.";
  static final String RATINGS_ERROR = "Sorry, product ratings are currently unavailable for this book.";
  private static final Duration TIMEOUT = Duration.ofSeconds(3);
  private static final String HTML = "text/html; charset=utf-8";

  /** An upstream answer as productpage keeps it: status and JSON object (or error object). */
  record Fetched(int status, Map<?, ?> body) {}

  private final String detailsUrl;
  private final String reviewsUrl;
  private final String ratingsUrl;
  private final int floodFactor;
  private final Outbound outbound;
  private final Clock clock;
  private final Map<String, Object> serviceTree;
  private final Map<String, LongAdder> results = new ConcurrentHashMap<>();
  private final Router router;

  ProductPage(SampleContext ctx, Outbound outbound, Clock clock) {
    this.detailsUrl = Upstreams.base(ctx, "details");
    this.reviewsUrl = Upstreams.base(ctx, "reviews");
    this.ratingsUrl = Upstreams.base(ctx, "ratings");
    this.floodFactor = Integer.parseInt(ctx.env("FLOOD_FACTOR", "0").trim());
    this.outbound = outbound;
    this.clock = clock;
    this.serviceTree = serviceTree();
    this.router = new Router(FlaskPages::fallback)
        .add("GET", "/", (req, p) -> html(ProductPageView.index(serviceTree)))
        .add("GET", "/index.html", (req, p) -> html(ProductPageView.index(serviceTree)))
        .add("GET", "/health", (req, p) -> Response.text(200, HTML, "Product page is healthy"))
        .add("POST", "/login", (req, p) -> login(req))
        .add("GET", "/logout", (req, p) -> logout(req))
        .add("GET", "/productpage", (req, p) -> productPage(req))
        .add("GET", "/api/v1/products", (req, p) -> Response.json(200,
            JsonText.write(List.of(ProductPageView.PRODUCT), JsonText.Style.PYTHON)))
        .add("GET", "/api/v1/products/{id}", (req, p) -> api(fetchDetails(p.get("id"), forward(req))))
        .add("GET", "/api/v1/products/{id}/reviews", (req, p) -> api(fetchReviews(p.get("id"), forward(req))))
        .add("GET", "/api/v1/products/{id}/ratings", (req, p) -> api(fetchRatings(p.get("id"), forward(req))))
        .add("GET", "/metrics", (req, p) -> Response.text(200, HTML, metrics()))
        .add("GET", "/static/**", (req, p) -> StaticAssets.serve(req.path()));
  }

  /** Starts productpage on the context's mapping of port 9080. */
  public static RunningSample start(String name, SampleContext ctx) throws IOException {
    Outbound outbound = Outbound.fromEnv(ctx.env());
    ProductPage page = new ProductPage(ctx, outbound, Clock.systemUTC());
    HttpApp app = HttpApp.start(ctx.bindAddress(), ctx.listenPort(PORT), page::handle);
    ctx.log().accept("INFO:root:start at port " + PORT);
    return Running.http(name, PORT, app, outbound);
  }

  Response handle(Request request) throws Exception {
    try {
      return router.handle(request);
    } catch (IOException | RuntimeException e) {
      return FlaskPages.internalError();
    }
  }

  private Response productPage(Request request) throws InterruptedException {
    String user = user(request);
    List<Map.Entry<String, String>> headers = TraceHeaders.productpage(request, user);
    Fetched details = fetchDetails("0", headers);
    for (int i = 0; i < floodFactor; i++) {
      fetchReviews("0", headers);
    }
    Fetched reviews = fetchReviews("0", headers);
    String page = ProductPageView.productPage(user, details.status(), details.body(),
        reviews.status(), reviews.body());
    return html(page).withHeader("Vary", "Cookie");
  }

  private Response login(Request request) {
    String username = Request.parseForm(request.bodyText()).getOrDefault("username",
        request.queryParams().getOrDefault("username", List.of())).stream().findFirst().orElse(null);
    Response response = FlaskPages.redirect(referrer(request)).withHeader("Vary", "Cookie");
    if (username == null) {
      return response;
    }
    return response.withHeader("Set-Cookie",
        FlaskSession.COOKIE + "=" + FlaskSession.issue(username, clock.instant()) + "; HttpOnly; Path=/");
  }

  private Response logout(Request request) {
    Response response = FlaskPages.redirect(referrer(request)).withHeader("Vary", "Cookie");
    if (user(request) == null) {
      return response;
    }
    return response.withHeader("Set-Cookie", FlaskSession.COOKIE
        + "=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/");
  }

  // Flask's redirect(request.referrer) fails without a Referer (a 500); going to the page is kinder.
  private static String referrer(Request request) {
    String referer = request.header("referer");
    return referer == null || referer.isEmpty() ? "/productpage" : referer;
  }

  private @Nullable String user(Request request) {
    return FlaskSession.user(cookie(request, FlaskSession.COOKIE), clock.instant());
  }

  private static @Nullable String cookie(Request request, String name) {
    List<String> headers = request.headers().getOrDefault("cookie", List.of());
    for (String header : headers) {
      for (String pair : header.split(";")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
          String value = pair.substring(eq + 1).trim();
          return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
              ? value.substring(1, value.length() - 1) : value;
        }
      }
    }
    return null;
  }

  private List<Map.Entry<String, String>> forward(Request request) {
    return TraceHeaders.productpage(request, user(request));
  }

  Fetched fetchDetails(String productId, List<Map.Entry<String, String>> headers)
      throws InterruptedException {
    return fetch("details", detailsUrl + "/details/" + productId, headers, 1, DETAILS_ERROR);
  }

  Fetched fetchReviews(String productId, List<Map.Entry<String, String>> headers)
      throws InterruptedException {
    // The original's loop of 2 ("bug introduced explicitly for illustration in fault injection task").
    return fetch("reviews", reviewsUrl + "/reviews/" + productId, headers, 2, REVIEWS_ERROR);
  }

  Fetched fetchRatings(String productId, List<Map.Entry<String, String>> headers)
      throws InterruptedException {
    return fetch("ratings", ratingsUrl + "/ratings/" + productId, headers, 1, RATINGS_ERROR);
  }

  private Fetched fetch(String app, String url, List<Map.Entry<String, String>> headers,
      int attempts, String error) throws InterruptedException {
    int status = 500;
    for (int i = 0; i < attempts; i++) {
      try {
        Outbound.Result result = outbound.get(url, headers, TIMEOUT);
        status = result.status();
        if (status == 200) {
          count(app, 200);
          Object json = JsonText.parse(result.body());
          return new Fetched(200, json instanceof Map<?, ?> m ? m : Map.of());
        }
      } catch (IOException e) {
        status = 500;
      }
    }
    count(app, status);
    return new Fetched(status, Map.of("error", error));
  }

  private static Response api(Fetched fetched) {
    return Response.json(fetched.status(), JsonText.write(fetched.body(), JsonText.Style.PYTHON));
  }

  private static Response html(String body) {
    return Response.text(200, HTML, body);
  }

  private void count(String app, int code) {
    results.computeIfAbsent(app + "\u0000" + code, k -> new LongAdder()).increment();
  }

  private String metrics() {
    StringBuilder out = new StringBuilder("# HELP request_result_total Results of requests\n"
        + "# TYPE request_result_total counter\n");
    results.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      String[] key = e.getKey().split("\u0000");
      out.append("request_result_total{destination_app=\"").append(key[0])
          .append("\",response_code=\"").append(key[1]).append("\"} ")
          .append(e.getValue().sum()).append(".0\n");
    });
    return out.toString();
  }

  // productpage.py's service dict: note its "productpage" entry names details' URL (sic).
  private Map<String, Object> serviceTree() {
    Map<String, Object> details = node(detailsUrl, "details", List.of());
    Map<String, Object> ratings = node(ratingsUrl, "ratings", List.of());
    Map<String, Object> reviews = node(reviewsUrl, "reviews", List.of(ratings));
    return node(detailsUrl, "details", List.of(details, reviews));
  }

  private static Map<String, Object> node(String name, String endpoint, List<Object> children) {
    Map<String, Object> node = new LinkedHashMap<>();
    node.put("name", name);
    node.put("endpoint", endpoint);
    node.put("children", children);
    return node;
  }
}
