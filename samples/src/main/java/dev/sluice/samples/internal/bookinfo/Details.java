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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bookinfo's details (Ruby WEBrick in the original) on port 9080: {@code GET /details/<id>} →
 * the fixed book details as compact JSON; non-numeric id → 400. With
 * {@code ENABLE_EXTERNAL_BOOK_SERVICE=true} (details-v2) it asks Google Books instead
 * ({@code http://www.googleapis.com:80} when {@code DO_NOT_ENCRYPT=true}, else HTTPS), through
 * the sidecar.
 */
public final class Details {

  /** The container port. */
  public static final int PORT = 9080;

  private final SampleContext ctx;
  private final Outbound outbound;

  Details(SampleContext ctx, Outbound outbound) {
    this.ctx = ctx;
    this.outbound = outbound;
  }

  /** Starts details on the context's mapping of port 9080. */
  public static RunningSample start(String name, SampleContext ctx) throws IOException {
    Outbound outbound = Outbound.fromEnv(ctx.env());
    Details details = new Details(ctx, outbound);
    HttpApp app = HttpApp.start(ctx.bindAddress(), ctx.listenPort(PORT), details::handle);
    return Running.http(name, PORT, app, outbound);
  }

  Response handle(Request request) throws InterruptedException {
    String path = request.path();
    if (path.equals("/health") || path.startsWith("/health/")) {
      return Response.json(200, "{\"status\":\"Details is healthy\"}");
    }
    if (!(path.equals("/details") || path.startsWith("/details/"))) {
      return notFound(request);
    }
    String[] parts = path.split("/");
    Long id = rubyInteger(parts.length == 0 ? "" : parts[parts.length - 1]);
    if (id == null) {
      return error("please provide numeric product id");
    }
    if ("true".equals(ctx.env("ENABLE_EXTERNAL_BOOK_SERVICE"))) {
      try {
        return Response.json(200, external(id, TraceHeaders.copy(request, TraceHeaders.DETAILS_AND_REVIEWS)));
      } catch (IOException | RuntimeException e) {
        return error(String.valueOf(e.getMessage()));
      }
    }
    return Response.json(200, "{\"id\":" + id + ",\"author\":\"William Shakespeare\",\"year\":1595,"
        + "\"type\":\"paperback\",\"pages\":200,\"publisher\":\"PublisherA\",\"language\":\"English\","
        + "\"ISBN-10\":\"1234567890\",\"ISBN-13\":\"123-1234567890\"}");
  }

  private String external(long id, List<Map.Entry<String, String>> headers)
      throws IOException, InterruptedException {
    boolean plain = "true".equals(ctx.env("DO_NOT_ENCRYPT"));
    String url = (plain ? "http://www.googleapis.com:80" : "https://www.googleapis.com:443")
        + "/books/v1/volumes?q=isbn:0486424618";
    Outbound.Result result = outbound.get(url, headers, Duration.ofSeconds(5));
    Map<?, ?> book = (Map<?, ?>) ((Map<?, ?>) ((List<?>) ((Map<?, ?>) JsonText.parse(result.body()))
        .get("items")).getFirst()).get("volumeInfo");
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", id);
    out.put("author", ((List<?>) book.get("authors")).getFirst());
    out.put("year", book.get("publishedDate"));
    out.put("type", "BOOK".equals(book.get("printType")) ? "paperback" : "unknown");
    out.put("pages", book.get("pageCount"));
    out.put("publisher", book.get("publisher"));
    out.put("language", "en".equals(book.get("language")) ? "English" : "unknown");
    out.put("ISBN-10", isbn(book, "ISBN_10"));
    out.put("ISBN-13", isbn(book, "ISBN_13"));
    return JsonText.write(out, JsonText.Style.COMPACT);
  }

  private static Object isbn(Map<?, ?> book, String type) {
    for (Object o : (List<?>) book.get("industryIdentifiers")) {
      if (o instanceof Map<?, ?> m && type.equals(m.get("type"))) {
        return m.get("identifier");
      }
    }
    throw new IllegalStateException("undefined method `[]' for nil:NilClass");
  }

  private static Response error(String message) {
    return Response.json(400, JsonText.write(Map.of("error", message), JsonText.Style.COMPACT));
  }

  // WEBrick's 404 page.
  private static Response notFound(Request request) {
    return Response.text(404, "text/html; charset=ISO-8859-1", """
        <!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN">
        <HTML>
          <HEAD><TITLE>Not Found</TITLE></HEAD>
          <BODY>
            <H1>Not Found</H1>
            `%s' not found.
            <HR>
            <ADDRESS>
             WEBrick
            </ADDRESS>
          </BODY>
        </HTML>
        """.formatted(dev.sluice.samples.internal.http.Html.escape(request.path())));
  }

  // Ruby's Integer(s): optional sign, digits with single underscores, surrounding whitespace.
  static @org.jspecify.annotations.Nullable Long rubyInteger(String s) {
    String t = s.strip();
    if (!t.matches("[+-]?[0-9]+(_[0-9]+)*")) {
      return null;
    }
    try {
      return Long.parseLong(t.replace("_", ""));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
