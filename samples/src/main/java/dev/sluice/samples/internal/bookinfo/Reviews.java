package dev.sluice.samples.internal.bookinfo;

import dev.sluice.samples.RunningSample;
import dev.sluice.samples.SampleContext;
import dev.sluice.samples.internal.http.HttpApp;
import dev.sluice.samples.internal.http.JsonText;
import dev.sluice.samples.internal.http.Outbound;
import dev.sluice.samples.internal.http.Request;
import dev.sluice.samples.internal.http.Response;
import dev.sluice.samples.internal.http.Running;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Bookinfo's reviews (Java on Open Liberty in the original) on port 9080.
 *
 * <p>{@code GET /reviews/<id>} → the two reviews, byte for byte as the original concatenates
 * them. With {@code ENABLE_RATINGS=true} (v2, v3) it first asks ratings, forwarding the tracing
 * headers and {@code end-user}, with a 10 s timeout when {@code STAR_COLOR} is black (v2) and
 * 2.5 s otherwise (v3); each review then carries {@code {"stars": N, "color": "<STAR_COLOR>"}},
 * or {@code {"error": "Ratings service is currently unavailable"}} when ratings failed.
 */
public final class Reviews {

  /** The container port. */
  public static final int PORT = 9080;

  static final String RATINGS_UNAVAILABLE = "Ratings service is currently unavailable";

  private final boolean ratingsEnabled;
  private final String starColor;
  private final String ratingsService;
  private final String podName;
  private final String clusterName;
  private final Outbound outbound;
  private final SampleContext ctx;

  Reviews(SampleContext ctx, Outbound outbound) {
    this.ctx = ctx;
    this.ratingsEnabled = Boolean.parseBoolean(ctx.env("ENABLE_RATINGS"));
    this.starColor = ctx.env("STAR_COLOR", "black");
    this.ratingsService = Upstreams.base(ctx, "ratings") + "/ratings";
    // Java's string concatenation of a missing env var prints "null", and so does the original.
    this.podName = String.valueOf(ctx.env("HOSTNAME"));
    this.clusterName = String.valueOf(ctx.env("CLUSTER_NAME"));
    this.outbound = outbound;
  }

  /** Starts reviews on the context's mapping of port 9080. */
  public static RunningSample start(String name, SampleContext ctx) throws IOException {
    Outbound outbound = Outbound.fromEnv(ctx.env());
    Reviews reviews = new Reviews(ctx, outbound);
    HttpApp app = HttpApp.start(ctx.bindAddress(), ctx.listenPort(PORT), reviews::handle);
    return Running.http(name, PORT, app, outbound);
  }

  Response handle(Request request) throws InterruptedException {
    if (!request.method().equals("GET")) {
      return Response.empty(405);
    }
    if (request.path().equals("/health")) {
      return Response.json(200, "{\"status\": \"Reviews is healthy\"}");
    }
    String[] parts = request.path().split("/");
    if (parts.length != 3 || !parts[1].equals("reviews")) {
      return Response.empty(404);
    }
    int productId;
    try {
      productId = Integer.parseInt(parts[2]);
    } catch (NumberFormatException e) {
      return Response.empty(404); // JAX-RS: an unconvertible @PathParam is a 404
    }
    int stars1 = -1;
    int stars2 = -1;
    if (ratingsEnabled) {
      Map<?, ?> ratings = ratings(productId, request);
      if (ratings != null && ratings.get("ratings") instanceof Map<?, ?> r) {
        stars1 = r.get("Reviewer1") instanceof Number n ? n.intValue() : -1;
        stars2 = r.get("Reviewer2") instanceof Number n ? n.intValue() : -1;
      }
    }
    return Response.json(200, body(Integer.toString(productId), stars1, stars2));
  }

  private @Nullable Map<?, ?> ratings(int productId, Request request) throws InterruptedException {
    Duration timeout = Duration.ofMillis(starColor.equals("black") ? 10_000 : 2_500);
    List<Map.Entry<String, String>> headers =
        new ArrayList<>(TraceHeaders.copy(request, TraceHeaders.DETAILS_AND_REVIEWS));
    headers.add(Map.entry("Accept", "application/json"));
    String url = ratingsService + "/" + productId;
    try {
      Outbound.Result result = outbound.get(url, headers, timeout);
      if (result.status() == 200) {
        return JsonText.parse(result.body()) instanceof Map<?, ?> m ? m : null;
      }
      ctx.log().accept("Error: unable to contact " + ratingsService + " got status of " + result.status());
    } catch (IOException e) {
      ctx.log().accept("Error: unable to contact " + ratingsService + " got exception " + e);
    }
    return null;
  }

  private String body(String productId, int stars1, int stars2) {
    return "{\"id\": \"" + productId + "\","
        + "\"podname\": \"" + podName + "\","
        + "\"clustername\": \"" + clusterName + "\","
        + "\"reviews\": ["
        + "{  \"reviewer\": \"Reviewer1\","
        + "  \"text\": \"An extremely entertaining play by Shakespeare. The slapstick humour is refreshing!\""
        + rating(stars1) + "},"
        + "{  \"reviewer\": \"Reviewer2\","
        + "  \"text\": \"Absolutely fun and entertaining. The play lacks thematic depth when compared to"
        + " other plays by Shakespeare.\""
        + rating(stars2) + "}"
        + "]}";
  }

  private String rating(int stars) {
    if (!ratingsEnabled) {
      return "";
    }
    return stars != -1
        ? ", \"rating\": {\"stars\": " + stars + ", \"color\": \"" + starColor + "\"}"
        : ", \"rating\": {\"error\": \"" + RATINGS_UNAVAILABLE + "\"}";
  }
}
