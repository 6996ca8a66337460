package dev.sluice.samples.internal.tutorial;

import dev.sluice.samples.SampleContext;
import dev.sluice.samples.internal.http.HttpApp;
import dev.sluice.samples.internal.http.Outbound;
import dev.sluice.samples.internal.http.Request;
import dev.sluice.samples.internal.http.Response;
import dev.sluice.samples.internal.http.Running;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * customer and preference: each answers {@code GET /} by calling the next service and prefixing
 * its answer ({@code customer => …}, {@code preference => …}), or with a 503 naming the upstream
 * status ({@code Error: 503 - …}) or the exception ({@code UnknownHostException: recommendation}),
 * as the tutorial's Quarkus services do.
 */
public final class Chain {

  /** The container port of all three tutorial services. */
  public static final int PORT = 8080;

  static final String TEXT = "text/plain;charset=UTF-8";

  // Tracing headers, forwarded so that a mesh can join spans (the originals' tracer does this).
  private static final List<String> TRACING = List.of("x-request-id", "x-b3-traceid", "x-b3-spanid",
      "x-b3-parentspanid", "x-b3-sampled", "x-b3-flags", "b3", "traceparent", "tracestate");

  private final String name;
  private final String upstream;
  private final String userAgentFrom;
  private final boolean trim;
  private final Outbound outbound;

  private Chain(String name, String upstream, String userAgentFrom, boolean trim, Outbound outbound) {
    this.name = name;
    this.upstream = upstream;
    this.userAgentFrom = userAgentFrom;
    this.trim = trim;
    this.outbound = outbound;
  }

  /** customer: calls {@code http://preference:8080}, sending its User-Agent as {@code baggage-user-agent}. */
  public static Running customer(String sample, SampleContext ctx) throws IOException {
    return start(sample, ctx, "customer", "http://preference:8080/", "user-agent", true);
  }

  /** preference: calls {@code http://recommendation:8080}, propagating {@code baggage-user-agent}. */
  public static Running preference(String sample, SampleContext ctx) throws IOException {
    return start(sample, ctx, "preference", "http://recommendation:8080/", "baggage-user-agent", false);
  }

  private static Running start(String sample, SampleContext ctx, String name, String upstream,
      String userAgentFrom, boolean trim) throws IOException {
    Outbound outbound = Outbound.fromEnv(ctx.env());
    Chain chain = new Chain(name, upstream, userAgentFrom, trim, outbound);
    HttpApp app = HttpApp.start(ctx.bindAddress(), ctx.listenPort(PORT), chain::handle);
    return Running.http(sample, PORT, app, outbound);
  }

  Response handle(Request request) throws InterruptedException {
    if (request.path().equals("/health/live") || request.path().equals("/health/ready")) {
      return Recommendation.health();
    }
    if (!request.path().equals("/") || !(request.method().equals("GET") || request.method().equals("HEAD"))) {
      return Response.empty(request.path().equals("/") ? 405 : 404);
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    String userAgent = request.header(userAgentFrom);
    if (userAgent != null) {
      headers.add(Map.entry("baggage-user-agent", userAgent));
    }
    for (String h : List.of("authorization", "user-preference")) {
      String v = request.header(h);
      if (v != null) {
        headers.add(Map.entry(h, v));
      }
    }
    for (String h : TRACING) {
      String v = request.header(h);
      if (v != null) {
        headers.add(Map.entry(h, v));
      }
    }
    headers.add(Map.entry("Accept", "text/plain"));
    try {
      Outbound.Result result = outbound.get(upstream, headers, null);
      if (result.status() >= 400) {
        return line(503, "Error: " + result.status() + " - " + result.body());
      }
      return line(200, trim ? result.body().trim() : result.body());
    } catch (IOException e) {
      return line(503, describe(e));
    }
  }

  private Response line(int status, String text) {
    return Response.text(status, TEXT, name + " => " + text + "\n");
  }

  // The message Quarkus' client would give: the cause's simple class name and message.
  private String describe(IOException e) {
    Throwable cause = e;
    while (cause.getCause() != null) {
      if (cause instanceof UnknownHostException || cause instanceof UnresolvedAddressException) {
        break;
      }
      cause = cause.getCause();
    }
    String host = java.net.URI.create(upstream).getHost();
    if (cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException) {
      return "UnknownHostException: " + host;
    }
    if (e instanceof HttpTimeoutException) {
      return "SocketTimeoutException: Read timed out";
    }
    if (e instanceof ConnectException) {
      return "ConnectException: Connection refused";
    }
    return cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }
}
