package dev.sluice.samples.internal.http;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The pages Flask/Werkzeug 3 answers by itself (404, 405, automatic OPTIONS, redirects), byte for
 * byte, for the samples that were Flask apps (productpage, helloworld).
 */
public final class FlaskPages {

  private static final String HTML = "text/html; charset=utf-8";

  private FlaskPages() {}

  /** Router fallback: automatic OPTIONS, 405 with {@code Allow}, else 404. */
  public static Response fallback(Request request, Set<String> allowed) {
    if (allowed.isEmpty()) {
      return notFound();
    }
    Set<String> allow = new LinkedHashSet<>(allowed);
    if (allow.contains("GET")) {
      allow.add("HEAD");
    }
    allow.add("OPTIONS");
    String header = String.join(", ", allow.stream().sorted().toList());
    if (request.method().equals("OPTIONS")) {
      return Response.text(200, HTML, "").withHeader("Allow", header);
    }
    return Response.text(405, HTML, """
        <!doctype html>
        <html lang=en>
        <title>405 Method Not Allowed</title>
        <h1>Method Not Allowed</h1>
        <p>The method is not allowed for the requested URL.</p>
        """).withHeader("Allow", header);
  }

  /** Werkzeug's 404 page. */
  public static Response notFound() {
    return Response.text(404, HTML, """
        <!doctype html>
        <html lang=en>
        <title>404 Not Found</title>
        <h1>Not Found</h1>
        <p>The requested URL was not found on the server. If you entered the URL manually \
        please check your spelling and try again.</p>
        """);
  }

  /** Werkzeug's 500 page, for an exception in a view. */
  public static Response internalError() {
    return Response.text(500, HTML, """
        <!doctype html>
        <html lang=en>
        <title>500 Internal Server Error</title>
        <h1>Internal Server Error</h1>
        <p>The server encountered an internal error and was unable to complete your request. \
        Either the server is overloaded or there is an error in the application.</p>
        """);
  }

  /** Werkzeug's {@code redirect(location)}: 302, {@code Location} and the HTML body. */
  public static Response redirect(String location) {
    String escaped = Html.escape(location);
    return Response.text(302, HTML, """
        <!doctype html>
        <html lang=en>
        <title>Redirecting...</title>
        <h1>Redirecting...</h1>
        <p>You should be redirected automatically to the target URL: <a href="%s">%s</a>. \
        If not, click the link.
        """.formatted(escaped, escaped)).withHeader("Location", location);
  }
}
